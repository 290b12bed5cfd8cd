/** Card pieces for one judged authentication method and for missing evidence. Pure. */
import type { PolicyAllowance } from '../services/identity/mfa-policy';
import type { MethodFamily } from '../services/identity/mfa-trail';
import type { MethodAssessment, MissingEvidence, Verification } from '../services/identity/mfa-verdict';
import { commandButton, container, text } from './elements';
import type { CardElement, Part } from './elements';
import { formatTime, own, type Own } from './text';
import { line, trailLines } from './mfa-trail.card';

export const FAMILY_NAMES = {
  authenticator: 'Microsoft Authenticator',
  phone: 'Phone (SMS / voice)',
  fido2: 'FIDO2 security key / passkey',
  softwareOath: 'Software OATH token',
  windowsHello: 'Windows Hello for Business',
  platformCredential: 'Platform credential',
  email: 'Email (SSPR only)',
  temporaryAccessPass: 'Temporary Access Pass',
  password: 'Password',
  unknown: 'Unrecognised method type',
} as const satisfies Readonly<Record<MethodFamily, string>>;

/** Our wording for what evidence is missing. */
export function missingText(m: MissingEvidence, nowMs: number): Own {
  const from = m.kind !== 'policy-unknown' && 'coveredFrom' in m ? formatTime(m.coveredFrom, nowMs) : '';
  switch (m.kind) {
    case 'older-than-audit-report-disagrees':
      return own`Can't tell: the method was created ${m.createdAt ? formatTime(m.createdAt, nowMs) : 'at an unknown time'}, before the audit log that can be read (from ${from}), and the registration report does not count it as registered.`;
    case 'no-record-report-disagrees':
      return own`Can't tell: the method was created ${formatTime(m.createdAt, nowMs)}, inside the audit window, yet no registration record was found and the registration report does not count it.`;
    case 'audit-report-disagree':
      return m.auditSaysVerified
        ? own`Can't tell: the audit log shows it registered ${formatTime(m.auditAt, nowMs)}, but the registration report (updated ${formatTime(m.reportUpdatedAt, nowMs)}) does not count it.`
        : own`Can't tell: the audit log shows an unfinished registration ${formatTime(m.auditAt, nowMs)}, but the registration report (updated ${formatTime(m.reportUpdatedAt, nowMs)}) counts it as registered.`;
    case 'no-report-no-audit':
      return own`Can't tell: there is no registration report row for the user (Entra ID P1/P2) and no audit record since ${from}.`;
    case 'policy-unknown':
      return own(
        "Can't tell whether the authentication methods policy allows it: the policy has no configuration for this method type.",
      );
  }
}

// Configuration ids and group ids come from Graph, so the wording names the family in our own words instead.
function allowanceText(a: PolicyAllowance, family: MethodFamily): Own {
  const name = FAMILY_NAMES[family];
  switch (a.kind) {
    case 'allowed':
      return a.config
        ? own`Allowed by the authentication methods policy.`
        : own('Not governed by the authentication methods policy.');
    case 'disabled':
      return own`Not allowed: ${name} is disabled in the authentication methods policy.`;
    case 'not-targeted':
      return own`Not allowed: ${name} is enabled in the authentication methods policy, but not for any group this user is in.`;
    case 'excluded':
      return own`Not allowed: the user is in a group the authentication methods policy excludes from ${name}.`;
    case 'unknown':
      return own('Whether the authentication methods policy allows it is unknown.');
  }
}

function verificationText(v: Verification, family: MethodFamily, nowMs: number): Own {
  switch (v.kind) {
    case 'verified':
      if (v.source === 'on-creation')
        return own`Verified: a ${FAMILY_NAMES[family]} is listed only after the device completed registration.`;
      if (v.source === 'report')
        return own`Verified by the registration report, which counts it as registered${v.olderThanAudit ? ' (the registration is older than the audit log that can be read)' : ''}.`;
      return own`Verified in the audit log ${formatTime(v.entry.at, nowMs)}${v.report === 'agrees' ? '; the registration report agrees' : v.report === 'lags' ? '; the registration report has not caught up yet' : '; no registration report row'}.`;
    case 'unverified':
      if (v.reason === 'device-without-method')
        return own`Never verified: the Authenticator device was added ${formatTime(v.entry.at, nowMs)} (StrongAuthenticationPhoneAppDetail), but no StrongAuthenticationMethod was set and no "User registered security info" followed. The user probably closed the browser before approving the test notification.`;
      if (v.reason === 'canceled')
        return own`Never verified: the user canceled security info registration ${formatTime(v.entry.at, nowMs)}.`;
      return own`Never verified: registration started ${formatTime(v.entry.at, nowMs)}, but "User registered security info" never followed.`;
    case 'unknown':
      return missingText(v.missing, nowMs);
    case 'not-needed':
      return own('Not an MFA method: it cannot satisfy multifactor authentication.');
  }
}

const USABILITY = {
  usable: '✅ Usable',
  'disabled-by-policy': '❌ Not usable: disabled by policy',
  'not-targeted': '❌ Not usable: user not targeted by the policy',
  'excluded-by-group': '❌ Not usable: user excluded by group',
  'never-verified': '❌ Not usable: never verified',
  'not-an-mfa-method': 'ℹ️ Not an MFA method',
  'tap-not-usable': '❌ Temporary Access Pass expired or used',
  'cant-tell': "❔ Can't tell",
} as const;

/** One method: name and usability, device (untrusted), policy, verification, its audit records, and a remove button. */
export function methodSection(m: MethodAssessment, upn: string, nowMs: number): CardElement {
  const status = m.usability.kind === 'not-usable' ? m.usability.reason : m.usability.kind;
  const head: Part[] = [
    { text: own`${USABILITY[status]} — `, bold: true },
    m.family === 'unknown' && m.odataType ? m.odataType : own(FAMILY_NAMES[m.family]),
  ];
  if (m.label) head.push(own(' — '), m.label);
  const items: CardElement[] = [line(head, { spacing: 'Small' })];
  if (m.createdAt)
    items.push(text(own`Created ${formatTime(m.createdAt, nowMs)}.`, { isSubtle: true, spacing: 'None' }));
  items.push(text(allowanceText(m.allowance, m.family), { spacing: 'None' }));
  items.push(text(verificationText(m.verification, m.family, nowMs), { spacing: 'None' }));
  if (m.evidence.length > 0) items.push(...trailLines(m.evidence, nowMs, 4));
  if (m.usability.kind !== 'usable' && m.countsForMfa) {
    items.push({
      type: 'ActionSet',
      actions: [commandButton('Remove this method', 'remove-method', `${upn} ${m.methodId}`)],
    });
  }
  return container(items, { separator: true, spacing: 'Medium' });
}
