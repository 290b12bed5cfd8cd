/**
 * Every Graph read the bot makes, declared once: name, path template, parser, throttling class (graph-api.md §13),
 * least-privileged application permission (§0) and version. Services ask for these by name (`endpoints.user.at(…)`);
 * the README's permission table is generated from them and writes.ts (`npm run permissions`).
 */
import { z } from 'zod';
import type { UserRef } from '../ids';
import { defineCollection, defineRead, onlyMatch } from './endpoint';
import { collectionSchema } from './schemas/collection';
import { odataString } from './odata';
import { authenticationMethodSchema } from './schemas/authentication-method';
import { directoryAuditSchema } from './schemas/directory-audit';
import { directoryObjectSchema } from './schemas/directory-object';
import { licenseDetailSchema } from './schemas/license';
import { messageRuleSchema } from './schemas/message-rule';
import { organizationSchema } from './schemas/organization';
import {
  authenticationMethodsPolicySchema,
  authorizationPolicySchema,
  checkMemberGroupsSchema,
  conditionalAccessPolicySchema,
} from './schemas/policies';
import { userRegistrationDetailsSchema } from './schemas/registration-details';
import { riskyUserSchema } from './schemas/risk';
import { signInSchema } from './schemas/sign-in';
import { graphUserSchema, reportUserSchema, reportUserSelect, userIdentitySchema, userSelect } from './schemas/user';
import { mailFolderSchema, userListItemSchema } from './schemas/mailbox';
import { applicationCredentialsSchema } from './schemas/application';
import {
  adminConsentRequestPolicySchema,
  secureScoreControlProfileSchema,
  secureScoreSchema,
  securityDefaultsSchema,
} from './schemas/posture';
import {
  appRoleAssignmentSchema,
  deviceSchema,
  permissionGrantSchema,
  SERVICE_PRINCIPAL_SELECT,
  servicePrincipalSchema,
} from './schemas/access';
import { installedAppChatSchema, teamsAppInstallationSchema } from './schemas/teams-app';

const P1 = 'Entra ID P1 or P2';
const iso = (d: Date | number): string => new Date(d).toISOString();
const byUser = (who: UserRef): string =>
  who.kind === 'id' ? `userId eq ${odataString(who.id)}` : `userPrincipalName eq ${odataString(who.upn)}`;
/** A filter on a unique property, read as its one record or null (like the by-id read's 404); two are refused. */
const onlyOf = <T extends z.ZodType<{ userPrincipalName?: string | null }>>(item: T, lookup: string) =>
  collectionSchema(item).transform((page) => onlyMatch(page.value, lookup));
const roleScheduleSchema = z.looseObject({
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string().nullable().optional(),
});
const byInitiator = (who: UserRef): string =>
  who.kind === 'id'
    ? `initiatedBy/user/id eq ${odataString(who.id)}`
    : `initiatedBy/user/userPrincipalName eq ${odataString(who.upn)}`;
const NOT_LISTED_APP_ONLY =
  "registeredDevices, ownedDevices: Graph's pages list no application permission (UNVERIFIED app-only); a refusal leaves only the devices section unread";
const usersPage = { $select: ['id', 'userPrincipalName', 'mail'], $top: 999, $count: 'true' } as const;
const reportUsersPage = { $select: [...reportUserSelect], $top: 999, $count: 'true' } as const;
// The services and activity that carry security-info records (audit-evidence.ts isSecurityInfoEvent narrows further).
const SECURITY_INFO_FILTER =
  "(loggedByService eq 'Authentication Methods' or loggedByService eq 'Self-service Password Management' or activityDisplayName eq 'Update user')";

export const endpoints = {
  user: defineRead({
    name: 'user',
    template: '/users/{user}',
    query: () => ({ $select: [...userSelect] }),
    schema: graphUserSchema,
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: 'the user: name, UPN, proxy addresses, sync, password and session times',
  }),
  userIdentity: defineRead({
    name: 'userIdentity',
    template: '/users/{user}',
    query: () => ({ $select: ['id', 'displayName', 'userPrincipalName'] }),
    schema: userIdentitySchema,
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: 'a UPN resolved to its object id, and the name a card shows',
  }),
  manager: defineRead({
    name: 'manager',
    template: '/users/{user}/manager',
    query: () => ({ $select: ['id', 'userPrincipalName'] }),
    schema: z.looseObject({ id: z.string(), userPrincipalName: z.string().nullable().optional() }),
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: "the user's manager: the one mailbox delegate `investigate` expects",
  }),
  memberOf: defineCollection({
    name: 'memberOf',
    template: '/users/{user}/memberOf',
    item: directoryObjectSchema,
    throttle: 'identity',
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    purpose: "a user's directory roles and groups",
  }),
  transitiveMemberOf: defineCollection({
    name: 'transitiveMemberOf',
    template: '/users/{user}/transitiveMemberOf',
    item: directoryObjectSchema,
    throttle: 'identity',
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    purpose: 'the groups the authentication methods policy targets',
  }),
  checkMemberGroups: defineRead({
    name: 'checkMemberGroups',
    method: 'POST',
    template: '/users/{user}/checkMemberGroups',
    body: (p: { groupIds: readonly string[] }) => ({ groupIds: p.groupIds }),
    schema: checkMemberGroupsSchema,
    throttle: 'identity',
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    purpose: 'caller authorisation (operators, approvers) and the protected group',
  }),
  licenseDetails: defineCollection({
    name: 'licenseDetails',
    template: '/users/{user}/licenseDetails',
    item: licenseDetailSchema,
    throttle: 'identity',
    permissions: ['LicenseAssignment.Read.All'],
    purpose: 'licences, and whether advanced auditing (MailItemsAccessed) is provisioned',
  }),
  authenticationMethods: defineCollection({
    name: 'authenticationMethods',
    template: '/users/{user}/authentication/methods',
    item: authenticationMethodSchema,
    throttle: 'identity',
    permissions: ['UserAuthenticationMethod.Read.All'],
    purpose: "a user's registered authentication methods",
  }),
  users: defineCollection({
    name: 'users',
    template: '/users',
    query: () => usersPage,
    headers: { ConsistencyLevel: 'eventual' },
    item: userListItemSchema,
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: 'every user, for the forwarding sweep',
  }),
  usersByName: defineCollection({
    name: 'usersByName',
    template: '/users',
    // startswith on these four is a default (not advanced) query: no ConsistencyLevel, no $count needed.
    query: (p: { prefix: string; top: number }) => ({
      $filter: ['displayName', 'givenName', 'surname', 'userPrincipalName']
        .map((field) => `startswith(${field},${odataString(p.prefix)})`)
        .join(' or '),
      $select: ['id', 'displayName', 'userPrincipalName'],
      $top: p.top,
    }),
    item: userIdentitySchema,
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: 'a name in a plain-language question: the users whose name or UPN starts with it',
  }),
  groupUsers: defineCollection({
    name: 'groupUsers',
    template: '/groups/{group}/transitiveMembers/microsoft.graph.user',
    query: () => usersPage,
    headers: { ConsistencyLevel: 'eventual' },
    item: userListItemSchema,
    throttle: 'identity',
    permissions: ['GroupMember.Read.All'],
    purpose: "a group's members, for a sweep of that group",
  }),
  organization: defineCollection({
    name: 'organization',
    template: '/organization',
    query: () => ({ $select: ['id', 'displayName', 'verifiedDomains'] }),
    item: organizationSchema,
    throttle: 'identity',
    permissions: ['Organization.Read.All'],
    purpose: 'the verified domains (internal vs external recipients), and the readiness probe',
  }),
  authenticationMethodsPolicy: defineRead({
    name: 'authenticationMethodsPolicy',
    template: '/policies/authenticationMethodsPolicy',
    schema: authenticationMethodsPolicySchema,
    throttle: 'identity',
    permissions: ['Policy.Read.All'],
    purpose: 'which methods the tenant allows, for whom',
  }),
  authorizationPolicy: defineRead({
    name: 'authorizationPolicy',
    template: '/policies/authorizationPolicy',
    schema: authorizationPolicySchema,
    throttle: 'identity',
    permissions: ['Policy.Read.All'],
    purpose: 'whether administrators may use SSPR',
  }),
  conditionalAccessPolicies: defineCollection({
    name: 'conditionalAccessPolicies',
    template: '/identity/conditionalAccess/policies',
    item: conditionalAccessPolicySchema,
    throttle: 'identityProtection',
    permissions: ['Policy.Read.All'],
    purpose: 'authentication strengths Conditional Access requires',
  }),
  roleGroupMemberships: defineCollection({
    name: 'roleGroupMemberships',
    template: '/users/{user}/transitiveMemberOf',
    item: z.looseObject({
      '@odata.type': z.string().optional(),
      id: z.string(),
      displayName: z.string().nullable().optional(),
      isAssignableToRole: z.boolean().nullable().optional(),
      roleTemplateId: z.string().nullable().optional(),
    }),
    throttle: 'identity',
    permissions: ['User.Read.All', 'GroupMember.Read.All'],
    purpose: "an approval target's role-assignable groups (admin roles held through a group)",
  }),
  roleAssignments: defineCollection({
    name: 'roleAssignments',
    template: '/roleManagement/directory/roleAssignments',
    // Graph's `in` takes at most 15 directory object ids; callers chunk.
    query: (p: { principalIds: readonly string[] }) => ({
      $filter: `principalId in (${p.principalIds.map(odataString).join(',')})`,
    }),
    item: roleScheduleSchema,
    throttle: 'other',
    permissions: ['RoleManagement.Read.Directory'],
    purpose: 'active admin roles of an approval target, direct or through a group, tenant-wide or AU-scoped',
  }),
  roleEligibilitySchedules: defineCollection({
    name: 'roleEligibilitySchedules',
    template: '/roleManagement/directory/roleEligibilitySchedules',
    // Eligibility schedules filter principalId with eq (and ne) only: one query per principal.
    query: (p: { principalId: string }) => ({ $filter: `principalId eq ${odataString(p.principalId)}` }),
    item: roleScheduleSchema,
    throttle: 'other',
    permissions: ['RoleEligibilitySchedule.Read.Directory'],
    purpose: 'eligible (PIM) admin roles of an approval target, direct or through a group',
  }),
  registrationDetails: defineRead({
    name: 'registrationDetails',
    template: '/reports/authenticationMethods/userRegistrationDetails/{id}',
    schema: userRegistrationDetailsSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All'],
    purpose: 'the registration report row of a user (MFA/SSPR registered and capable)',
    note: P1,
  }),
  registrationDetailsByUpn: defineRead({
    name: 'registrationDetailsByUpn',
    template: '/reports/authenticationMethods/userRegistrationDetails',
    query: (p: { upn: string }) => ({ $filter: `userPrincipalName eq ${odataString(p.upn)}` }),
    schema: onlyOf(userRegistrationDetailsSchema, 'registration report'),
    throttle: 'reports',
    permissions: ['AuditLog.Read.All'],
    purpose: 'the same row by UPN, before the object id is known',
    note: P1,
  }),
  userAudits: defineCollection({
    name: 'userAudits',
    template: '/auditLogs/directoryAudits',
    query: (p: { userId: string; since: Date; service?: string; top: number; newestFirst?: boolean }) => ({
      $filter: [
        ...(p.service === undefined ? [] : [`loggedByService eq ${odataString(p.service)}`]),
        `targetResources/any(t: t/id eq ${odataString(p.userId)})`,
        `activityDateTime ge ${iso(p.since)}`,
      ].join(' and '),
      ...(p.newestFirst ? { $orderby: 'activityDateTime desc' } : {}),
      $top: p.top,
    }),
    item: directoryAuditSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    purpose: "a user's security-info and SSPR audit records",
    note: P1,
  }),
  auditWindow: defineCollection({
    name: 'auditWindow',
    template: '/auditLogs/directoryAudits',
    query: (p: { from: number; to: number; top: number }) => ({
      $filter: `activityDateTime ge ${iso(p.from)} and activityDateTime le ${iso(p.to)}`,
      $orderby: 'activityDateTime asc',
      $top: p.top,
    }),
    item: directoryAuditSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    purpose: 'the tenant audit log the alert poller reads',
    note: P1,
  }),
  signIns: defineCollection({
    name: 'signIns',
    template: '/auditLogs/signIns',
    query: (p: { who: UserRef; top: number }) => ({ $filter: byUser(p.who), $top: p.top }),
    item: signInSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All'],
    purpose: "a user's recent sign-ins",
    note: P1,
  }),
  riskyUser: defineRead({
    name: 'riskyUser',
    template: '/identityProtection/riskyUsers/{id}',
    schema: riskyUserSchema,
    throttle: 'identityProtection',
    permissions: ['IdentityRiskyUser.Read.All'],
    purpose: "a user's Identity Protection risk",
    note: 'Entra ID P2',
  }),
  riskyUserByUpn: defineRead({
    name: 'riskyUserByUpn',
    template: '/identityProtection/riskyUsers',
    query: (p: { upn: string }) => ({ $filter: `userPrincipalName eq ${odataString(p.upn)}` }),
    schema: onlyOf(riskyUserSchema, 'riskyUsers'),
    throttle: 'identityProtection',
    permissions: ['IdentityRiskyUser.Read.All'],
    purpose: 'the same by UPN, before the object id is known',
    note: 'Entra ID P2',
  }),
  riskyUsers: defineCollection({
    name: 'riskyUsers',
    template: '/identityProtection/riskyUsers',
    query: () => ({ $top: 500 }),
    item: riskyUserSchema,
    throttle: 'identityProtection',
    permissions: ['IdentityRiskyUser.Read.All'],
    purpose: 'users turning risky, for alerts',
    note: 'Entra ID P2',
  }),
  inboxRules: defineCollection({
    name: 'inboxRules',
    template: '/users/{user}/mailFolders/inbox/messageRules',
    item: messageRuleSchema,
    throttle: 'outlook',
    permissions: ['MailboxSettings.Read'],
    purpose: 'inbox rules (`forwarding`, `investigate`, the sweep, watched mailboxes)',
  }),
  inboxRule: defineRead({
    name: 'inboxRule',
    template: '/users/{user}/mailFolders/inbox/messageRules/{rule}',
    schema: messageRuleSchema,
    throttle: 'outlook',
    permissions: ['MailboxSettings.Read'],
    purpose: 'one rule, read back after disabling it',
  }),
  permissionGrant: defineRead({
    name: 'permissionGrant',
    template: '/oauth2PermissionGrants/{grant}',
    schema: permissionGrantSchema,
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: 'one delegated permission grant, read before and after `revoke-grant` / `contain` deletes it',
  }),
  device: defineRead({
    name: 'device',
    template: '/devices/{device}',
    query: () => ({ $select: ['id', 'deviceId', 'displayName', 'accountEnabled', 'operatingSystem'] }),
    schema: deviceSchema,
    throttle: 'identity',
    permissions: ['Device.Read.All'],
    purpose: 'one device, read before and after `disable-device` / `contain` disables it',
  }),
  applicationCredentials: defineRead({
    name: 'applicationCredentials',
    template: '/applications/{app}',
    query: () => ({ $select: ['id', 'displayName', 'passwordCredentials', 'keyCredentials'] }),
    schema: applicationCredentialsSchema,
    throttle: 'identity',
    permissions: ['Application.Read.All'],
    purpose: "an app's credentials (never their secrets), read before and after `contain` removes one",
  }),
  ownedApplications: defineCollection({
    name: 'ownedApplications',
    template: '/users/{user}/ownedObjects/microsoft.graph.application',
    query: () => ({ $select: ['id'] }),
    item: z.looseObject({ id: z.string() }),
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: 'the apps a user owns (whose credentials `contain` may remove)',
  }),
  mailFolder: defineRead({
    name: 'mailFolder',
    template: '/users/{user}/mailFolders/{folder}',
    query: () => ({ $select: ['id', 'displayName', 'isHidden'] }),
    schema: mailFolderSchema,
    throttle: 'outlook',
    permissions: ['Mail.ReadBasic.All'],
    purpose: 'the name of the folder a rule moves mail to (hidden or rarely read?)',
  }),
  securityDefaults: defineRead({
    name: 'securityDefaults',
    template: '/policies/identitySecurityDefaultsEnforcementPolicy',
    schema: securityDefaultsSchema,
    throttle: 'identity',
    permissions: ['Policy.Read.All'],
    purpose: '`posture`: whether security defaults are on (MFA for all, legacy authentication blocked)',
  }),
  adminConsentRequestPolicy: defineRead({
    name: 'adminConsentRequestPolicy',
    template: '/policies/adminConsentRequestPolicy',
    schema: adminConsentRequestPolicySchema,
    throttle: 'identity',
    permissions: ['Policy.Read.All'],
    purpose: '`posture`: whether the admin consent workflow is on',
  }),
  groupName: defineRead({
    name: 'groupName',
    template: '/groups/{group}',
    query: () => ({ $select: ['id', 'displayName'] }),
    schema: z.looseObject({ id: z.string(), displayName: z.string().nullable().optional() }),
    throttle: 'identity',
    permissions: ['GroupMember.Read.All'],
    purpose: '`posture`: the names of groups a Conditional Access policy excludes',
  }),
  reportUsers: defineCollection({
    name: 'reportUsers',
    template: '/users',
    query: () => reportUsersPage,
    headers: { ConsistencyLevel: 'eventual' },
    item: reportUserSchema,
    throttle: 'identity',
    permissions: ['User.Read.All'],
    purpose: '`report mfa`: every user with enabled, type and licences (guests, disabled, unlicensed counted apart)',
  }),
  reportGroupUsers: defineCollection({
    name: 'reportGroupUsers',
    template: '/groups/{group}/transitiveMembers/microsoft.graph.user',
    query: () => reportUsersPage,
    headers: { ConsistencyLevel: 'eventual' },
    item: reportUserSchema,
    throttle: 'identity',
    permissions: ['GroupMember.Read.All'],
    purpose: "`report mfa <group>`: the group's transitive user members",
  }),
  groupMemberIds: defineCollection({
    name: 'groupMemberIds',
    template: '/groups/{group}/transitiveMembers/microsoft.graph.user',
    query: () => ({ $select: ['id'], $top: 999 }),
    item: z.looseObject({ id: z.string() }),
    throttle: 'identity',
    permissions: ['GroupMember.Read.All'],
    purpose: '`report mfa`: each group the methods policy or Conditional Access targets, expanded once',
  }),
  registrationReport: defineCollection({
    name: 'registrationReport',
    template: '/reports/authenticationMethods/userRegistrationDetails',
    query: () => ({ $top: 999 }),
    item: userRegistrationDetailsSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All'],
    purpose:
      'the whole registration report, paged (`report mfa`; `posture`: SSPR registration and the admins with their methods)',
    note: P1,
  }),
  secureScores: defineCollection({
    name: 'secureScores',
    template: '/security/secureScores',
    query: () => ({ $top: 1 }),
    item: secureScoreSchema,
    throttle: 'other',
    permissions: ['SecurityEvents.Read.All'],
    purpose: "`posture`: today's Microsoft Secure Score and each control's score",
  }),
  secureScoreControlProfiles: defineCollection({
    name: 'secureScoreControlProfiles',
    template: '/security/secureScoreControlProfiles',
    item: secureScoreControlProfileSchema,
    throttle: 'other',
    permissions: ['SecurityEvents.Read.All'],
    purpose: '`posture`: what each Secure Score control is, its maximum and its state',
  }),
  permissionGrants: defineCollection({
    name: 'permissionGrants',
    template: '/oauth2PermissionGrants',
    // principalId supports eq; the user's own grants only (tenant-wide AllPrincipals grants have no principalId).
    query: (p: { userId: string }) => ({ $filter: `principalId eq ${odataString(p.userId)}` }),
    item: permissionGrantSchema,
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: "delegated permission grants the user consented to (apps with access to the user's data)",
  }),
  userAppRoleAssignments: defineCollection({
    name: 'userAppRoleAssignments',
    template: '/users/{user}/appRoleAssignments',
    item: appRoleAssignmentSchema,
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: "the user's app role assignments (apps the user was assigned to)",
  }),
  servicePrincipal: defineRead({
    name: 'servicePrincipal',
    template: '/servicePrincipals/{id}',
    query: () => ({ $select: [...SERVICE_PRINCIPAL_SELECT] }),
    schema: servicePrincipalSchema,
    throttle: 'identity',
    permissions: ['Application.Read.All'],
    purpose: 'the app behind a grant or assignment: name, publisher, verified publisher, first-party or not',
  }),
  registeredDevices: defineCollection({
    name: 'registeredDevices',
    template: '/users/{user}/registeredDevices',
    item: deviceSchema,
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: 'devices the user registered (registration time, OS, trust type)',
    note: NOT_LISTED_APP_ONLY,
  }),
  ownedDevices: defineCollection({
    name: 'ownedDevices',
    template: '/users/{user}/ownedDevices',
    item: deviceSchema,
    throttle: 'identity',
    permissions: ['Directory.Read.All'],
    purpose: 'devices the user joined or owns',
    note: NOT_LISTED_APP_ONLY,
  }),
  initiatedAudits: defineCollection({
    name: 'initiatedAudits',
    template: '/auditLogs/directoryAudits',
    query: (p: { who: UserRef; since: Date; top: number }) => ({
      $filter: `${byInitiator(p.who)} and activityDateTime ge ${iso(p.since)}`,
      $orderby: 'activityDateTime desc',
      $top: p.top,
    }),
    item: directoryAuditSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    purpose: "changes the user's own account made (consents, methods, groups, roles, app credentials, invitations)",
    note: P1,
  }),
  // Reading alone needs TeamsAppInstallation.ReadForUser.All; installing (writes.ts) needs ReadWriteSelfForUser.All,
  // which also covers these reads and lets the app manage only itself: one permission for the whole feature.
  userInstalledApp: defineCollection({
    name: 'userInstalledApp',
    template: '/users/{user}/teamwork/installedApps',
    query: (p: { teamsAppId: string }) => ({
      $expand: ['teamsApp'],
      $filter: `teamsApp/id eq ${odataString(p.teamsAppId)}`,
    }),
    item: teamsAppInstallationSchema,
    throttle: 'other',
    permissions: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    purpose: '"was this you?": is the bot installed for the user (to reach them in a 1:1 chat)',
  }),
  installedAppChat: defineRead({
    name: 'installedAppChat',
    template: '/users/{user}/teamwork/installedApps/{installation}/chat',
    schema: installedAppChatSchema,
    throttle: 'other',
    permissions: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    purpose: '"was this you?": the 1:1 chat of the bot installed for the user',
  }),
  securityInfoAudits: defineCollection({
    name: 'securityInfoAudits',
    template: '/auditLogs/directoryAudits',
    query: (p: { since: Date; top: number }) => ({
      $filter: `activityDateTime ge ${iso(p.since)} and ${SECURITY_INFO_FILTER}`,
      $orderby: 'activityDateTime desc',
      $top: p.top,
    }),
    item: directoryAuditSchema,
    throttle: 'reports',
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    purpose: '`report mfa`: every security-info record of the tenant over the retention window, in one query',
    note: P1,
  }),
} as const;

/** Every read declaration, for the permission table and the consistency tests. */
export const readDeclarations = Object.values(endpoints);
