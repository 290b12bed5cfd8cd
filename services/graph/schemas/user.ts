import { z } from 'zod';
import { optionalBoolean, optionalString as nullableString, selectOf, stringList } from './fields';

/** The user properties the bot reads (request them with `$select`, see userSelect). */
export const graphUserSchema = z.looseObject({
  id: z.string(),
  displayName: nullableString,
  userPrincipalName: z.string(),
  mail: nullableString,
  accountEnabled: optionalBoolean,
  onPremisesSyncEnabled: optionalBoolean,
  proxyAddresses: stringList,
  userType: nullableString,
  lastPasswordChangeDateTime: nullableString,
  signInSessionsValidFromDateTime: nullableString,
  createdDateTime: nullableString,
  otherMails: stringList,
});

export type GraphUser = z.infer<typeof graphUserSchema>;

/** A user as a card names them, and the id a UPN resolves to (`$select=id,displayName,userPrincipalName`). */
export const userIdentitySchema = z.looseObject({
  id: z.string(),
  displayName: nullableString,
  userPrincipalName: z.string(),
});

export type UserIdentity = z.infer<typeof userIdentitySchema>;

/** `$select` for graphUserSchema. */
export const userSelect = selectOf(graphUserSchema);

/** A user as `report mfa` lists them: who is counted apart (guest, disabled, unlicensed) and how a card names them. */
export const reportUserSchema = z.looseObject({
  id: z.string(),
  '@odata.type': z.string().optional(),
  displayName: nullableString,
  userPrincipalName: nullableString,
  accountEnabled: optionalBoolean,
  userType: nullableString,
  assignedLicenses: z
    .array(z.looseObject({ skuId: z.string().nullable().optional() }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export type ReportUser = z.infer<typeof reportUserSchema>;

/** `$select` for reportUserSchema. */
export const reportUserSelect = selectOf(reportUserSchema);
