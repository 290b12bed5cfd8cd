/** The `investigate <upn>` reply: one card for a possibly compromised account, with buttons for the actions. Pure. */
import type { Investigation } from '../services/identity/investigation';
import type { SignInSummary, SignInView } from '../services/identity/sign-ins';
import {
  adaptiveCard,
  commandButton,
  container,
  heading,
  text,
  trustedRow,
  untrusted,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { formatTime } from './format';
import { forwardingFindings } from './forwarding.card';
import { FAMILY_NAMES } from './mfa-method.card';
import { line, run, trailLines } from './mfa-trail.card';
import { verdictHeadline } from './mfa-usability.card';

function section(title: string, items: CardElement[]): CardElement {
  return container([text(title, { weight: 'Bolder' }), ...items], { separator: true, spacing: 'Medium' });
}

function signInLine(s: SignInView, nowMs: number): CardElement {
  const where = [s.city, s.country].filter((p): p is string => p !== null).join(', ');
  const inlines: Record<string, unknown>[] = [
    run(`${formatTime(s.at, nowMs)} — `, { own: true, subtle: true }),
    run(s.result === 'success' ? '✅ success' : s.result === 'failure' ? '❌ failure' : '⏸ interrupted', { own: true }),
  ];
  if (s.ipAddress) inlines.push(run(' from ', { own: true }), run(s.ipAddress, { mono: true }));
  if (where)
    inlines.push(run(' (', { own: true }), run(where), run(s.newCountry ? ', new country)' : ')', { own: true }));
  if (s.app) inlines.push(run(' — ', { own: true }), run(s.app));
  if (s.riskLevel && s.riskLevel !== 'none')
    inlines.push(run(' — risk ', { own: true }), run(s.riskLevel, { bold: true }));
  return line(inlines);
}

function signInsSection(inv: Investigation, nowMs: number): CardElement {
  if (inv.signIns.kind === 'unavailable') {
    return section('Sign-ins and risk', [
      text(`Not readable: the bot's app registration is missing ${inv.signIns.permission}.`),
    ]);
  }
  const s: SignInSummary = inv.signIns.value;
  const items: CardElement[] = [];
  if (inv.riskUnavailable) items.push(text(`Identity Protection not readable: missing ${inv.riskUnavailable}.`));
  else if (s.risk.kind === 'risky')
    items.push(
      line([
        run(s.risk.open ? '⚠️ Identity Protection: ' : 'Identity Protection: ', { own: true, bold: true }),
        run(`${s.risk.level} / ${s.risk.state}`),
        run(` (updated ${formatTime(s.risk.updated, nowMs)})`, { own: true, subtle: true }),
      ]),
    );
  else items.push(text('Identity Protection: not risky.'));
  items.push(
    text(`${s.total} recent sign-ins: ${s.successes} succeeded, ${s.failures} failed, ${s.interrupted} interrupted.`, {
      spacing: 'None',
    }),
  );
  if (s.newCountries.length > 0)
    items.push(line([run('New countries: ', { own: true, bold: true }), run(s.newCountries.join(', '))]));
  items.push(...s.signIns.slice(0, 5).map((v) => signInLine(v, nowMs)));
  return section('Sign-ins and risk', items);
}

/** The forwarding check's verdict and flagged rules (with their disable buttons), or why it is missing. */
function forwardingSection(inv: Investigation): CardElement {
  const f = inv.forwarding;
  const items =
    f.kind === 'read'
      ? forwardingFindings(f.report, { flaggedOnly: true })
      : [
          text(
            f.kind === 'unavailable'
              ? `Not readable: the bot's app registration is missing ${f.permission}. The rest of this investigation was read.`
              : `Could not be checked (${f.code}). The rest of this investigation was read; run \`forwarding\` to retry.`,
            { color: 'Warning' },
          ),
        ];
  return section('Inbox rules and forwarding', items);
}

/** The card; every Graph string goes through TextRuns. */
export function investigationCard(inv: Investigation, nowMs: number): AdaptiveCard {
  const p = inv.profile;
  const upn = p.upn;
  const mfaLines = inv.mfa.methods.map((m) =>
    line([
      run(
        `${m.usability.kind === 'usable' ? '✅' : m.usability.kind === 'cant-tell' ? '❔' : '❌'} ${FAMILY_NAMES[m.family]}`,
        { own: true },
      ),
      ...(m.label ? [run(' — ', { own: true }), run(m.label)] : []),
    ]),
  );
  const body: CardElement[] = [
    heading('Investigation'),
    untrusted(p.displayName ? `${p.displayName} (${upn})` : upn, { weight: 'Bolder' }),
    section('Account', [
      trustedRow('Status', p.enabled === false ? 'Disabled (sign-in blocked)' : p.enabled ? 'Enabled' : 'Unknown'),
      trustedRow(
        'Source',
        p.source === 'synced' ? 'Synced from on-premises AD (block and reset there, or with writeback)' : 'Cloud-only',
      ),
      trustedRow('Password changed', formatTime(p.lastPasswordChange, nowMs)),
      trustedRow('Sessions valid from', formatTime(p.sessionsValidFrom, nowMs)),
      trustedRow(
        'Advanced auditing',
        p.advancedAuditing.state === 'provisioned'
          ? 'Provisioned: MailItemsAccessed is recorded, so mail an attacker read can be traced.'
          : 'Not provisioned: MailItemsAccessed is not recorded for this user.',
      ),
      ...(p.adminRoles.length > 0
        ? [line([run('Admin roles: ', { own: true, bold: true }), run(p.adminRoles.join(', '))])]
        : []),
    ]),
    section('MFA', [text(verdictHeadline(inv.mfa)), ...mfaLines]),
    section(
      `Security-info changes in the last 7 days`,
      inv.recentChanges.length > 0 ? trailLines(inv.recentChanges, nowMs) : [text('None in the audit log.')],
    ),
    signInsSection(inv, nowMs),
    forwardingSection(inv),
  ];
  const actions = [
    commandButton('Revoke sessions', 'revoke', upn),
    commandButton('Block sign-in', 'disable', upn),
    commandButton('Contain', 'contain', upn),
    commandButton('MFA details', 'mfa', upn),
  ];
  return adaptiveCard(body, actions, 'Investigation');
}
