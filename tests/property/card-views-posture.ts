import type { Named, PostureReport } from '../../services/posture/types';
import { orderChecks } from '../../services/posture/posture';

/** A posture report in which every name from Graph or Exchange is `h()`, and every check appears. */
export function postureReport(h: () => string, at: number): PostureReport {
  const who = (kind: Named['kind']): Named => ({ id: h(), name: h(), kind });
  return {
    at,
    checks: orderChecks([
      {
        id: 'mfa-all',
        verdict: 'pass',
        need: null,
        securityDefaults: false,
        policies: [h()],
        reportOnly: [h()],
        exclusions: [who('group'), who('user'), { id: h(), name: null, kind: 'role' }],
      },
      {
        id: 'legacy-auth',
        verdict: 'fail',
        need: null,
        securityDefaults: false,
        policies: [],
        reportOnly: [h()],
        exclusions: [],
      },
      {
        id: 'auto-forwarding',
        verdict: 'fail',
        need: null,
        policies: [{ name: h(), mode: 'On', isDefault: false }],
        lastSweep: { finishedAt: at - 3_600_000, mailboxes: 40, externalForwarders: 3 },
      },
      { id: 'user-consent', verdict: 'fail', need: null, userConsent: 'any', adminConsentWorkflow: false },
      {
        id: 'admin-sspr',
        verdict: 'fail',
        need: null,
        adminSsprAllowed: false,
        admins: 3,
        caught: [
          { ...who('user'), reason: 'admin-sspr-off' },
          { ...who('user'), reason: 'one-gate' },
        ],
      },
      {
        id: 'smtp-pop-imap',
        verdict: 'cant-tell',
        need: { kind: 'permission', name: h() },
        smtpAuthDisabled: null,
        popImap: null,
      },
      {
        id: 'mailbox-audit',
        verdict: 'fail',
        need: null,
        auditDisabled: false,
        mailboxesOff: Array.from({ length: 8 }, () => who('mailbox')),
      },
      {
        id: 'advanced-audit',
        verdict: 'fail',
        need: null,
        admins: { checked: 2, unlicensed: [who('user')] },
        vip: { checked: 5, unlicensed: [who('user')], complete: false },
      },
      {
        id: 'sspr',
        verdict: 'cant-tell',
        need: { kind: 'failed', service: 'graph', code: 'graph_throttled' },
        members: 0,
        enabled: 0,
        registered: 0,
        complete: false,
        threshold: 0.9,
      },
      {
        id: 'secure-score',
        verdict: 'fail',
        need: null,
        current: 46.5,
        max: 83,
        at: null,
        controls: [{ id: h(), title: h(), score: 0, maxScore: 8, state: h(), actionUrl: null }],
      },
    ]),
  };
}
