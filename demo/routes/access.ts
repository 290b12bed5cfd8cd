/**
 * What gives apps and devices access to a user: delegated permission grants, app role assignments, service
 * principals and devices, as Graph v1.0 serves them (oauth2permissiongrant-list, user-list-approleassignments,
 * serviceprincipal-get, user-list-registereddevices / owneddevices, device-get).
 */
import { notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { matchesFilter, type FilterSupport } from '../odata/filter-eval';
import { entityResponse, pageResponse, readFilter, readSelect } from '../odata/query';
import { withUser } from './users';

/** oAuth2PermissionGrant: clientId, consentType, principalId and resourceId support $filter (eq only). */
const GRANT_FILTERS: FilterSupport = {
  clientid: ['eq'],
  consenttype: ['eq'],
  principalid: ['eq'],
  resourceid: ['eq'],
};

function listGrants(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, GRANT_FILTERS, 'Request_UnsupportedQuery');
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const items = ctx.state.permissionGrants.filter((g) => !node || matchesFilter(node, g));
  return pageResponse(ctx, req, items, { contextPath: 'oauth2PermissionGrants', defaultTop: 100, maxTop: 999 });
}

function getGrant(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const found = ctx.state.permissionGrants.find((g) => g.id === params.id);
  return found ? entityResponse(ctx, req, 'oauth2PermissionGrants/$entity', found) : notFound(ctx, params.id ?? '');
}

/** The user's assignments and those of groups the user is a direct member of, as Graph documents it. */
function userAppRoleAssignments(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const groups = new Set([...ctx.state.groups.values()].filter((g) => g.members.has(user.id)).map((g) => g.id));
    const items = ctx.state.appRoleAssignments.filter(
      (a) => a.principalId === user.id || groups.has(String(a.principalId)),
    );
    return pageResponse(ctx, req, items, {
      contextPath: `users('${user.id}')/appRoleAssignments`,
      defaultTop: 100,
      maxTop: 999,
    });
  });
}

const SP_PROPERTIES = [
  'id',
  'appId',
  'displayName',
  'appDisplayName',
  'publisherName',
  'appOwnerOrganizationId',
  'servicePrincipalType',
  'accountEnabled',
  'verifiedPublisher',
  'tags',
] as const;

function getServicePrincipal(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const sp = ctx.state.servicePrincipals.get(params.id ?? '');
  if (!sp) return notFound(ctx, params.id ?? '');
  const select = readSelect(ctx, req, {
    contextPath: 'servicePrincipals',
    defaultTop: 100,
    maxTop: 999,
    selectable: SP_PROPERTIES,
  });
  if (!select.ok) return select.response;
  const body: GraphObject = {};
  for (const f of select.value ?? Object.keys(sp)) body[f] = sp[f] ?? null;
  const context = select.value ? `servicePrincipals(${select.value.join(',')})/$entity` : 'servicePrincipals/$entity';
  return entityResponse(ctx, req, context, body);
}

function userDevices(relation: 'registered' | 'owned') {
  return (ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse =>
    withUser(ctx, params.id ?? '', (user) => {
      const items = ctx.state.deviceLinks
        .filter((l) => l.userId === user.id && l.relation === relation)
        .flatMap((l) => {
          const device = ctx.state.devices.get(l.deviceObjectId);
          return device ? [{ '@odata.type': '#microsoft.graph.device', ...device }] : [];
        });
      return pageResponse(ctx, req, items, { contextPath: 'directoryObjects', defaultTop: 100, maxTop: 999 });
    });
}

function getDevice(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const device = ctx.state.devices.get(params.id ?? '');
  return device ? entityResponse(ctx, req, 'devices/$entity', device) : notFound(ctx, params.id ?? '');
}

const V = ['v1.0', 'beta'] as const;

export const accessRoutes: Route[] = [
  { method: 'GET', pattern: 'oauth2PermissionGrants', versions: V, throttle: 'identity', cost: 2, handler: listGrants },
  {
    method: 'GET',
    pattern: 'oauth2PermissionGrants/:id',
    versions: V,
    throttle: 'identity',
    cost: 1,
    handler: getGrant,
  },
  {
    method: 'GET',
    pattern: 'users/:id/appRoleAssignments',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: userAppRoleAssignments,
  },
  {
    method: 'GET',
    pattern: 'users/:id/registeredDevices',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: userDevices('registered'),
  },
  {
    method: 'GET',
    pattern: 'users/:id/ownedDevices',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: userDevices('owned'),
  },
  {
    method: 'GET',
    pattern: 'servicePrincipals/:id',
    versions: V,
    throttle: 'identity',
    cost: 1,
    handler: getServicePrincipal,
  },
  { method: 'GET', pattern: 'devices/:id', versions: V, throttle: 'identity', cost: 1, handler: getDevice },
];
