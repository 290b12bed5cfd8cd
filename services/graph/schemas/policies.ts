import { z } from 'zod';

const ns = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

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

/** A conditional access policy, minimal: enough to name it and know whether it is on. */
export const conditionalAccessPolicySchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  state: ns,
  createdDateTime: ns,
  modifiedDateTime: ns,
});

/** `checkMemberGroups` result: the ids of the given groups the user belongs to (transitively). */
export const checkMemberGroupsSchema = z.looseObject({ value: z.array(z.string()) });

export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;
export type AuthenticationMethodsPolicy = z.infer<typeof authenticationMethodsPolicySchema>;
export type ConditionalAccessPolicy = z.infer<typeof conditionalAccessPolicySchema>;
