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
  'revoke-grant': "Revoke the app's delegated permission grant (oauth2PermissionGrants, DELETE)",
  'remove-app-role': "Remove the user's app role assignment (appRoleAssignments, DELETE)",
  'remove-delegate': 'Remove the mailbox permission (Exchange)',
  'disable-device': 'Disable the device (devices, accountEnabled = false)',
  'enable-device': 'Enable the device again (devices, accountEnabled = true)',
  'remove-app-credential': 'Remove the credential from the app the user owns',
  'restore-grant': "Re-create the app's delegated permission grant as it was (oauth2PermissionGrants, POST)",
  'restore-app-role': 'Assign the app role to the user again (appRoleAssignments, POST)',
  'restore-method': 'Register the removed authentication method again (phoneMethods / emailMethods, POST)',
  'restore-delegate':
    'Give the mailbox permission back (Exchange Add-MailboxPermission / Add-RecipientPermission / Set-Mailbox)',
  'block-mobile-device':
    'Block the mobile device for the mailbox (Exchange Set-CASMailbox -ActiveSyncBlockedDeviceIDs @{Add})',
  'unblock-mobile-device':
    'Unblock the mobile device for the mailbox (Exchange Set-CASMailbox -ActiveSyncBlockedDeviceIDs @{Remove})',
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
  'outcome-unknown': 'Graph did not confirm and the state could not be re-read; outcome unknown, not retried',
  'confirmed-by-read': 'Graph did not answer in time, but reading the user back shows it took effect (not sent again)',
  'not-applied-retryable':
    'failed, retryable: Graph stayed unavailable, and reading the user back shows nothing changed. Make a new request to try again',
  'tap-exists':
    'the user already has a Temporary Access Pass; nothing was created (remove it first with remove-method, its id is on the mfa card)',
  'not-started-in-time':
    'not started within 15 minutes of the approval (the bot was down or busy); nothing was changed, make a new request',
  'no-personal-chat': 'no personal chat with the requester, so nothing was changed',
  delivered: 'sent to the requester in a personal chat',
  'delivery-failed': 'could not be delivered to the requester; nothing kept, a new request is needed',
  'reconciled-applied': 'found applied after a restart (not written again)',
  'reconciled-not-applied': 'not applied (interrupted by a restart; not retried, a new request is needed)',
  'secret-lost': "the temporary secret was lost (a restart, or Graph's answer never arrived); request a new one",
  'target-refused': 'refused when the target was re-checked',
  skipped: 'skipped',
  'item-missing': 'no longer there',
  'item-changed':
    'not touched: the id now names something else than the approver saw (another user, app or device); investigate again',
  'last-method-kept':
    "not deleted: it is the user's last sign-in method besides the password (the last method is always kept)",
  'exchange-not-enabled':
    'not contained: the Exchange admin API is disabled (EXCHANGE_ADMIN_ENABLED is off), so Exchange was not changed',
  'device-not-windows':
    'not done: Graph lets an app disable Windows devices only; disable or delete this device in the Entra admin centre',
} as const satisfies Record<StepReason, string>;

/** Why the bot cannot undo a removal: said on the finished card instead of an Undo line. */
export const NOT_UNDOABLE = {
  method:
    'Graph cannot re-create an authenticator app, security key or Windows Hello registration; the user registers it again.',
  secret:
    "the client secret is gone: Graph never returns a secret after it is created; the app's owner adds a new one.",
  certificate: "the certificate's public key is not kept by the bot; the app's owner uploads it again.",
} as const;

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
  'persistence-not-checked':
    'The apps, delegates, devices and credentials the investigation flags could not be read, so none of them are in this request; run "investigate <upn>" and pick them.',
} as const satisfies Record<TargetWarning, string>;
