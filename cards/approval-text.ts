import type { PlannedStep, StepReason, TargetRefusal, TargetWarning } from '../services/approvals/types';

/** Our own wording for the approval flow's codes (literal types, so cards can mark them `own`; untrusted parts are added as TextRuns). */
export const STEP_LABELS = {
  revoke: 'Revoke all sign-in sessions (revokeSignInSessions; takes effect within minutes)',
  disable: 'Block sign-in (accountEnabled = false)',
  enable: 'Restore sign-in (accountEnabled = true)',
  'reset-password':
    'Reset the password: a temporary password goes to the requester only, change required at next sign-in',
  'remove-method': 'Delete authentication method',
  tap: 'Create a one-time Temporary Access Pass (60 minutes), shown only to the requester',
  'disable-rule': 'Disable inbox rule',
  'enable-rule': 'Re-enable inbox rule',
} as const satisfies Record<PlannedStep['kind'], string>;

export const REASON_TEXT = {
  applied: 'applied',
  verified: 'verified by reading it back',
  'not-verified': 'NOT confirmed by the read-back',
  'dry-run': 'dry run: no change made',
  'already-in-state': 'already in that state, nothing written',
  'rule-missing': 'the rule no longer exists',
  'method-missing': 'the method no longer exists',
  'graph-error': 'Graph refused or failed',
  'outcome-unknown': 'Graph did not confirm; outcome unknown, not retried',
  'no-personal-chat': 'no personal chat with the requester, so nothing was changed',
  delivered: 'sent to the requester in a personal chat',
  'delivery-failed': 'could not be delivered to the requester; nothing kept, a new request is needed',
  'reconciled-applied': 'found applied after a restart (not written again)',
  'reconciled-not-applied': 'not applied (interrupted by a restart; not retried, a new request is needed)',
  'secret-lost': 'the temporary secret was lost in the restart; request a new one',
  'target-refused': 'refused when the target was re-checked',
  skipped: 'skipped',
} as const satisfies Record<StepReason, string>;

export const REFUSAL_TEXT = {
  admin:
    'The target holds an admin role (active or eligible). Actions on admins are refused unless ALLOW_ADMIN_TARGETS is set.',
  protected: 'The target is in the protected group (PROTECTED_GROUP_ID): actions against it are refused.',
  'synced-password':
    'The target is synced from on-premises AD: its password is mastered there, so a cloud reset is refused unless PASSWORD_WRITEBACK is set.',
} as const satisfies Record<TargetRefusal, string>;

export const WARNING_TEXT = {
  'guest-revoke-no-effect': 'Guest account: revoking sessions here has no effect on the home tenant sessions.',
  'synced-mastered-on-premises':
    'Synced from on-premises AD: sign-in state and password are mastered on-premises and a directory sync may undo this change.',
  'admin-allowed': 'The target holds an admin role; ALLOW_ADMIN_TARGETS permits acting on it.',
} as const satisfies Record<TargetWarning, string>;
