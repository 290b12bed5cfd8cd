import { z } from 'zod';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A user principal name that passed shape validation; not yet known to exist. */
export type Upn = Brand<string, 'Upn'>;
/** An Entra object id (GUID). Only ids, never UPNs, are used after a user is resolved. */
export type UserId = Brand<string, 'UserId'>;
export type GroupId = Brand<string, 'GroupId'>;

// Entra limits a UPN to 113 characters: a 64-character prefix, '@', and a 48-character domain.
const UPN_MAX = 113;
const UPN_PREFIX = /^[A-Za-z0-9'._\-!#^~$%&+=]{1,64}$/;
// A single-label domain (o'brien@x) is accepted: Graph is the judge of whether it exists.
const DOMAIN =
  /^(?=.{1,48}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const upnSchema = z
  .string()
  .trim()
  .max(UPN_MAX, `a user principal name has at most ${UPN_MAX} characters`)
  .refine((s) => {
    const at = s.lastIndexOf('@');
    if (at <= 0) return false;
    return UPN_PREFIX.test(s.slice(0, at)) && DOMAIN.test(s.slice(at + 1)) && !s.slice(0, at).includes('@');
  }, 'expected a user principal name such as alice@contoso.com')
  .transform((s) => s as Upn);

export const userIdSchema = z
  .string()
  .regex(GUID, 'expected an object id (GUID)')
  .transform((s) => s.toLowerCase() as UserId);

/** A user named in a command: a UPN or an object id. */
export type UserRef = { kind: 'upn'; upn: Upn } | { kind: 'id'; id: UserId };

export const userRefSchema = z.string().transform((s, ctx): UserRef => {
  const trimmed = s.trim();
  if (GUID.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() as UserId };
  const upn = upnSchema.safeParse(trimmed);
  if (upn.success) return { kind: 'upn', upn: upn.data };
  ctx.addIssue({ code: 'custom', message: upn.error.issues[0]?.message ?? 'invalid user' });
  return z.NEVER;
});

export function isGuid(value: string): boolean {
  return GUID.test(value);
}
