import { badRequest, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import type { FilterNode } from '../odata/filter-parse';
import { findEquality, matchesFilter, type FilterSupport } from '../odata/filter-eval';
import { entityResponse, pageResponse, readFilter, type Parsed } from '../odata/query';
import { findUser, signInsOf, type DemoUser } from '../state';

/** Documented $filter support for directoryAudits (graph-api.md §3), plus category, used by community scripts. */
const AUDIT_FILTERS: FilterSupport = {
  activitydatetime: ['eq', 'ge', 'le', 'gt', 'lt'],
  activitydisplayname: ['eq', 'startswith'],
  id: ['eq'],
  correlationid: ['eq'],
  loggedbyservice: ['eq'],
  category: ['eq'],
  result: ['eq'],
  'initiatedby/user/id': ['eq'],
  'initiatedby/user/displayname': ['eq'],
  'initiatedby/user/userprincipalname': ['eq', 'startswith'],
  'initiatedby/app/appid': ['eq'],
  'initiatedby/app/displayname': ['eq'],
  targetresources: ['any'],
  'targetresources/id': ['eq'],
  'targetresources/displayname': ['eq', 'startswith'],
};

const SIGNIN_FILTERS: FilterSupport = {
  id: ['eq'],
  userid: ['eq'],
  userprincipalname: ['eq', 'startswith'],
  userdisplayname: ['eq', 'startswith'],
  appid: ['eq'],
  appdisplayname: ['eq', 'startswith'],
  createddatetime: ['ge', 'le', 'gt', 'lt', 'eq'],
  'status/errorcode': ['eq', 'ne'],
  ipaddress: ['eq', 'startswith'],
  'location/city': ['eq', 'startswith'],
  'location/state': ['eq', 'startswith'],
  'location/countryorregion': ['eq', 'startswith'],
  risklevelduringsignin: ['eq'],
  riskstate: ['eq'],
  correlationid: ['eq'],
  isinteractive: ['eq'],
};

/** $orderby on the time field only, newest first by default. */
function readOrder(ctx: HandlerContext, req: DemoRequest, field: string): Parsed<'asc' | 'desc'> {
  const raw = req.query.get('$orderby');
  if (raw === null || raw.trim() === '') return { ok: true, value: 'desc' };
  const [name, dir = 'asc', ...rest] = raw.trim().split(/\s+/);
  if (name?.toLowerCase() !== field.toLowerCase() || rest.length > 0 || !/^(asc|desc)$/i.test(dir)) {
    return { ok: false, response: badRequest(ctx, `Invalid $orderby: only ${field} asc|desc is supported.`) };
  }
  return { ok: true, value: dir.toLowerCase() as 'asc' | 'desc' };
}

function sortBy(items: GraphObject[], field: string, order: 'asc' | 'desc'): GraphObject[] {
  const sign = order === 'asc' ? 1 : -1;
  return items.sort((a, b) => sign * String(a[field]).localeCompare(String(b[field])));
}

function listAudits(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, AUDIT_FILTERS);
  if (!filter.ok) return filter.response;
  const order = readOrder(ctx, req, 'activityDateTime');
  if (!order.ok) return order.response;
  const node = filter.value;
  const items = ctx.state.audits.filter((a) => !node || matchesFilter(node, a));
  return pageResponse(ctx, req, sortBy(items, 'activityDateTime', order.value), {
    contextPath: 'auditLogs/directoryAudits',
    defaultTop: 1000,
    maxTop: 1000,
  });
}

function getAudit(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const found = ctx.state.audits.find((a) => a.id === params.id);
  return found ? entityResponse(ctx, req, 'auditLogs/directoryAudits/$entity', found) : notFound(ctx, params.id ?? '');
}

function signInCandidates(ctx: HandlerContext, node: FilterNode | null): Iterable<DemoUser> {
  const key = node ? (findEquality(node, 'userId') ?? findEquality(node, 'userPrincipalName')) : null;
  if (key === null) return ctx.state.users.values();
  const user = findUser(ctx.state, key);
  return user ? [user] : [];
}

function listSignIns(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, SIGNIN_FILTERS);
  if (!filter.ok) return filter.response;
  const order = readOrder(ctx, req, 'createdDateTime');
  if (!order.ok) return order.response;
  const node = filter.value;
  const items: GraphObject[] = [];
  for (const user of signInCandidates(ctx, node)) {
    for (const s of signInsOf(ctx.state, user)) if (!node || matchesFilter(node, s)) items.push(s);
  }
  return pageResponse(ctx, req, sortBy(items, 'createdDateTime', order.value), {
    contextPath: 'auditLogs/signIns',
    defaultTop: 1000,
    maxTop: 1000,
  });
}

function getSignIn(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  for (const list of ctx.state.signIns.values()) {
    const found = list.find((s) => s.id === params.id);
    if (found) return entityResponse(ctx, req, 'auditLogs/signIns/$entity', found);
  }
  return notFound(ctx, params.id ?? '');
}

const V = ['v1.0', 'beta'] as const;

export const auditLogRoutes: Route[] = [
  { method: 'GET', pattern: 'auditLogs/directoryAudits', versions: V, throttle: 'reports', handler: listAudits },
  { method: 'GET', pattern: 'auditLogs/directoryAudits/:id', versions: V, throttle: 'reports', handler: getAudit },
  { method: 'GET', pattern: 'auditLogs/signIns', versions: V, throttle: 'reports', handler: listSignIns },
  { method: 'GET', pattern: 'auditLogs/signIns/:id', versions: V, throttle: 'reports', handler: getSignIn },
];
