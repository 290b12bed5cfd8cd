import { z } from 'zod';
import { optionalBoolean, optionalString } from './fields';

/** `POST /users/{id}/revokeSignInSessions` reply: `{value: true}` (the status code can vary, per the docs). */
export const revokeSignInSessionsResultSchema = z.looseObject({ value: z.boolean() });

/** `POST …/methods/{passwordMethodId}/resetPassword` 202 body: the generated password, or `{}` when one was supplied. */
export const passwordResetResponseSchema = z.looseObject({ newPassword: z.string().nullable().optional() });

/** Beta `GET /users/{id}/authentication/signInPreferences`. */
export const signInPreferencesSchema = z.looseObject({
  isSystemPreferredAuthenticationMethodEnabled: optionalBoolean,
  userPreferredMethodForSecondaryAuthentication: optionalString,
});
