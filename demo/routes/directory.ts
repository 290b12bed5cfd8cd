import { notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { roleObject } from '../membership';
import { matchesFilter, type FilterSupport } from '../odata/filter-eval';
import { entityResponse, pageResponse, readFilter } from '../odata/query';

function organization(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const { state } = ctx;
  const org: GraphObject = {
    id: state.tenantId,
    deletedDateTime: null,
    displayName: state.tenantDisplayName,
    tenantType: 'AAD',
    countryLetterCode: 'US',
    createdDateTime: new Date(state.startedAt - 1000 * 86_400_000).toISOString(),
    onPremisesSyncEnabled: true,
    verifiedDomains: state.verifiedDomains.map((name) => ({
      capabilities: name.endsWith('.onmicrosoft.com') ? 'Email, OfficeCommunicationsOnline' : 'Email',
      isDefault: name === 'example.com',
      isInitial: name.endsWith('.onmicrosoft.com'),
      name,
      type: 'Managed',
    })),
  };
  return pageResponse(ctx, req, [org], { contextPath: 'organization', defaultTop: 100, maxTop: 999 });
}

function listRoles(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, { roletemplateid: ['eq'], displayname: ['eq'] }, 'Request_BadRequest');
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const items = [...ctx.state.roles.values()].map(roleObject).filter((r) => !node || matchesFilter(node, r));
  return pageResponse(ctx, req, items, { contextPath: 'directoryRoles', defaultTop: 100, maxTop: 999 });
}

function findRole(ctx: HandlerContext, id: string) {
  return [...ctx.state.roles.values()].find((r) => r.id === id || `roleTemplateId=${r.roleTemplateId}` === id);
}

function getRole(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const role = findRole(ctx, params.id ?? '');
  return role ? entityResponse(ctx, req, 'directoryRoles/$entity', roleObject(role)) : notFound(ctx, params.id ?? '');
}

function roleMembers(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const role = findRole(ctx, params.id ?? '');
  if (!role) return notFound(ctx, params.id ?? '');
  const items = [...role.members].flatMap((id) => {
    const user = ctx.state.users.get(id);
    return user
      ? [
          {
            '@odata.type': '#microsoft.graph.user',
            id: user.id,
            displayName: user.displayName,
            userPrincipalName: user.userPrincipalName,
            mail: user.mail,
          },
        ]
      : [];
  });
  return pageResponse(ctx, req, items, {
    contextPath: 'directoryObjects',
    defaultTop: 100,
    maxTop: 999,
    selectable: ['id', 'displayName', 'userPrincipalName', 'mail'],
  });
}

/** A role schedule list with its documented $filter support: eligibility schedules, or role assignments. */
function roleSchedules(
  list: (ctx: HandlerContext) => GraphObject[],
  contextPath: string,
  filters: FilterSupport,
  selectable?: string[],
) {
  return (ctx: HandlerContext, req: DemoRequest): DemoResponse => {
    const filter = readFilter(ctx, req, filters);
    if (!filter.ok) return filter.response;
    const node = filter.value;
    const items = list(ctx).filter((s) => !node || matchesFilter(node, s));
    return pageResponse(ctx, req, items, {
      contextPath,
      defaultTop: 100,
      maxTop: 999,
      ...(selectable ? { selectable } : {}),
    });
  };
}

const eligibility = roleSchedules(
  (ctx) => ctx.state.roleEligibilitySchedules,
  'roleManagement/directory/roleEligibilitySchedules',
  { principalid: ['eq'], roledefinitionid: ['eq'] },
);

// unifiedRoleAssignment: principalId, roleDefinitionId and directoryScopeId support eq and in (resource page).
const roleAssignments = roleSchedules(
  (ctx) => ctx.state.roleAssignments,
  'roleManagement/directory/roleAssignments',
  { principalid: ['eq', 'in'], roledefinitionid: ['eq', 'in'], directoryscopeid: ['eq', 'in'] },
  ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId'],
);

const V = ['v1.0', 'beta'] as const;

export const directoryRoutes: Route[] = [
  { method: 'GET', pattern: 'organization', versions: V, throttle: 'identity', handler: organization },
  { method: 'GET', pattern: 'directoryRoles', versions: V, throttle: 'identity', handler: listRoles },
  { method: 'GET', pattern: 'directoryRoles/:id', versions: V, throttle: 'identity', handler: getRole },
  {
    method: 'GET',
    pattern: 'directoryRoles/:id/members',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: roleMembers,
  },
  {
    method: 'GET',
    pattern: 'roleManagement/directory/roleAssignments',
    versions: V,
    throttle: 'identity',
    handler: roleAssignments,
  },
  {
    method: 'GET',
    pattern: 'roleManagement/directory/roleEligibilitySchedules',
    versions: V,
    throttle: 'identity',
    handler: eligibility,
  },
];
