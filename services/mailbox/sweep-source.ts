import { z } from 'zod';
import { CodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { encodeRfc3986, withQuery } from '../graph/odata';
import { nextLinkPath } from '../graph/paging';
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

const pageSchema = z.looseObject({
  value: z.array(
    z.looseObject({
      id: z.string(),
      '@odata.type': z.string().optional(),
      userPrincipalName: z.string().nullable().optional(),
      mail: z.string().nullable().optional(),
    }),
  ),
  '@odata.nextLink': z.string().optional(),
  '@odata.count': z.number().optional(),
});

/** The first page's path for a scope: users (or a group's transitive user members) with the fields a sweep needs. */
export function firstPagePath(scope: SweepScope): string {
  const query = { $select: ['id', 'userPrincipalName', 'mail'], $top: 999, $count: 'true' };
  return scope.kind === 'all'
    ? withQuery('/users', query)
    : withQuery(`/groups/${encodeRfc3986(scope.groupId)}/transitiveMembers/microsoft.graph.user`, query);
}

/** Reads one page (background priority; `$count` needs ConsistencyLevel: eventual). */
export async function readUserPage(graph: GraphClient, path: string, signal?: AbortSignal): Promise<UserPage> {
  const res = await graph.request({
    method: 'GET',
    path,
    priority: 'background',
    headers: { ConsistencyLevel: 'eventual' },
    ...(signal ? { signal } : {}),
  });
  const parsed = pageSchema.safeParse(res.body);
  if (!parsed.success)
    throw new CodedError('graph_bad_request', 'unexpected user page from Graph', {
      requestId: res.headers['request-id'],
    });
  const link = parsed.data['@odata.nextLink'];
  return {
    path,
    next: link === undefined ? null : nextLinkPath(link),
    users: parsed.data.value
      .filter((u) => u['@odata.type'] === undefined || u['@odata.type'] === '#microsoft.graph.user')
      .map((u) => ({ id: u.id.toLowerCase(), upn: u.userPrincipalName ?? u.id, mail: u.mail ?? null })),
    count: parsed.data['@odata.count'] ?? null,
  };
}
