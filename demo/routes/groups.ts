import { notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { pageResponse, readCount } from '../odata/query';
import type { DemoState } from '../state';

/** User members of a group and of every group nested in it, each once. */
function transitiveUserIds(state: DemoState, groupId: string): string[] {
  const users = new Set<string>();
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const member of state.groups.get(id)?.members ?? []) {
      if (state.groups.has(member)) visit(member);
      else if (state.users.has(member)) users.add(member);
    }
  };
  visit(groupId);
  return [...users];
}

/** GET groups/{id}/transitiveMembers[/microsoft.graph.user]: the group's users through nested groups (users only). */
function transitiveMembers(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const id = params.id ?? '';
  if (!ctx.state.groups.has(id)) return notFound(ctx, id);
  const count = readCount(ctx, req);
  if (!count.ok) return count.response;
  const items: GraphObject[] = transitiveUserIds(ctx.state, id).flatMap((userId) => {
    const u = ctx.state.users.get(userId);
    return u
      ? [
          {
            '@odata.type': '#microsoft.graph.user',
            id: u.id,
            displayName: u.displayName,
            userPrincipalName: u.userPrincipalName,
            mail: u.mail,
            accountEnabled: u.accountEnabled,
            userType: u.userType,
            assignedLicenses: u.assignedLicenses.map((l) => ({ ...l })),
          },
        ]
      : [];
  });
  return pageResponse(ctx, req, items, {
    contextPath: 'directoryObjects',
    defaultTop: 100,
    maxTop: 999,
    selectable: ['id', 'displayName', 'userPrincipalName', 'mail', 'accountEnabled', 'userType', 'assignedLicenses'],
    defaultProperties: ['id', 'displayName', 'userPrincipalName', 'mail'],
    count: count.value,
  });
}

const V = ['v1.0', 'beta'] as const;

// Graph charges 5 resource units for transitiveMembers (graph-api.md §13).
export const groupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'groups/:id/transitiveMembers',
    versions: V,
    throttle: 'identity',
    cost: 5,
    handler: transitiveMembers,
  },
  {
    method: 'GET',
    pattern: 'groups/:id/transitiveMembers/microsoft.graph.user',
    versions: V,
    throttle: 'identity',
    cost: 5,
    handler: transitiveMembers,
  },
];
