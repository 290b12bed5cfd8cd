import { z } from 'zod';
import { flag as bool, stringList as strings, optionalString } from './fields';

/** A `userRegistrationDetails` row; `methodsRegistered` is an open set, preferred method can be `""`. */
export const userRegistrationDetailsSchema = z.looseObject({
  id: z.string(),
  userPrincipalName: z.string(),
  userDisplayName: optionalString,
  userType: optionalString,
  isAdmin: bool,
  isMfaCapable: bool,
  isMfaRegistered: bool,
  isPasswordlessCapable: bool,
  isSsprCapable: bool,
  isSsprEnabled: bool,
  isSsprRegistered: bool,
  isSystemPreferredAuthenticationMethodEnabled: bool,
  methodsRegistered: strings,
  systemPreferredAuthenticationMethods: strings,
  userPreferredMethodForSecondaryAuthentication: z
    .string()
    .nullable()
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
  lastUpdatedDateTime: optionalString,
});

export type UserRegistrationDetails = z.infer<typeof userRegistrationDetailsSchema>;
