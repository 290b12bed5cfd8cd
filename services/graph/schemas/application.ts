/**
 * An application's credentials as Graph v1.0 returns them (application resource: passwordCredentials, keyCredentials).
 * Graph never returns a secret after its creation (`secretText` / `key` are null), and the bot never asks for one.
 */
import { z } from 'zod';
import { optionalString as ns } from './fields';

const credentialSchema = z.looseObject({
  keyId: z.string(),
  displayName: ns,
  startDateTime: ns,
  endDateTime: ns,
});

export const keyCredentialSchema = credentialSchema.extend({
  type: ns,
  usage: ns,
  customKeyIdentifier: ns,
});

export const applicationCredentialsSchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  passwordCredentials: z
    .array(credentialSchema)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  keyCredentials: z
    .array(keyCredentialSchema)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});
export type ApplicationCredentials = z.infer<typeof applicationCredentialsSchema>;
