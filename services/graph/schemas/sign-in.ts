import { z } from 'zod';
import { optionalString as ns, optionalNumber as nn, orNull, stringList, optionalBoolean } from './fields';

/** An interactive sign-in record (graph-api.md §4). */
export const signInSchema = z.looseObject({
  id: z.string(),
  createdDateTime: z.string(),
  userId: ns,
  userPrincipalName: ns,
  userDisplayName: ns,
  appId: ns,
  appDisplayName: ns,
  resourceId: ns,
  resourceDisplayName: ns,
  ipAddress: ns,
  clientAppUsed: ns,
  correlationId: ns,
  isInteractive: optionalBoolean,
  conditionalAccessStatus: ns,
  riskDetail: ns,
  riskLevelAggregated: ns,
  riskLevelDuringSignIn: ns,
  riskState: ns,
  riskEventTypes: stringList,
  status: z
    .looseObject({ errorCode: nn, failureReason: ns, additionalDetails: ns })
    .nullable()
    .optional()
    .transform((v) => v ?? { errorCode: null, failureReason: null, additionalDetails: null }),
  deviceDetail: orNull(
    z.looseObject({ deviceId: ns, displayName: ns, operatingSystem: ns, browser: ns, trustType: ns }),
  ),
  location: orNull(
    z.looseObject({
      city: ns,
      state: ns,
      countryOrRegion: ns,
      geoCoordinates: orNull(z.looseObject({ altitude: nn, latitude: nn, longitude: nn })),
    }),
  ),
  appliedConditionalAccessPolicies: z
    .array(z.looseObject({ id: ns, displayName: ns, result: ns }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export type SignIn = z.infer<typeof signInSchema>;
