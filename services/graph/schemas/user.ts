import { z } from 'zod';
import { optionalString as nullableString } from './fields';

/** The user properties the bot reads (request them with `$select`, see userSelect). */
export const graphUserSchema = z.looseObject({
  id: z.string(),
  displayName: nullableString,
  userPrincipalName: z.string(),
  mail: nullableString,
  accountEnabled: z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  onPremisesSyncEnabled: z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  proxyAddresses: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  userType: nullableString,
  lastPasswordChangeDateTime: nullableString,
  signInSessionsValidFromDateTime: nullableString,
  createdDateTime: nullableString,
  otherMails: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export type GraphUser = z.infer<typeof graphUserSchema>;

/** `$select` for graphUserSchema. */
export const userSelect = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'proxyAddresses',
  'userType',
  'lastPasswordChangeDateTime',
  'signInSessionsValidFromDateTime',
  'createdDateTime',
  'otherMails',
] as const;
