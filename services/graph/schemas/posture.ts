import { z } from 'zod';
import { optionalBoolean, optionalNumber, optionalString as ns, stringList as strings } from './fields';

/** `GET /policies/identitySecurityDefaultsEnforcementPolicy`: whether security defaults are on. */
export const securityDefaultsSchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  isEnabled: optionalBoolean,
});

/** `GET /policies/adminConsentRequestPolicy`: the admin consent workflow. */
export const adminConsentRequestPolicySchema = z.looseObject({
  isEnabled: optionalBoolean,
  notifyReviewers: optionalBoolean,
  reviewers: z
    .array(z.looseObject({ query: ns, queryType: ns }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

/** A `security/secureScores` record (one per day): the score, its maximum and each control's score. */
export const secureScoreSchema = z.looseObject({
  id: z.string(),
  createdDateTime: ns,
  currentScore: optionalNumber,
  maxScore: optionalNumber,
  controlScores: z
    .array(
      z.looseObject({
        controlName: ns,
        controlCategory: ns,
        score: optionalNumber,
        description: ns,
        implementationStatus: ns,
        scoreInPercentage: optionalNumber,
      }),
    )
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

/** A `security/secureScoreControlProfiles` entry: what a control is, its maximum and the admin's state for it. */
export const secureScoreControlProfileSchema = z.looseObject({
  id: z.string(),
  title: ns,
  controlCategory: ns,
  maxScore: optionalNumber,
  rank: optionalNumber,
  actionUrl: ns,
  deprecated: optionalBoolean,
  threats: strings,
  controlStateUpdates: z
    .array(z.looseObject({ state: ns, updatedDateTime: ns }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export type SecurityDefaults = z.infer<typeof securityDefaultsSchema>;
export type AdminConsentRequestPolicy = z.infer<typeof adminConsentRequestPolicySchema>;
export type SecureScore = z.infer<typeof secureScoreSchema>;
export type SecureScoreControlProfile = z.infer<typeof secureScoreControlProfileSchema>;
