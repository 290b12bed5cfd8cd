/**
 * The writes the approval flow makes (services/approvals/graph-tenant.ts sends them), declared for their permission,
 * the README's permission table and the 403 error; never replayed by the client after an unknown outcome.
 */
import { defineWrite } from './endpoint';

const APP_ROLE =
  'and a directory role on the app (Helpdesk or User Administrator, ideally scoped to an administrative unit)';

export const writes = {
  revokeSignInSessions: defineWrite({
    name: 'revokeSignInSessions',
    method: 'POST',
    template: '/users/{user}/revokeSignInSessions',
    throttle: 'identity',
    permissions: ['User.RevokeSessions.All'],
    purpose: '`revoke`, `contain`',
  }),
  setAccountEnabled: defineWrite({
    name: 'setAccountEnabled',
    method: 'PATCH',
    template: '/users/{user}',
    throttle: 'identity',
    permissions: ['User.EnableDisableAccount.All', 'User.Read.All'],
    purpose: '`disable`, `enable`, `contain` (accountEnabled)',
    note: APP_ROLE,
  }),
  resetPassword: defineWrite({
    name: 'resetPassword',
    method: 'PATCH',
    template: '/users/{user}',
    throttle: 'identity',
    permissions: ['User-PasswordProfile.ReadWrite.All'],
    purpose: '`reset-password`, `contain` (passwordProfile)',
    note: APP_ROLE,
  }),
  deleteAuthenticationMethod: defineWrite({
    name: 'deleteAuthenticationMethod',
    method: 'DELETE',
    template: '/users/{user}/authentication/{type}/{method}',
    throttle: 'identity',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    purpose: '`remove-method`',
  }),
  createTemporaryAccessPass: defineWrite({
    name: 'createTemporaryAccessPass',
    method: 'POST',
    template: '/users/{user}/authentication/temporaryAccessPassMethods',
    throttle: 'identity',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    purpose: '`tap`',
  }),
  setInboxRuleEnabled: defineWrite({
    name: 'setInboxRuleEnabled',
    method: 'PATCH',
    template: '/users/{user}/mailFolders/inbox/messageRules/{rule}',
    throttle: 'outlook',
    permissions: ['MailboxSettings.ReadWrite'],
    purpose: '`disable-rule`, `enable-rule`, `contain`',
  }),
  deletePermissionGrant: defineWrite({
    name: 'deletePermissionGrant',
    method: 'DELETE',
    template: '/oauth2PermissionGrants/{grant}',
    throttle: 'identity',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    purpose: "`revoke-grant`, `contain` (an app's delegated access to the user's data)",
  }),
  deleteUserAppRoleAssignment: defineWrite({
    name: 'deleteUserAppRoleAssignment',
    method: 'DELETE',
    template: '/users/{user}/appRoleAssignments/{assignment}',
    throttle: 'identity',
    permissions: ['AppRoleAssignment.ReadWrite.All'],
    purpose: '`revoke-grant`, `contain` (an app role assigned to the user)',
  }),
  setDeviceEnabled: defineWrite({
    name: 'setDeviceEnabled',
    method: 'PATCH',
    template: '/devices/{device}',
    throttle: 'identity',
    permissions: ['Device.ReadWrite.All'],
    purpose: '`disable-device`, `contain` (accountEnabled)',
    note: 'Graph lets an app change accountEnabled of Windows devices only; other devices are left for the admin centre',
  }),
  removeApplicationPassword: defineWrite({
    name: 'removeApplicationPassword',
    method: 'POST',
    template: '/applications/{app}/removePassword',
    throttle: 'identity',
    permissions: ['Application.ReadWrite.All'],
    purpose: '`contain` (a client secret added to an app the user owns)',
  }),
  setApplicationKeys: defineWrite({
    name: 'setApplicationKeys',
    method: 'PATCH',
    template: '/applications/{app}',
    throttle: 'identity',
    permissions: ['Application.ReadWrite.All'],
    purpose:
      '`contain` (a certificate added to an app the user owns: removeKey needs a proof signed by one of the app keys)',
  }),
  createPermissionGrant: defineWrite({
    name: 'createPermissionGrant',
    method: 'POST',
    template: '/oauth2PermissionGrants',
    throttle: 'identity',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    purpose: '`restore-grant` (the undo: re-creates a revoked grant from the before-state the approval kept)',
  }),
  createUserAppRoleAssignment: defineWrite({
    name: 'createUserAppRoleAssignment',
    method: 'POST',
    template: '/users/{user}/appRoleAssignments',
    throttle: 'identity',
    permissions: ['AppRoleAssignment.ReadWrite.All'],
    purpose: '`restore-app-role` (the undo: assigns the removed app role again)',
  }),
  createPhoneMethod: defineWrite({
    name: 'createPhoneMethod',
    method: 'POST',
    template: '/users/{user}/authentication/phoneMethods',
    throttle: 'identity',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    purpose: '`restore-method` (the undo: registers the removed phone number again)',
  }),
  createEmailMethod: defineWrite({
    name: 'createEmailMethod',
    method: 'POST',
    template: '/users/{user}/authentication/emailMethods',
    throttle: 'identity',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    purpose: '`restore-method` (the undo: registers the removed email address again)',
  }),
  installAppForUser: defineWrite({
    name: 'installAppForUser',
    method: 'POST',
    template: '/users/{user}/teamwork/installedApps',
    throttle: 'other',
    permissions: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    purpose: '"was this you?": install the bot for a user who never messaged it, to ask them in a 1:1 chat',
    note: 'only with USER_CONFIRMATIONS and TEAMS_APP_CATALOG_ID; the app must be in the org catalog',
  }),
} as const;

export const writeDeclarations = Object.values(writes);
