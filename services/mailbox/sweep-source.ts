import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { nextLinkPath } from '../graph/paging';
import { readOne } from '../graph/read';
import type { SweepUser } from './sweep-mailbox';
import type { SweepScope } from './sweep-types';

/** One page of users in scope; `next` is the path of the following page (null at the end). */
export interface UserPage {
  path: string;
  next: string | null;
  users: SweepUser[];
  /** `@odata.count`, when Graph sent it (first page only). */
  count: number | null;
}

/** The users in scope: every user, or a group's transitive user members (`$count` and the fields a sweep needs). */
function usersIn(scope: SweepScope) {
  return scope.kind === 'all' ? endpoints.users.at({}) : endpoints.groupUsers.at({ group: scope.groupId });
}

/** The first page's path for a scope (a checkpoint stores the path of the page to read next). */
export function firstPagePath(scope: SweepScope): string {
  return usersIn(scope).path;
}

/** Reads the page at `path` of the scope's users (background priority, the read's declared headers and permission). */
export async function readUserPage(
  graph: GraphClient,
  scope: SweepScope,
  path: string,
  signal?: AbortSignal,
): Promise<UserPage> {
  // A nextLink (or the checkpoint's path) is a page of the same declared read.
  const page = { ...usersIn(scope), path };
  const reply = await readOne(graph, page, { priority: 'background', ...(signal ? { signal } : {}) });
  const link = reply['@odata.nextLink'];
  const count = reply['@odata.count'];
  return {
    path,
    next: link === undefined ? null : nextLinkPath(link),
    users: reply.value
      .filter((u) => u['@odata.type'] === undefined || u['@odata.type'] === '#microsoft.graph.user')
      .map((u) => ({ id: u.id.toLowerCase(), upn: u.userPrincipalName ?? u.id, mail: u.mail ?? null })),
    count: typeof count === 'number' ? count : null,
  };
}
