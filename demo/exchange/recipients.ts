/** Recipient look-ups shared by the simulated cmdlets (no import of the registry, so no import cycle). */
import { graphError } from '../http/graph-error';
import type { HandlerContext } from '../http/types';
import { hasMailbox } from '../mailbox';
import { findUser, type DemoUser, type GraphObject } from '../state';
import type { CmdletResult } from './cmdlets';

/** Exchange's answer for an identity it cannot find. */
export function objectNotFound(ctx: HandlerContext, identity: unknown): CmdletResult {
  return {
    ok: false,
    response: graphError(
      ctx,
      404,
      'ManagementObjectNotFoundException',
      `The operation couldn't be performed because object '${String(identity)}' couldn't be found.`,
    ),
  };
}

/** Exchange's answer for a parameter it does not accept or a value it cannot use. */
export function parameterError(ctx: HandlerContext, message: string): CmdletResult {
  return { ok: false, response: graphError(ctx, 400, 'ParameterBindingException', message) };
}

/** The alias Exchange names a cloud recipient by (the UPN's local part in this demo). */
export function aliasOf(user: DemoUser): string {
  return (user.mail ?? user.userPrincipalName).split('@')[0] ?? user.userPrincipalName;
}

/** A recipient by UPN, primary or proxy address, object id, alias or display name, as Exchange resolves identities. */
export function findRecipient(ctx: HandlerContext, identity: unknown): DemoUser | null {
  if (typeof identity !== 'string' || identity.trim() === '') return null;
  const wanted = identity.trim().toLowerCase();
  const direct = findUser(ctx.state, wanted);
  if (direct) return direct;
  for (const user of ctx.state.users.values()) {
    if (ctx.state.generatedIds.has(user.id)) continue;
    if (
      user.mail?.toLowerCase() === wanted ||
      user.proxyAddresses.some((p) => p.toLowerCase() === `smtp:${wanted}`) ||
      aliasOf(user).toLowerCase() === wanted ||
      user.displayName.toLowerCase() === wanted
    )
      return user;
  }
  return null;
}

/** The mailbox a cmdlet's `Identity` (or `Mailbox`) names, or null when there is none. */
export function findMailbox(ctx: HandlerContext, identity: unknown): DemoUser | null {
  const user = findRecipient(ctx, identity);
  return user && hasMailbox(user) ? user : null;
}

/** The UPN Exchange shows for a trustee: the recipient's UPN when it resolves, else the text as given. */
export function trusteeName(ctx: HandlerContext, identity: string): string {
  return findRecipient(ctx, identity)?.userPrincipalName ?? identity;
}

/** `Get-Recipient`'s object, with the properties the bot reads. */
export function recipientObject(user: DemoUser): GraphObject {
  const guest = user.userType === 'Guest';
  const external = guest ? user.mail : null;
  return {
    Identity: aliasOf(user),
    Name: aliasOf(user),
    Alias: aliasOf(user),
    DisplayName: user.displayName,
    PrimarySmtpAddress: external ?? user.mail ?? user.userPrincipalName,
    ExternalEmailAddress: external ? `SMTP:${external}` : null,
    ExternalDirectoryObjectId: user.id,
    RecipientTypeDetails: guest ? 'GuestMailUser' : hasMailbox(user) ? 'UserMailbox' : 'MailUser',
    WhenCreatedUTC: user.createdDateTime,
  };
}
