/** Graph reads of `posture` the other route files do not serve: security defaults, consent workflow, Secure Score, a group. */
import { notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import { entityResponse, pageResponse } from '../odata/query';

const V = ['v1.0', 'beta'] as const;

function securityDefaults(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return entityResponse(
    ctx,
    req,
    'policies/identitySecurityDefaultsEnforcementPolicy/$entity',
    ctx.state.posture.securityDefaults,
  );
}

function adminConsentRequestPolicy(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return entityResponse(
    ctx,
    req,
    'policies/adminConsentRequestPolicy/$entity',
    ctx.state.posture.adminConsentRequestPolicy,
  );
}

function secureScores(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return pageResponse(ctx, req, ctx.state.posture.secureScores, {
    contextPath: 'security/secureScores',
    defaultTop: 100,
    maxTop: 1000,
  });
}

function controlProfiles(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return pageResponse(ctx, req, ctx.state.posture.secureScoreControlProfiles, {
    contextPath: 'security/secureScoreControlProfiles',
    defaultTop: 100,
    maxTop: 1000,
  });
}

function group(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const g = ctx.state.groups.get(params.id ?? '');
  if (!g) return notFound(ctx, params.id ?? '');
  const { members: _members, ...shape } = g;
  return entityResponse(ctx, req, 'groups/$entity', { ...shape });
}

export const postureRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'policies/identitySecurityDefaultsEnforcementPolicy',
    versions: V,
    throttle: 'identity',
    handler: securityDefaults,
  },
  {
    method: 'GET',
    pattern: 'policies/adminConsentRequestPolicy',
    versions: V,
    throttle: 'identity',
    handler: adminConsentRequestPolicy,
  },
  { method: 'GET', pattern: 'security/secureScores', versions: V, throttle: 'security', handler: secureScores },
  {
    method: 'GET',
    pattern: 'security/secureScoreControlProfiles',
    versions: V,
    throttle: 'security',
    handler: controlProfiles,
  },
  { method: 'GET', pattern: 'groups/:id', versions: V, throttle: 'identity', handler: group },
];
