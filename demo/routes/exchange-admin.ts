import { z } from 'zod';
import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { hasMailbox } from '../mailbox';
import { matchesFilter } from '../odata/filter-eval';
import { readFilter } from '../odata/query';
import { findUser, type DemoUser } from '../state';

const ROOT = [''] as const;

function mailboxObject(ctx: HandlerContext, user: DemoUser): GraphObject {
  const fwd = ctx.state.mailboxForwarding.get(user.id);
  return {
    ExternalDirectoryObjectId: user.id,
    UserPrincipalName: user.userPrincipalName,
    PrimarySmtpAddress: user.mail,
    DisplayName: user.displayName,
    RecipientTypeDetails: 'UserMailbox',
    EmailAddresses: user.proxyAddresses,
    ForwardingSmtpAddress: fwd?.ForwardingSmtpAddress ?? null,
    ForwardingAddress: fwd?.ForwardingAddress ?? null,
    DeliverToMailboxAndForward: fwd?.DeliverToMailboxAndForward ?? false,
  };
}

function tenantMatches(ctx: HandlerContext, params: Record<string, string>): DemoResponse | null {
  const tenant = (params.tenant ?? '').toLowerCase();
  const known = [ctx.state.tenantId, ...ctx.state.verifiedDomains].map((t) => t.toLowerCase());
  return known.includes(tenant)
    ? null
    : graphError(ctx, 404, 'NotFound', `Tenant '${params.tenant ?? ''}' was not found.`);
}

function respond(ctx: HandlerContext, params: Record<string, string>, items: GraphObject[]): DemoResponse {
  return {
    status: 200,
    body: { '@odata.context': `${ctx.baseUrl}/adminapi/beta/${params.tenant ?? ''}/$metadata#Mailbox`, value: items },
  };
}

/** GET /adminapi/beta/{tenant}/Mailbox[?$filter=…]: mailbox-level forwarding, which Graph does not expose. */
function listMailboxes(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const wrongTenant = tenantMatches(ctx, params);
  if (wrongTenant) return wrongTenant;
  const filter = readFilter(ctx, req, {
    userprincipalname: ['eq'],
    primarysmtpaddress: ['eq'],
    externaldirectoryobjectid: ['eq'],
    forwardingsmtpaddress: ['eq', 'ne'],
    forwardingaddress: ['eq', 'ne'],
  });
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const items: GraphObject[] = [];
  for (const user of ctx.state.users.values()) {
    if (!hasMailbox(user)) continue;
    const fwd = ctx.state.mailboxForwarding.get(user.id);
    if (!node && !fwd) continue;
    const obj = mailboxObject(ctx, user);
    if (!node || matchesFilter(node, obj)) items.push(obj);
  }
  return respond(ctx, params, items);
}

function getMailbox(ctx: HandlerContext, _req: DemoRequest, params: Record<string, string>): DemoResponse {
  const wrongTenant = tenantMatches(ctx, params);
  if (wrongTenant) return wrongTenant;
  const user = findUser(ctx.state, params.identity ?? '');
  if (!user || !hasMailbox(user)) {
    return graphError(
      ctx,
      404,
      'ManagementObjectNotFoundException',
      `The operation couldn't be performed because object '${params.identity ?? ''}' couldn't be found.`,
    );
  }
  return respond(ctx, params, [mailboxObject(ctx, user)]);
}

const invokeBody = z.object({
  CmdletInput: z.object({ CmdletName: z.string(), Parameters: z.record(z.string(), z.unknown()).optional() }),
});

/** POST /adminapi/beta/{tenant}/InvokeCommand with Get-Mailbox, the shape Exchange Online's REST module sends. */
function invokeCommand(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const parsed = invokeBody.safeParse(req.body);
  if (!parsed.success) return badRequest(ctx, 'Expected {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}.');
  if (parsed.data.CmdletInput.CmdletName !== 'Get-Mailbox') {
    return badRequest(ctx, `The demo tenant only simulates Get-Mailbox, not ${parsed.data.CmdletInput.CmdletName}.`);
  }
  const identity = parsed.data.CmdletInput.Parameters?.Identity;
  if (typeof identity === 'string') return getMailbox(ctx, req, { ...params, identity });
  return listMailboxes(ctx, { ...req, query: new URLSearchParams() }, params);
}

export const exchangeAdminRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'adminapi/beta/:tenant/Mailbox',
    versions: ROOT,
    throttle: 'exchangeAdmin',
    handler: listMailboxes,
  },
  {
    method: 'GET',
    pattern: 'adminapi/beta/:tenant/Mailbox/:identity',
    versions: ROOT,
    throttle: 'exchangeAdmin',
    handler: getMailbox,
  },
  {
    method: 'POST',
    pattern: 'adminapi/beta/:tenant/InvokeCommand',
    versions: ROOT,
    throttle: 'exchangeAdmin',
    handler: invokeCommand,
  },
];
