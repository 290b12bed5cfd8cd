import { z } from 'zod';
import { badRequest, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import { matchesFilter } from '../odata/filter-eval';
import { entityResponse, pageResponse, readFilter } from '../odata/query';

const V = ['v1.0', 'beta'] as const;

function listRiskyUsers(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, {
    id: ['eq'],
    userprincipalname: ['eq', 'startswith'],
    risklevel: ['eq', 'ne'],
    riskstate: ['eq', 'ne'],
    risklastupdateddatetime: ['ge', 'le', 'gt', 'lt'],
  });
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const items = [...ctx.state.riskyUsers.values()].filter((r) => !node || matchesFilter(node, r));
  return pageResponse(ctx, req, items, { contextPath: 'identityProtection/riskyUsers', defaultTop: 500, maxTop: 500 });
}

function getRiskyUser(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const found = ctx.state.riskyUsers.get(params.id ?? '');
  return found
    ? entityResponse(ctx, req, 'identityProtection/riskyUsers/$entity', found)
    : notFound(ctx, params.id ?? '');
}

const userIdsBody = z.object({ userIds: z.array(z.string()).min(1).max(60) });

function riskAction(kind: 'confirmCompromised' | 'dismiss') {
  return (ctx: HandlerContext, req: DemoRequest): DemoResponse => {
    const parsed = userIdsBody.safeParse(req.body);
    if (!parsed.success) return badRequest(ctx, 'userIds must be a list of 1 to 60 user ids.');
    const at = new Date(ctx.now()).toISOString();
    for (const id of parsed.data.userIds) {
      const user = ctx.state.users.get(id);
      if (!user) continue;
      const existing = ctx.state.riskyUsers.get(id) ?? {
        id,
        isDeleted: false,
        isProcessing: false,
        userDisplayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
      };
      ctx.state.riskyUsers.set(id, {
        ...existing,
        riskLastUpdatedDateTime: at,
        riskLevel: kind === 'confirmCompromised' ? 'high' : 'none',
        riskState: kind === 'confirmCompromised' ? 'confirmedCompromised' : 'dismissed',
        riskDetail: kind === 'confirmCompromised' ? 'adminConfirmedUserCompromised' : 'adminDismissedAllRiskForUser',
      });
    }
    return { status: 204 };
  };
}

function listDetections(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, {
    id: ['eq'],
    userid: ['eq'],
    userprincipalname: ['eq'],
    risklevel: ['eq'],
    riskeventtype: ['eq'],
    detecteddatetime: ['ge', 'le', 'gt', 'lt'],
    activitydatetime: ['ge', 'le', 'gt', 'lt'],
  });
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const items = ctx.state.riskDetections.filter((r) => !node || matchesFilter(node, r));
  return pageResponse(ctx, req, items, {
    contextPath: 'identityProtection/riskDetections',
    defaultTop: 500,
    maxTop: 500,
  });
}

function listCaPolicies(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return pageResponse(ctx, req, ctx.state.conditionalAccessPolicies, {
    contextPath: 'identity/conditionalAccess/policies',
    defaultTop: 100,
    maxTop: 999,
  });
}

function getCaPolicy(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const found = ctx.state.conditionalAccessPolicies.find((p) => p.id === params.id);
  return found
    ? entityResponse(ctx, req, 'identity/conditionalAccess/policies/$entity', found)
    : notFound(ctx, params.id ?? '');
}

/** Identity Protection and Conditional Access share the 1 request/s tenant limit (graph-api.md §13). */
export const identityProtectionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'identityProtection/riskyUsers',
    versions: V,
    throttle: 'identityProtection',
    handler: listRiskyUsers,
  },
  {
    method: 'GET',
    pattern: 'identityProtection/riskyUsers/:id',
    versions: V,
    throttle: 'identityProtection',
    handler: getRiskyUser,
  },
  {
    method: 'POST',
    pattern: 'identityProtection/riskyUsers/confirmCompromised',
    versions: V,
    throttle: 'identityProtection',
    write: true,
    handler: riskAction('confirmCompromised'),
  },
  {
    method: 'POST',
    pattern: 'identityProtection/riskyUsers/dismiss',
    versions: V,
    throttle: 'identityProtection',
    write: true,
    handler: riskAction('dismiss'),
  },
  {
    method: 'GET',
    pattern: 'identityProtection/riskDetections',
    versions: V,
    throttle: 'identityProtection',
    handler: listDetections,
  },
  {
    method: 'GET',
    pattern: 'identity/conditionalAccess/policies',
    versions: V,
    throttle: 'identityProtection',
    handler: listCaPolicies,
  },
  {
    method: 'GET',
    pattern: 'identity/conditionalAccess/policies/:id',
    versions: V,
    throttle: 'identityProtection',
    handler: getCaPolicy,
  },
];
