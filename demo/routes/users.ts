import { z } from 'zod';
import { badRequest, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { directGroups, groupObject, roleObject, rolesOf, transitiveGroups, transitiveRolesOf } from '../membership';
import { findEquality, matchesFilter, type FilterSupport } from '../odata/filter-eval';
import {
  entityResponse,
  lazyPageResponse,
  pageResponse,
  readCount,
  readFilter,
  readSelect,
  type PageOptions,
} from '../odata/query';
import { findSku } from '../seed/skus';
import { findUser, type DemoUser } from '../state';

const USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'otherMails',
  'proxyAddresses',
  'accountEnabled',
  'userType',
  'creationType',
  'externalUserState',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'createdDateTime',
  'lastPasswordChangeDateTime',
  'signInSessionsValidFromDateTime',
  'jobTitle',
  'department',
  'officeLocation',
  'mobilePhone',
  'businessPhones',
  'preferredLanguage',
  'usageLocation',
  'assignedLicenses',
] as const;

/** What Graph v1.0 returns for a user when no $select is given. */
const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

const USER_FILTERS: FilterSupport = {
  id: ['eq', 'in'],
  userprincipalname: ['eq', 'startswith', 'in'],
  mail: ['eq', 'startswith', 'in'],
  displayname: ['eq', 'startswith', 'in'],
  givenname: ['eq', 'startswith'],
  surname: ['eq', 'startswith'],
  accountenabled: ['eq', 'ne'],
  usertype: ['eq', 'ne'],
  onpremisessyncenabled: ['eq', 'ne'],
  proxyaddresses: ['any'],
  'proxyaddresses/$it': ['eq', 'startswith'],
  othermails: ['any'],
  'othermails/$it': ['eq', 'startswith'],
};

const USER_PAGE: PageOptions = {
  contextPath: 'users',
  defaultTop: 100,
  maxTop: 999,
  selectable: USER_PROPERTIES,
  defaultProperties: DEFAULT_USER_PROPERTIES,
  typeName: 'microsoft.graph.user',
};

export function userObject(user: DemoUser): GraphObject {
  const copy: GraphObject = { ...user, assignedLicenses: user.assignedLicenses.map((l) => ({ ...l })) };
  return copy;
}

/** Resolves {id|upn} or answers Graph's 404. */
export function withUser(ctx: HandlerContext, idOrUpn: string, then: (user: DemoUser) => DemoResponse): DemoResponse {
  const user = findUser(ctx.state, idOrUpn);
  return user ? then(user) : notFound(ctx, idOrUpn);
}

function listUsers(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, USER_FILTERS, 'Request_BadRequest');
  if (!filter.ok) return filter.response;
  const count = readCount(ctx, req);
  if (!count.ok) return count.response;
  let candidates: Iterable<DemoUser> = ctx.state.users.values();
  const node = filter.value;
  if (node) {
    const upn = findEquality(node, 'userPrincipalName');
    const id = findEquality(node, 'id');
    const direct = upn ?? id;
    if (direct !== null) {
      const one = findUser(ctx.state, direct);
      candidates = one ? [one] : [];
    }
  }
  // Without a filter only the requested page is built (a 50,000-user listing is 51 pages, not 51 × 50,000 copies).
  if (!node) return lazyPageResponse(ctx, req, [...candidates], userObject, { ...USER_PAGE, count: count.value });
  const items: GraphObject[] = [];
  for (const user of candidates) {
    const obj = userObject(user);
    if (matchesFilter(node, obj)) items.push(obj);
  }
  return pageResponse(ctx, req, items, { ...USER_PAGE, count: count.value });
}

function getUser(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const select = readSelect(ctx, req, USER_PAGE);
    if (!select.ok) return select.response;
    const fields = select.value ?? DEFAULT_USER_PROPERTIES;
    const body: GraphObject = {};
    const obj = userObject(user);
    for (const field of fields) body[field] = obj[field] ?? null;
    const context = select.value ? `users(${select.value.join(',')})/$entity` : 'users/$entity';
    return entityResponse(ctx, req, context, body);
  });
}

const DIRECTORY_OBJECT_FILTERS: FilterSupport = { id: ['eq'], displayname: ['eq', 'startswith'] };

function memberships(transitive: boolean) {
  return (ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse =>
    withUser(ctx, params.id ?? '', (user) => {
      const cast = params.cast?.toLowerCase();
      if (cast !== undefined && cast !== 'microsoft.graph.group' && cast !== 'microsoft.graph.directoryrole') {
        return badRequest(ctx, `Resource not found for the segment '${params.cast ?? ''}'.`, 'Request_BadRequest');
      }
      const filter = readFilter(ctx, req, DIRECTORY_OBJECT_FILTERS, 'Request_BadRequest');
      if (!filter.ok) return filter.response;
      const count = readCount(ctx, req);
      if (!count.ok) return count.response;
      const groups = (transitive ? transitiveGroups(ctx.state, user.id) : directGroups(ctx.state, user.id)).map(
        groupObject,
      );
      const roles = (transitive ? transitiveRolesOf(ctx.state, user.id) : rolesOf(ctx.state, user.id)).map(roleObject);
      let items =
        cast === 'microsoft.graph.group'
          ? groups
          : cast === 'microsoft.graph.directoryrole'
            ? roles
            : [...groups, ...roles];
      const node = filter.value;
      if (node) items = items.filter((i) => matchesFilter(node, i));
      return pageResponse(ctx, req, items, {
        contextPath: 'directoryObjects',
        defaultTop: 100,
        maxTop: 999,
        selectable: [
          'id',
          'displayName',
          'description',
          'roleTemplateId',
          'securityEnabled',
          'mailEnabled',
          'groupTypes',
          'isAssignableToRole',
        ],
        count: count.value,
      });
    });
}

const checkMemberGroupsBody = z.object({ groupIds: z.array(z.string()) });

function checkMemberGroups(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const parsed = checkMemberGroupsBody.safeParse(req.body);
    if (!parsed.success) return badRequest(ctx, 'Invalid request body: groupIds is required.', 'Request_BadRequest');
    if (parsed.data.groupIds.length > 20) {
      return badRequest(ctx, 'The number of group ids must not exceed 20.', 'Request_BadRequest');
    }
    const mine = new Set(transitiveGroups(ctx.state, user.id).map((g) => g.id));
    const value = parsed.data.groupIds.filter((id) => mine.has(id.toLowerCase()) || mine.has(id));
    return {
      status: 200,
      body: { '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#Collection(Edm.String)`, value },
    };
  });
}

/** licenseDetails: one row per assigned SKU, disabled plans shown as Disabled. */
export function licenseDetailsOf(user: DemoUser): GraphObject[] {
  return user.assignedLicenses.flatMap((assigned) => {
    const sku = findSku(assigned.skuId);
    if (!sku) return [];
    return [
      {
        id: `${user.id.slice(0, 8)}${sku.skuId.slice(0, 8)}`,
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        servicePlans: sku.servicePlans.map((p) => ({
          servicePlanId: p.servicePlanId,
          servicePlanName: p.servicePlanName,
          provisioningStatus: assigned.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success',
          appliesTo: p.appliesTo,
        })),
      },
    ];
  });
}

function licenseDetails(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) =>
    pageResponse(ctx, req, licenseDetailsOf(user), {
      contextPath: `users('${user.id}')/licenseDetails`,
      defaultTop: 100,
      maxTop: 999,
      selectable: ['id', 'skuId', 'skuPartNumber', 'servicePlans'],
    }),
  );
}

const V = ['v1.0', 'beta'] as const;

export const userRoutes: Route[] = [
  { method: 'GET', pattern: 'users', versions: V, throttle: 'identity', cost: 2, handler: listUsers },
  { method: 'GET', pattern: 'users/:id', versions: V, throttle: 'identity', cost: 2, handler: getUser },
  {
    method: 'GET',
    pattern: 'users/:id/memberOf',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: memberships(false),
  },
  {
    method: 'GET',
    pattern: 'users/:id/memberOf/:cast',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: memberships(false),
  },
  {
    method: 'GET',
    pattern: 'users/:id/transitiveMemberOf',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: memberships(true),
  },
  {
    method: 'GET',
    pattern: 'users/:id/transitiveMemberOf/:cast',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: memberships(true),
  },
  {
    method: 'POST',
    pattern: 'users/:id/checkMemberGroups',
    versions: V,
    throttle: 'identity',
    cost: 4,
    handler: checkMemberGroups,
  },
  {
    method: 'GET',
    pattern: 'users/:id/licenseDetails',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: licenseDetails,
  },
];
