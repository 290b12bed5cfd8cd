import { z } from 'zod';
import { optionalString as ns, stringList as strings } from './fields';

/** `GET /policies/authorizationPolicy`: `allowedToUseSSPR` is SSPR for administrators. */
export const authorizationPolicySchema = z.looseObject({
  id: z.string(),
  allowedToUseSSPR: z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  blockMsolPowerShell: z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  /** `permissionGrantPoliciesAssigned`: which consent policies apply when users consent to apps (empty: none). */
  defaultUserRolePermissions: z
    .looseObject({ permissionGrantPoliciesAssigned: strings })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

/** `GET /policies/authenticationMethodsPolicy` (details UNVERIFIED): which methods are enabled, for whom. */
export const authenticationMethodsPolicySchema = z.looseObject({
  id: z.string(),
  policyMigrationState: ns,
  registrationEnforcement: z.unknown().optional(),
  authenticationMethodConfigurations: z
    .array(
      z.looseObject({
        '@odata.type': z.string().optional(),
        id: z.string(),
        state: ns,
        includeTargets: z
          .array(z.looseObject({ id: z.string(), targetType: ns }))
          .optional()
          .transform((v) => v ?? []),
        excludeTargets: z
          .array(z.looseObject({ id: z.string(), targetType: ns }))
          .optional()
          .transform((v) => v ?? []),
      }),
    )
    .nullable()
    .optional()
    .transform((v) => v ?? []),
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
      users: caUsersSchema
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      applications: caApplicationsSchema
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      clientAppTypes: strings,
    })
    .nullable()
    .optional()
    .transform((v) => v ?? { users: null, applications: null, clientAppTypes: [] }),
  grantControls: z
    .looseObject({
      operator: ns,
      builtInControls: strings,
      authenticationStrength: authenticationStrengthSchema
        .nullable()
        .optional()
        .transform((v) => v ?? null),
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

/** `checkMemberGroups` result: the ids of the given groups the user belongs to (transitively). */
export const checkMemberGroupsSchema = z.looseObject({ value: z.array(z.string()) });

export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;
export type AuthenticationMethodsPolicy = z.infer<typeof authenticationMethodsPolicySchema>;
export type ConditionalAccessPolicy = z.infer<typeof conditionalAccessPolicySchema>;
