import type { DemoResponse, GraphObject, HandlerContext } from '../http/types';
import { graphError } from '../http/graph-error';
import { hasMailbox } from '../mailbox';
import { findUser, type DemoUser } from '../state';
import { filtered, POSTURE_CMDLETS } from './posture-cmdlets';
import { ACTIVITY_CMDLETS } from './activity';
import { DELEGATE_CMDLETS } from './delegates';
import { MOBILE_BLOCK_CMDLETS } from './mobile-block';
import { exchangeSim } from './state';

/** What a simulated cmdlet returns: the objects Exchange would, or an error response as Exchange gives it. */
export type CmdletResult = { ok: true; items: GraphObject[] } | { ok: false; response: DemoResponse };

/** A simulated Exchange cmdlet: its parameters as the request's `CmdletInput.Parameters`. */
export type Cmdlet = (ctx: HandlerContext, parameters: Record<string, unknown>) => CmdletResult;

/** Exchange's answer for an identity it cannot find. */
export function notFound(ctx: HandlerContext, identity: string): CmdletResult {
  return {
    ok: false,
    response: graphError(
      ctx,
      404,
      'ManagementObjectNotFoundException',
      `The operation couldn't be performed because object '${identity}' couldn't be found.`,
    ),
  };
}

/** The user whose mailbox an `Identity` parameter names (UPN, primary address or object id), if it has one. */
export function mailboxUser(ctx: HandlerContext, identity: unknown): DemoUser | null {
  if (typeof identity !== 'string') return null;
  const user = findUser(ctx.state, identity);
  return user && hasMailbox(user) ? user : null;
}

/** Get-Mailbox's object (the properties the bot reads, named as Exchange names them). */
export function mailboxObject(ctx: HandlerContext, user: DemoUser): GraphObject {
  const fwd = ctx.state.mailboxForwarding.get(user.id);
  return {
    Identity: user.userPrincipalName,
    ExternalDirectoryObjectId: user.id,
    UserPrincipalName: user.userPrincipalName,
    PrimarySmtpAddress: user.mail,
    DisplayName: user.displayName,
    RecipientTypeDetails: 'UserMailbox',
    EmailAddresses: user.proxyAddresses,
    ForwardingSmtpAddress: fwd?.ForwardingSmtpAddress ?? null,
    ForwardingAddress: fwd?.ForwardingAddress ?? null,
    DeliverToMailboxAndForward: fwd?.DeliverToMailboxAndForward ?? false,
    AuditEnabled: !ctx.state.posture.auditOffMailboxes.has(user.id),
    GrantSendOnBehalfTo: exchangeSim(ctx.state).sendOnBehalf.get(user.id) ?? [],
  };
}

const getMailbox: Cmdlet = (ctx, parameters) => {
  if (parameters.Identity !== undefined) {
    const user = mailboxUser(ctx, parameters.Identity);
    return user ? { ok: true, items: [mailboxObject(ctx, user)] } : notFound(ctx, JSON.stringify(parameters.Identity));
  }
  const items: GraphObject[] = [];
  for (const user of ctx.state.users.values()) if (hasMailbox(user)) items.push(mailboxObject(ctx, user));
  return filtered(ctx, parameters, items);
};

const getAcceptedDomain: Cmdlet = (ctx) => ({
  ok: true,
  items: ctx.state.verifiedDomains.map((domain, i) => ({
    Identity: domain,
    DomainName: domain,
    DomainType: 'Authoritative',
    Default: i === 0,
  })),
});

/**
 * Every cmdlet the demo tenant simulates, by name. Features add theirs here (one spread per feature file), so the
 * documented v2.0 endpoints and the InvokeCommand proxy answer from one registry.
 */
export const CMDLETS: Readonly<Record<string, Cmdlet>> = {
  'Get-Mailbox': getMailbox,
  'Get-AcceptedDomain': getAcceptedDomain,
  ...POSTURE_CMDLETS,
  ...DELEGATE_CMDLETS,
  ...ACTIVITY_CMDLETS,
  ...MOBILE_BLOCK_CMDLETS,
};
