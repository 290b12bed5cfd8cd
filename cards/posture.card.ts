/** The `posture` card: Secure Score as a gauge, then the ten checks, failing first (highest impact first). */
import type { PostureCheck, PostureReport, SecureScoreCheck, Verdict } from '../services/posture/types';
import { adaptiveCard, commandButton, container, runs, text, type AdaptiveCard, type CardElement } from './elements';
import { details, needLine } from './posture-details';
import { CHECK_TEXT } from './posture-text';
import { formatTime, joinOwn, own, type Own } from './text';

const BADGE: Record<Verdict, { label: Own; color: string }> = {
  fail: { label: own('FAIL'), color: 'Attention' },
  'cant-tell': { label: own('CAN’T TELL'), color: 'Warning' },
  pass: { label: own('PASS'), color: 'Good' },
};

/** A link to the fix and, where the bot has the matching read, a button that runs it. */
function actions(check: PostureCheck): CardElement[] {
  const t = CHECK_TEXT[check.id];
  const out: CardElement[] = [{ type: 'Action.OpenUrl', title: 'How to fix (Microsoft Learn)', url: t.docs }];
  if (check.id === 'auto-forwarding') out.push(commandButton('Sweep forwarding now', 'sweep', 'forwarding'));
  // Who has MFA that actually works, admins first: the tenant-wide report behind checks 1 and 4.
  if (check.id === 'mfa-all' || check.id === 'admin-sspr') out.push(commandButton('Report MFA', 'report', 'mfa'));
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

/** All ten verdicts at a glance, in the card's order, before the details. */
function overview(checks: readonly PostureCheck[]): CardElement {
  return container(
    checks.map((c) => {
      const badge = BADGE[c.verdict];
      return runs([{ text: badge.label, bold: true, color: badge.color }, own(' '), CHECK_TEXT[c.id].title], {
        spacing: 'None',
        small: true,
      });
    }),
    { spacing: 'Small' },
  );
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
    overview(report.checks),
    ...report.checks.map((c) => section(c, report.at)),
  ];
  return adaptiveCard(body, [], own`Tenant posture: ${summary}`);
}
