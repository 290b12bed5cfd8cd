import { graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { managersOf } from '../managers';
import { entityResponse } from '../odata/query';
import { findUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;

/** GET users/{id}/manager: the manager as a directoryObject (a user), or Graph's 404 when none is set. */
function getManager(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const managerId = managersOf(ctx.state).get(user.id);
    const manager = managerId ? findUser(ctx.state, managerId) : undefined;
    if (!manager)
      return graphError(
        ctx,
        404,
        'Request_ResourceNotFound',
        "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
      );
    const body: GraphObject = {
      '@odata.type': '#microsoft.graph.user',
      id: manager.id,
      displayName: manager.displayName,
      userPrincipalName: manager.userPrincipalName,
      mail: manager.mail,
    };
    return entityResponse(ctx, req, 'directoryObjects/$entity', body);
  });
}

export const managerRoutes: Route[] = [
  { method: 'GET', pattern: 'users/:id/manager', versions: V, throttle: 'identity', cost: 1, handler: getManager },
];
