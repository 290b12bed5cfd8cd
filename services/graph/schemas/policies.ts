import { z } from 'zod';
import { listOf, optionalBoolean, optionalString as ns, orNull, stringList as strings } from './fields';

/** `GET /policies/authorizationPolicy`: `allowedToUseSSPR` is SSPR for administrators. */
export const authorizationPolicySchema = z.looseObject({
  id: z.string(),
  allowedToUseSSPR: optionalBoolean,
  blockMsolPowerShell: optionalBoolean,
  /** `permissionGrantPoliciesAssigned`: which consent policies apply when users consent to apps (empty: none). */
  defaultUserRolePermissions: orNull(z.looseObject({ permissionGrantPoliciesAssigned: strings })),
});

/** `GET /policies/authenticationMethodsPolicy` (details UNVERIFIED): which methods are enabled, for whom. */
export const authenticationMethodsPolicySchema = z.looseObject({
  id: z.string(),
  policyMigrationState: ns,
  registrationEnforcement: z.unknown().optional(),
  authenticationMethodConfigurations: listOf(
    z.looseObject({
      '@odata.type': z.string().optional(),
      id: z.string(),
      state: ns,
      includeTargets: listOf(z.looseObject({ id: z.string(), targetType: ns })),
      excludeTargets: listOf(z.looseObject({ id: z.string(), targetType: ns })),
    }),
  ),
});

/** Who a conditional access policy targets (`conditions.users`). */
const caUsersSchema = z.looseObject({
  includeUsers: strings,
  excludeUsers: strings,
  includeGroups: strings,
  excludeGroups: strings,
  includeRoles: strings,
  excludeRoles: strings,
});

/** Which cloud apps a conditional access policy covers (`conditions.applications`). */
const caApplicationsSchema = z.looseObject({
  includeApplications: strings,
  excludeApplications: strings,
});

/** An authentication strength a policy requires: which method combinations satisfy it. */
const authenticationStrengthSchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  allowedCombinations: strings,
});

/** A conditional access policy: its name, state, user targets and grant controls (authentication strength). */
export const conditionalAccessPolicySchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  state: ns,
  createdDateTime: ns,
  modifiedDateTime: ns,
  conditions: z
    .looseObject({
      users: orNull(caUsersSchema),
      applications: orNull(caApplicationsSchema),
      clientAppTypes: strings,
    })
    .nullable()
    .optional()
    .transform((v) => v ?? { users: null, applications: null, clientAppTypes: [] }),
  grantControls: orNull(
    z.looseObject({
      operator: ns,
      builtInControls: strings,
      authenticationStrength: orNull(authenticationStrengthSchema),
    }),
  ),
});

/** `checkMemberGroups` result: the ids of the given groups the user belongs to (transitively). */
export const checkMemberGroupsSchema = z.looseObject({ value: z.array(z.string()) });

export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;
export type AuthenticationMethodsPolicy = z.infer<typeof authenticationMethodsPolicySchema>;
export type ConditionalAccessPolicy = z.infer<typeof conditionalAccessPolicySchema>;
