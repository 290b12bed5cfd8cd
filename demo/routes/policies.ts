import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import { entityResponse } from '../odata/query';

const V = ['v1.0', 'beta'] as const;

function authorizationPolicy(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return entityResponse(ctx, req, 'policies/authorizationPolicy/$entity', ctx.state.authorizationPolicy);
}

function authenticationMethodsPolicy(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return entityResponse(
    ctx,
    req,
    'policies/authenticationMethodsPolicy/$entity',
    ctx.state.authenticationMethodsPolicy,
  );
}

export const policyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'policies/authorizationPolicy',
    versions: V,
    throttle: 'identity',
    handler: authorizationPolicy,
  },
  {
    method: 'GET',
    pattern: 'policies/authenticationMethodsPolicy',
    versions: V,
    throttle: 'identity',
    handler: authenticationMethodsPolicy,
  },
];
