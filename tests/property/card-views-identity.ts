import { signInSchema } from '../../services/graph/schemas';
import { messageRuleSchema } from '../../services/graph/schemas/message-rule';
import { assessMfa } from '../../services/identity/mfa-verdict';
import { groupSsprAttempts } from '../../services/identity/sspr';
import type { ResetEmailCheck } from '../../services/identity/sspr-check';
import { judgeMailboxForwarding, type ForwardingReport } from '../../services/mailbox/forwarding-check';
import { judgeRule } from '../../services/mailbox/rule-verdict';
import { ssprRecord, T0 } from '../unit/services/identity/sspr-records';
import {
  audit,
  authenticator,
  DAY,
  deviceOnlyTrail,
  input,
  NOW,
  password,
  phone,
  report,
} from '../unit/services/identity/mfa-fixtures';

// View data for the identity and mailbox cards, built through the real verdict functions from Graph-shaped records
// with `h()` (a fresh hostile string) in every field Graph or the pasted email controls.

const VERIFIED = ['example.com'];

export function mfaAssessment(h: () => string) {
  const base = input({
    methods: [password, authenticator('auth-1', DAY, h()), { ...phone, phoneNumber: h() }],
    report: report({ userPrincipalName: h(), methodsRegistered: [h()] }),
    events: [
      ...deviceOnlyTrail(DAY, 'auth-1'),
      audit({ activity: 'User registered security info', agoMs: 2 * DAY, reason: h() }),
    ],
  });
  return assessMfa({ ...base, user: { ...base.user, displayName: h(), userPrincipalName: h() } });
}

export function signIn(h: () => string, id: string, extra: Record<string, unknown> = {}) {
  return signInSchema.parse({
    id,
    createdDateTime: new Date(NOW - 3600_000).toISOString(),
    appDisplayName: h(),
    ipAddress: h(),
    clientAppUsed: h(),
    status: { errorCode: 50126, failureReason: h() },
    location: { city: h(), state: h(), countryOrRegion: 'NG' },
    deviceDetail: { browser: h(), operatingSystem: h(), displayName: h() },
    riskLevelDuringSignIn: 'high',
    riskEventTypes: [h()],
    authenticationDetails: [{ authenticationMethod: h(), succeeded: true, authenticationStepResultDetail: h() }],
    ...extra,
  });
}

export function forwardingReport(h: () => string): ForwardingReport {
  const rule = messageRuleSchema.parse({
    id: h(),
    displayName: h(),
    sequence: 1,
    isEnabled: true,
    hasError: true,
    conditions: { subjectContains: [h()], senderContains: [h()], bodyContains: [h()] },
    actions: {
      forwardTo: [{ emailAddress: { name: h(), address: `${h()}@evil.example.org` } }],
      redirectTo: [{ emailAddress: { name: h(), address: `x@${h()}` } }],
      moveToFolder: 'folder-1',
      markAsRead: true,
      delete: true,
    },
  });
  const folders = new Map([['folder-1', { found: true as const, displayName: h(), isHidden: true }]]);
  return {
    kind: 'checked',
    userId: h(),
    user: h(),
    rules: [judgeRule(rule, VERIFIED, folders)],
    mailbox: judgeMailboxForwarding(
      {
        userId: h(),
        upn: h(),
        forwardingSmtpAddress: `smtp:${h()}@evil.example.org`,
        forwardingAddress: h(),
        deliverToMailboxAndForward: true,
      },
      VERIFIED,
    ),
    severity: 'high',
  };
}

export function ssprCheck(h: () => string): ResetEmailCheck {
  const attempts = groupSsprAttempts([
    ssprRecord('User submitted their user ID', { at: T0, ip: h() }),
    ssprRecord(h(), { at: T0 + 4_000, result: 'failure' }),
  ]);
  const attempt = attempts[0] ?? null;
  return {
    verdict: 'suspicious',
    reasons: [
      { kind: 'auth-failed', method: 'dkim', result: h() },
      { kind: 'auth-domain-mismatch', domains: [h(), h()] },
      { kind: 'sender', address: h(), judgement: 'look-alike' },
      { kind: 'link', host: h(), judgement: 'other' },
      { kind: 'user-not-found', address: h() },
      ...(attempt ? [{ kind: 'flow-without-contact-admin' as const, attempt }] : []),
    ],
    headers: {
      kind: 'present',
      spf: h(),
      dkim: h(),
      dmarc: h(),
      compauth: h(),
      domains: [h()],
      aligned: false,
      allPass: false,
    },
    sender: { address: h(), judgement: 'look-alike' },
    links: [{ host: h(), judgement: 'other' }],
    user: { kind: 'found', address: h(), upn: h(), displayName: h(), attempts },
    matchingAttempt: attempt,
    contactAdmin: 'insufficient-methods',
    emailTime: T0 + 10_000,
    window: { start: T0 - 600_000, end: T0 + 60_000 },
  };
}
