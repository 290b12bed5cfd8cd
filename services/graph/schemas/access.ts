/**
 * What gives an app or a device access to a user's data: delegated permission grants (oAuth2PermissionGrant), app role
 * assignments, the service principals they point at, and devices. Shapes from the Graph v1.0 resource pages.
 */
import { z } from 'zod';
import { optionalBoolean as nb, optionalString as ns, orNull, selectOf } from './fields';

/** oAuth2PermissionGrant: `scope` is a space-separated list of delegated permission values; Graph keeps no dates. */
export const permissionGrantSchema = z.looseObject({
  id: z.string(),
  clientId: z.string(),
  consentType: ns,
  principalId: ns,
  resourceId: z.string(),
  scope: ns,
});
export type PermissionGrant = z.infer<typeof permissionGrantSchema>;

/** appRoleAssignment of a user (or of a group the user is a direct member of: principalType 'Group'). */
export const appRoleAssignmentSchema = z.looseObject({
  id: z.string(),
  appRoleId: ns,
  createdDateTime: ns,
  principalDisplayName: ns,
  principalId: ns,
  principalType: ns,
  resourceDisplayName: ns,
  resourceId: z.string(),
});
export type AppRoleAssignment = z.infer<typeof appRoleAssignmentSchema>;

/** The servicePrincipal fields that say who publishes an app and whether Microsoft verified the publisher. */
export const servicePrincipalSchema = z.looseObject({
  id: z.string(),
  appId: ns,
  displayName: ns,
  publisherName: ns,
  appOwnerOrganizationId: ns,
  servicePrincipalType: ns,
  accountEnabled: nb,
  verifiedPublisher: orNull(z.looseObject({ displayName: ns, verifiedPublisherId: ns, addedDateTime: ns })),
});
export type ServicePrincipal = z.infer<typeof servicePrincipalSchema>;
export const SERVICE_PRINCIPAL_SELECT = selectOf(servicePrincipalSchema);

/** A device in a user's registeredDevices / ownedDevices (directoryObject collections; other types are skipped). */
export const deviceSchema = z.looseObject({
  '@odata.type': z.string().optional(),
  id: z.string(),
  deviceId: ns,
  displayName: ns,
  operatingSystem: ns,
  operatingSystemVersion: ns,
  trustType: ns,
  registrationDateTime: ns,
  approximateLastSignInDateTime: ns,
  accountEnabled: nb,
  isCompliant: nb,
  isManaged: nb,
});
export type Device = z.infer<typeof deviceSchema>;
