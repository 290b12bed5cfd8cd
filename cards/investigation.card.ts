/** The `investigate <upn>` reply: one card for a possibly compromised account, with buttons for the actions. Pure. */
import type { Investigation } from '../services/identity/investigation';
import type { SignInSummary, SignInView } from '../services/identity/sign-ins';
import { adaptiveCard, commandButton, container, heading, row, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, Part } from './elements';
import { formatTime, own, type Own } from './text';
import { exchangeSections } from './exchange-sections';
import { forwardingFindings } from './forwarding.card';
import { appsSection, changesSection, devicesSection, timelineSection } from './investigation-access.card';
import { containPick } from './investigation-pick';
import { FAMILY_NAMES } from './mfa-method.card';
import { line, trailLines } from './mfa-trail.card';
import { verdictHeadline } from './mfa-usability.card';

function section(title: Own, items: CardElement[]): CardElement {
  return container([text(title, { weight: 'Bolder' }), ...items], { separator: true, spacing: 'Medium' });
}

/** "Not readable: … missing <permission>." — the permission comes from a Graph error, so it is a TextRun. */
function missing(lead: Own, permission: string, tail: Own = own('.')): CardElement {
  return line([lead, permission, tail]);
}

function signInLine(s: SignInView, nowMs: number): CardElement {
  const where = [s.city, s.country].filter((p): p is string => p !== null).join(', ');
  const parts: Part[] = [
    { text: own`${formatTime(s.at, nowMs)} — `, subtle: true },
    s.result === 'success' ? own('✅ success') : s.result === 'failure' ? own('❌ failure') : own('⏸ interrupted'),
  ];
  if (s.ipAddress) parts.push(own(' from '), { text: s.ipAddress, mono: true });
  if (where) parts.push(own(' ('), where, s.newCountry ? own(', new country)') : own(')'));
  if (s.app) parts.push(own(' — '), s.app);
  if (s.riskLevel && s.riskLevel !== 'none') parts.push(own(' — risk '), { text: s.riskLevel, bold: true });
  return line(parts);
}

function signInsSection(inv: Investigation, nowMs: number): CardElement {
  const title = own('Sign-ins and risk');
  if (inv.signIns.kind === 'unavailable') {
    return section(title, [
      missing(own("Not readable: the bot's app registration is missing "), inv.signIns.permission),
    ]);
  }
  const s: SignInSummary = inv.signIns.value;
  const items: CardElement[] = [];
  if (inv.riskUnavailable) items.push(missing(own('Identity Protection not readable: missing '), inv.riskUnavailable));
  else if (s.risk.kind === 'risky')
    items.push(
      line([
        { text: s.risk.open ? own('⚠️ Identity Protection: ') : own('Identity Protection: '), bold: true },
        `${s.risk.level} / ${s.risk.state}`,
        { text: own` (updated ${formatTime(s.risk.updated, nowMs)})`, subtle: true },
      ]),
    );
  else items.push(text(own('Identity Protection: not risky.')));
  items.push(
    text(
      own`${s.total} recent sign-ins: ${s.successes} succeeded, ${s.failures} failed, ${s.interrupted} interrupted.`,
      {
        spacing: 'None',
      },
    ),
  );
  if (s.newCountries.length > 0)
    items.push(line([{ text: own('New countries: '), bold: true }, s.newCountries.join(', ')]));
  items.push(...s.signIns.slice(0, 5).map((v) => signInLine(v, nowMs)));
  return section(title, items);
}

/** The forwarding check's verdict and flagged rules (with their disable buttons), or why it is missing. */
function forwardingSection(inv: Investigation): CardElement {
  const f = inv.forwarding;
  const items =
    f.kind === 'read'
      ? forwardingFindings(f.report, { flaggedOnly: true })
      : f.kind === 'unavailable'
        ? [
            line(
              [
                own("Not readable: the bot's app registration is missing "),
                f.permission,
                own('. The rest of this investigation was read.'),
              ],
              { color: 'Warning' },
            ),
          ]
        : [
            text(
              own`Could not be checked (${f.code}). The rest of this investigation was read; run \`forwarding\` to retry.`,
              { color: 'Warning' },
            ),
          ];
  return section(own('Inbox rules and forwarding'), items);
}

/** The card; every Graph string goes through TextRuns. */
export function investigationCard(inv: Investigation, nowMs: number): AdaptiveCard {
  const p = inv.profile;
  const upn = p.upn;
  const mfaLines = inv.mfa.methods.map((m) =>
    line([
      own`${m.usability.kind === 'usable' ? '✅' : m.usability.kind === 'cant-tell' ? '❔' : '❌'} ${FAMILY_NAMES[m.family]}`,
      ...(m.label ? [own(' — '), m.label] : []),
    ]),
  );
  const body: CardElement[] = [
    heading(own('Investigation')),
    untrusted(p.displayName ? `${p.displayName} (${upn})` : upn, { bold: true }),
    section(own('Account'), [
      row(
        own('Status'),
        p.enabled === false ? own('Disabled (sign-in blocked)') : p.enabled ? own('Enabled') : own('Unknown'),
      ),
      row(
        own('Source'),
        p.source === 'synced'
          ? own('Synced from on-premises AD (block and reset there, or with writeback)')
          : own('Cloud-only'),
      ),
      row(own('Password changed'), formatTime(p.lastPasswordChange, nowMs)),
      row(own('Sessions valid from'), formatTime(p.sessionsValidFrom, nowMs)),
      row(
        own('Advanced auditing'),
        p.advancedAuditing.state === 'provisioned'
          ? own('Provisioned: MailItemsAccessed is recorded, so mail an attacker read can be traced.')
          : own('Not provisioned: MailItemsAccessed is not recorded for this user.'),
      ),
      ...(p.adminRoles.length > 0 ? [line([{ text: own('Admin roles: '), bold: true }, p.adminRoles.join(', ')])] : []),
    ]),
    section(own('MFA'), [text(verdictHeadline(inv.mfa)), ...mfaLines]),
    section(
      own('Security-info changes in the last 7 days'),
      inv.recentChanges.length > 0 ? trailLines(inv.recentChanges, nowMs) : [text(own('None in the audit log.'))],
    ),
    signInsSection(inv, nowMs),
    forwardingSection(inv),
    appsSection(inv, nowMs),
    devicesSection(inv, nowMs),
    ...exchangeSections(inv.exchange, nowMs),
    changesSection(inv, nowMs),
    timelineSection(inv, nowMs),
  ];
  const pick = containPick(upn, inv.flagged);
  body.push(...pick.body);
  const actions = [
    ...pick.actions,
    commandButton('Revoke sessions', 'revoke', upn),
    commandButton('Block sign-in', 'disable', upn),
    commandButton('Contain', 'contain', upn),
    commandButton('MFA details', 'mfa', upn),
  ];
  return adaptiveCard(body, actions, 'Investigation');
}
