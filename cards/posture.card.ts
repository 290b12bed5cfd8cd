/** The `posture` card: Secure Score as a gauge, then the ten checks, failing first (highest impact first). */
import type {
  AdvancedAuditCheck,
  Named,
  Need,
  PostureCheck,
  PostureReport,
  SecureScoreCheck,
  Verdict,
} from '../services/posture/types';
import {
  adaptiveCard,
  commandButton,
  container,
  runs,
  text,
  type AdaptiveCard,
  type CardElement,
  type Part,
} from './elements';
import { CHECK_TEXT } from './posture-text';
import { formatCount, formatTime, joinOwn, own, type Own } from './text';

// Names listed per finding; the rest are counted, so the card stays far below Teams' ~28 KB.
const MAX_NAMES = 5;

const BADGE: Record<Verdict, { label: Own; color: string }> = {
  fail: { label: own('FAIL'), color: 'Attention' },
  'cant-tell': { label: own('CAN’T TELL'), color: 'Warning' },
  pass: { label: own('PASS'), color: 'Good' },
};

/** Names (untrusted: UPNs, group and policy names) after our label, capped with "+N more". */
function names(label: Own, list: readonly (Named | string)[]): CardElement {
  const shown = list.slice(0, MAX_NAMES);
  const parts: Part[] = [label];
  shown.forEach((n, i) => {
    if (i > 0) parts.push(own(', '));
    parts.push(typeof n === 'string' ? n : (n.name ?? n.id));
  });
  if (list.length > shown.length) parts.push(own` +${list.length - shown.length} more`);
  return runs(parts, { spacing: 'Small' });
}

/** Why a check cannot tell: the missing permission, licence or setting, or the service that failed. */
function needLine(need: Need): CardElement {
  if (need.kind === 'permission')
    return runs([
      own('Can’t tell: the app lacks '),
      { text: need.name, mono: true },
      own(' (grant it with admin consent).'),
    ]);
  if (need.kind === 'licence') return runs([own('Can’t tell: the tenant needs '), need.name, own('.')]);
  if (need.kind === 'setting')
    return runs([
      own('Can’t tell: '),
      { text: need.name, mono: true },
      own(' is off, so the Exchange settings are not read.'),
    ]);
  return runs([
    own`Can’t tell: ${need.service === 'exchange' ? own('Exchange') : own('Graph')} failed (`,
    need.code,
    own(need.service === 'exchange' ? '). The Exchange proxy is unsupported by Microsoft and may refuse.' : ').'),
  ]);
}

const yes = (v: boolean | null, on: Own, off: Own): Own => (v === null ? own('unknown') : v ? on : off);

function vipLine(vip: AdvancedAuditCheck['vip']): CardElement[] {
  if (vip === 'not-configured')
    return [text(own('No VIP group configured: set VIP_GROUP_ID to check executives too.'), { isSubtle: true })];
  if (vip === null) return [];
  const head = own`VIP group: ${formatCount(vip.checked)} checked${vip.complete ? '' : ' (the first ones only)'}, ${vip.unlicensed.length} without Audit (Premium)`;
  return vip.unlicensed.length > 0 ? [names(own`${head}: `, vip.unlicensed)] : [text(head)];
}

/** What the check found, in our words with the untrusted names in TextRuns. */
function details(check: PostureCheck, now: number): CardElement[] {
  switch (check.id) {
    case 'mfa-all':
    case 'legacy-auth': {
      const out: CardElement[] = [];
      if (check.securityDefaults) out.push(text(own('Security defaults are on.')));
      if (check.policies.length > 0) out.push(names(own('Enforced by: '), check.policies));
      if (check.reportOnly.length > 0) out.push(names(own('Report-only (enforces nothing): '), check.reportOnly));
      if (check.exclusions.length > 0) out.push(names(own('Excluded: '), check.exclusions));
      if (check.verdict === 'fail' && check.policies.length === 0 && check.reportOnly.length === 0)
        out.push(text(own('No enforced policy covers all users and all cloud apps.')));
      return out;
    }
    case 'user-consent': {
      const consent =
        check.userConsent === 'none'
          ? own('users cannot consent')
          : check.userConsent === 'low-risk'
            ? own('verified publishers, low-risk permissions only')
            : check.userConsent === 'any'
              ? own('users can consent to any app')
              : own('unknown');
      return [
        text(
          own`User consent: ${consent}. Admin consent workflow: ${yes(check.adminConsentWorkflow, own('on'), own('off'))}.`,
        ),
      ];
    }
    case 'admin-sspr': {
      const head = own`Administrator SSPR: ${yes(check.adminSsprAllowed, own('on'), own('off'))}; ${formatCount(check.admins)} admins, ${check.caught.length} caught`;
      if (check.caught.length === 0) return [text(head)];
      const off = check.caught.filter((a) => a.reason === 'admin-sspr-off');
      const one = check.caught.filter((a) => a.reason === 'one-gate');
      return [
        text(head),
        ...(off.length > 0 ? [names(own('SSPR reaches them while admin SSPR is off: '), off)] : []),
        ...(one.length > 0 ? [names(own('Fewer than two admin SSPR methods: '), one)] : []),
      ];
    }
    case 'sspr': {
      if (check.verdict === 'cant-tell') return [];
      const pct = check.enabled === 0 ? 0 : Math.round((100 * check.registered) / check.enabled);
      return [
        text(
          own`${formatCount(check.registered)} of the ${formatCount(check.enabled)} members with SSPR enabled have registered (${pct} %; goal ${Math.round(check.threshold * 100)} %); ${formatCount(check.members)} members${check.complete ? '' : ' read so far (report truncated)'}.`,
        ),
      ];
    }
    case 'auto-forwarding': {
      const open = check.policies.filter((p) => p.mode.toLowerCase() === 'on').map((p) => p.name);
      const out: CardElement[] = [];
      if (check.policies.length > 0) out.push(text(own`${check.policies.length} outbound spam policies read.`));
      if (open.length > 0) out.push(names(own('AutoForwardingMode On in: '), open));
      out.push(
        check.lastSweep
          ? text(
              own`Last sweep (${formatTime(new Date(check.lastSweep.finishedAt).toISOString(), now)}): ${formatCount(check.lastSweep.externalForwarders)} of ${formatCount(check.lastSweep.mailboxes)} mailboxes forward outside.`,
            )
          : text(own('No tenant-wide forwarding sweep has finished yet: run one to see who forwards outside today.'), {
              isSubtle: true,
            }),
      );
      return out;
    }
    case 'mailbox-audit': {
      const out: CardElement[] = [
        text(
          own`Organisation auditing: ${yes(check.auditDisabled === null ? null : !check.auditDisabled, own('on'), own('OFF (AuditDisabled)'))}.`,
        ),
      ];
      if (check.mailboxesOff && check.mailboxesOff.length > 0)
        out.push(
          names(own`${formatCount(check.mailboxesOff.length)} mailboxes with auditing off: `, check.mailboxesOff),
        );
      return out;
    }
    case 'smtp-pop-imap': {
      const out: CardElement[] = [
        text(
          own`SMTP AUTH at the transport level: ${yes(check.smtpAuthDisabled === null ? null : !check.smtpAuthDisabled, own('ON'), own('disabled'))}.`,
        ),
      ];
      if (check.popImap && check.popImap.length > 0)
        out.push(names(own`${formatCount(check.popImap.length)} mailboxes with POP or IMAP on: `, check.popImap));
      return out;
    }
    case 'advanced-audit': {
      const a = check.admins;
      const out: CardElement[] = [];
      if (a) {
        const head = own`Admins: ${formatCount(a.checked)} checked, ${a.unlicensed.length} without Audit (Premium)`;
        out.push(a.unlicensed.length > 0 ? names(own`${head}: `, a.unlicensed) : text(head));
      }
      return [...out, ...vipLine(check.vip)];
    }
    case 'secure-score':
      return check.controls.map((c) =>
        runs(
          [
            { text: c.title ?? c.id, max: 120 },
            own` — ${c.score ?? '?'} of ${c.maxScore ?? '?'} points`,
            ...(c.state ? [own(' · state '), c.state] : []),
          ],
          { spacing: 'Small' },
        ),
      );
  }
}

/** A link to the fix and, where the bot has the matching read, a button that runs it. */
function actions(check: PostureCheck): CardElement[] {
  const t = CHECK_TEXT[check.id];
  const out: CardElement[] = [{ type: 'Action.OpenUrl', title: 'How to fix (Microsoft Learn)', url: t.docs }];
  if (check.id === 'auto-forwarding') out.push(commandButton('Sweep forwarding now', 'sweep', 'forwarding'));
  return out;
}

function section(check: PostureCheck, now: number): CardElement {
  const t = CHECK_TEXT[check.id];
  const badge = BADGE[check.verdict];
  const head = runs([{ text: badge.label, bold: true, color: badge.color }, own('  '), { text: t.title, bold: true }]);
  if (check.verdict === 'pass')
    return container(
      [head, ...details(check, now), text(t.reads, { isSubtle: true, size: 'Small', spacing: 'None' })],
      {
        separator: true,
      },
    );
  return container(
    [
      head,
      text(t.why, { isSubtle: true, spacing: 'Small' }),
      ...details(check, now),
      ...(check.need ? [needLine(check.need)] : []),
      ...(check.verdict === 'fail' ? [text(own`**What to change:** ${t.fix}`, { spacing: 'Small' })] : []),
      text(t.reads, { isSubtle: true, size: 'Small', spacing: 'Small' }),
      { type: 'ActionSet', actions: actions(check) },
    ],
    { separator: true, spacing: 'Medium' },
  );
}

/** Secure Score as a Teams `Chart.Gauge` (percent of the maximum), with a TextBlock for clients without charts. */
export function secureScoreGauge(check: SecureScoreCheck): CardElement | null {
  if (check.current === null || check.max === null || check.max <= 0) return null;
  const pct = Math.round((1000 * check.current) / check.max) / 10;
  const summary = own`Microsoft Secure Score: ${pct} % (${check.current} of ${check.max} points)`;
  return {
    type: 'Chart.Gauge',
    title: 'Microsoft Secure Score',
    showTitle: true,
    value: pct,
    min: 0,
    max: 100,
    valueFormat: 'Percentage',
    subLabel: `${check.current} of ${check.max} points`,
    segments: [
      { legend: 'Low', size: 40, color: 'attention' },
      { legend: 'Fair', size: 30, color: 'warning' },
      { legend: 'Good', size: 30, color: 'good' },
    ],
    fallback: text(summary, { weight: 'Bolder' }),
  };
}

/** The posture card. */
export function postureCard(report: PostureReport): AdaptiveCard {
  const count = (v: Verdict) => report.checks.filter((c) => c.verdict === v).length;
  const score = report.checks.find((c): c is SecureScoreCheck => c.id === 'secure-score');
  const gauge = score ? secureScoreGauge(score) : null;
  const summary = own`${count('fail')} failing · ${count('cant-tell')} can’t tell · ${count('pass')} passing`;
  const body: CardElement[] = [
    text(own('Tenant posture: the phishing checklist'), { size: 'Medium', weight: 'Bolder' }),
    text(
      joinOwn([summary, own`read ${formatTime(new Date(report.at).toISOString(), report.at)}; read-only`], own(' — ')),
      {
        isSubtle: true,
        spacing: 'None',
      },
    ),
    ...(gauge ? [gauge] : []),
    ...report.checks.map((c) => section(c, report.at)),
  ];
  return adaptiveCard(body, [], own`Tenant posture: ${summary}`);
}
