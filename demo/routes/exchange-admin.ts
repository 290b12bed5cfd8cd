import { z } from 'zod';
import { DOCUMENTED_ENDPOINTS } from '../../services/exchange/admin-api';
import { CMDLETS, mailboxObject } from '../exchange/cmdlets';
import { exchangeSim } from '../exchange/state';
import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { hasMailbox } from '../mailbox';
import { matchesFilter } from '../odata/filter-eval';
import { readFilter } from '../odata/query';
import { findUser } from '../state';

const ROOT = [''] as const;
/** Objects per page of a POST cmdlet answer; small so paging is exercised by the demo's own data. */
export const EXCHANGE_PAGE_SIZE = 100;

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

/** GET /adminapi/beta/{tenant}/Mailbox[?$filter=…]: the REST module's Mailbox resource (mailbox-level forwarding). */
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

/** Runs a registered cmdlet and pages its answer (`@odata.nextLink` carries a skip token; the client re-posts the body). */
function runCmdlet(
  ctx: HandlerContext,
  req: DemoRequest,
  params: Record<string, string>,
  path: string,
  allowed: readonly string[] | null,
): DemoResponse {
  const wrongTenant = tenantMatches(ctx, params);
  if (wrongTenant) return wrongTenant;
  const parsed = invokeBody.safeParse(req.body);
  if (!parsed.success) return badRequest(ctx, 'Expected {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}.');
  const name = parsed.data.CmdletInput.CmdletName;
  const cmdlet = CMDLETS[name];
  if ((allowed && !allowed.includes(name)) || !cmdlet)
    return badRequest(ctx, `The cmdlet '${name}' is not supported by this endpoint.`);
  // An app whose Exchange role does not cover the cmdlet: the REST service's answer (office-docs-powershell#7970).
  if (exchangeSim(ctx.state).deniedCmdlets.has(name))
    return graphError(ctx, 401, 'Unauthorized', `User is not allowed to call ${name}`);
  const result = cmdlet(ctx, parsed.data.CmdletInput.Parameters ?? {});
  if (!result.ok) return result.response;
  const skip = Number(req.query.get('$skiptoken') ?? 0) || 0;
  const next = skip + EXCHANGE_PAGE_SIZE;
  const base = `${ctx.baseUrl}/${path}`;
  return {
    status: 200,
    body: {
      '@odata.context': `${base}/$metadata`,
      value: result.items.slice(skip, next),
      ...(next < result.items.length ? { '@odata.nextLink': `${base}?$skiptoken=${next}` } : {}),
    },
  };
}

/** POST /adminapi/v2.0/{tenant}/{endpoint}: the documented Admin API; each endpoint takes only its own cmdlets. */
function documentedEndpoint(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const endpoint = params.endpoint ?? '';
  const allowed = (DOCUMENTED_ENDPOINTS as Record<string, readonly string[]>)[endpoint];
  if (!allowed) return graphError(ctx, 404, 'NotFound', `The endpoint '${endpoint}' does not exist.`);
  return runCmdlet(ctx, req, params, `adminapi/v2.0/${params.tenant ?? ''}/${endpoint}`, allowed);
}

/**
 * POST /adminapi/beta/{tenant}/InvokeCommand: the undocumented proxy the Exchange PowerShell module uses. Any
 * registered cmdlet runs; `state.exchangeProxyDisabled` makes it fail as an organization without it would.
 */
function invokeCommand(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  if (ctx.state.exchangeProxyDisabled)
    return graphError(ctx, 403, 'Forbidden', 'The InvokeCommand endpoint is not available to this application.');
  return runCmdlet(ctx, req, params, `adminapi/beta/${params.tenant ?? ''}/InvokeCommand`, null);
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
  {
    method: 'POST',
    pattern: 'adminapi/v2.0/:tenant/:endpoint',
    versions: ROOT,
    throttle: 'exchangeAdmin',
    handler: documentedEndpoint,
  },
];
