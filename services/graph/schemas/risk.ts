import { z } from 'zod';
import { optionalString as ns, optionalBoolean as nb, orNull } from './fields';

/** A risky user (Identity Protection, P2); `id` is the user's object id. */
export const riskyUserSchema = z.looseObject({
  id: z.string(),
  userPrincipalName: ns,
  userDisplayName: ns,
  isDeleted: nb,
  isProcessing: nb,
  riskLastUpdatedDateTime: ns,
  riskLevel: ns,
  riskState: ns,
  riskDetail: ns,
});

export type RiskyUser = z.infer<typeof riskyUserSchema>;

/** The documented field names of riskyUser (the docs example holds type placeholders, so tests check names only). */
export const riskyUserFields = Object.keys(riskyUserSchema.shape);

/** A risk detection (fields per graph-api.md §7, UNVERIFIED there, so all optional but id). */
export const riskDetectionSchema = z.looseObject({
  id: z.string(),
  requestId: ns,
  correlationId: ns,
  riskEventType: ns,
  riskLevel: ns,
  riskState: ns,
  riskDetail: ns,
  source: ns,
  detectionTimingType: ns,
  activity: ns,
  ipAddress: ns,
  activityDateTime: ns,
  detectedDateTime: ns,
  lastUpdatedDateTime: ns,
  userId: ns,
  userPrincipalName: ns,
  additionalInfo: ns,
  location: orNull(z.looseObject({ city: ns, state: ns, countryOrRegion: ns })),
});

export type RiskDetection = z.infer<typeof riskDetectionSchema>;
