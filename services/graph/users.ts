import { z } from 'zod';
import { CodedError } from '../errors';
import type { UserId, UserRef } from '../ids';
import { batch, batchItemValue } from './batch';
import type { BatchItem } from './batch';
import type { GraphClient } from './client';
import { userPath, withQuery } from './odata';
import { collectAll, nextLinkPath } from './paging';
import type { Priority } from './scheduler';
import { collectionSchema } from './schemas/collection';
import { directoryObjectSchema } from './schemas/directory-object';
import type { DirectoryObject, DirectoryRole } from './schemas/directory-object';
import { licenseDetailSchema } from './schemas/license';
import type { LicenseDetail } from './schemas/license';
import { checkMemberGroupsSchema } from './schemas/policies';
import { graphUserSchema, userSelect } from './schemas/user';
import type { GraphUser } from './schemas/user';

/** What an investigation needs about a user, read in one `$batch`. */
export interface UserProfile {
  user: GraphUser;
  directoryRoles: DirectoryRole[];
  groups: { id: string; displayName: string | null }[];
  licenses: LicenseDetail[];
}

/**
 * The row a `$filter` on a unique user property (userPrincipalName) returns, or null for none. More than one means
 * the filter did not match literally (row 11) or the directory is inconsistent: refuse and name the candidates
 * rather than answer about whichever user Graph listed first.
 */
export function onlyMatch<T extends { userPrincipalName?: string | null }>(
  rows: readonly T[],
  lookup: string,
): T | null {
  if (rows.length <= 1) return rows[0] ?? null;
  throw new CodedError('user_ambiguous', `${rows.length} users match the ${lookup} look-up`, {
    lookup,
    count: rows.length,
    candidates: rows.slice(0, 10).map((r) => r.userPrincipalName ?? '(no UPN)'),
  });
}

/** The path to address a user: the cached object id if we resolved it before, else the reference itself. */
function addressOf(client: GraphClient, ref: UserRef): string {
  if (ref.kind === 'id') return userPath(ref);
  const known = client.resolvedUsers.get(ref.upn.toLowerCase());
  return known === undefined ? userPath(ref) : userPath({ kind: 'id', id: known as UserId });
}

function remember(client: GraphClient, ref: UserRef, user: { id: string; userPrincipalName?: string }): void {
  if (ref.kind === 'upn') client.resolvedUsers.set(ref.upn.toLowerCase(), user.id);
  if (user.userPrincipalName) client.resolvedUsers.set(user.userPrincipalName.toLowerCase(), user.id);
}

/** A user by UPN or id; user_not_found on 404. */
export async function getUser(
  client: GraphClient,
  ref: UserRef,
  opts: { priority?: Priority } = {},
): Promise<GraphUser> {
  const path = withQuery(addressOf(client, ref), { $select: [...userSelect] });
  const res = await client.request({ method: 'GET', path, priority: opts.priority ?? 'interactive' });
  const parsed = graphUserSchema.safeParse(res.body);
  if (!parsed.success)
    throw new CodedError('graph_bad_request', 'unexpected user shape from Graph', {
      requestId: res.headers['request-id'],
    });
  remember(client, ref, parsed.data);
  return parsed.data;
}

/** Resolve a user to its object id once; later calls (and addressOf) use only the id. */
export async function resolveUser(
  client: GraphClient,
  ref: UserRef,
  opts: { priority?: Priority } = {},
): Promise<UserId> {
  if (ref.kind === 'id') return ref.id;
  const known = client.resolvedUsers.get(ref.upn.toLowerCase());
  if (known !== undefined) return known as UserId;
  const res = await client.request({
    method: 'GET',
    path: withQuery(userPath(ref), { $select: ['id', 'userPrincipalName'] }),
    priority: opts.priority ?? 'interactive',
  });
  const parsed = z.looseObject({ id: z.string(), userPrincipalName: z.string().optional() }).safeParse(res.body);
  if (!parsed.success)
    throw new CodedError('graph_bad_request', 'unexpected user shape from Graph', {
      requestId: res.headers['request-id'],
    });
  remember(client, ref, parsed.data);
  return parsed.data.id.toLowerCase() as UserId;
}

const memberOfPage = collectionSchema(directoryObjectSchema);
const licensePage = collectionSchema(licenseDetailSchema);

/** User, memberOf and licenseDetails in ONE `$batch` round trip (more only if memberOf has further pages). */
export async function readUserProfile(
  client: GraphClient,
  ref: UserRef,
  opts: { priority?: Priority } = {},
): Promise<UserProfile> {
  const base = addressOf(client, ref);
  const priority = opts.priority ?? 'interactive';
  const items: Record<'user' | 'memberOf' | 'licenses', BatchItem> = {
    user: { id: 'user', method: 'GET', url: withQuery(base, { $select: [...userSelect] }) },
    memberOf: { id: 'memberOf', method: 'GET', url: `${base}/memberOf` },
    licenses: { id: 'licenses', method: 'GET', url: `${base}/licenseDetails` },
  };
  const results = await batch(client, Object.values(items), { priority });
  const userResult = results.get('user');
  const user = batchItemValue(userResult, items.user, graphUserSchema);
  remember(client, ref, user);
  const memberOf = batchItemValue(results.get('memberOf'), items.memberOf, memberOfPage);
  const licenses = batchItemValue(results.get('licenses'), items.licenses, licensePage);
  const members: DirectoryObject[] = [...memberOf.value];
  const more = memberOf['@odata.nextLink'];
  if (more !== undefined) {
    const rest = await collectAll(client, nextLinkPath(more), directoryObjectSchema, { priority, maxItems: 5_000 });
    members.push(...rest.items);
  }
  return {
    user,
    directoryRoles: members.filter((m): m is DirectoryRole => m.kind === 'directoryRole'),
    groups: members.flatMap((m) => (m.kind === 'group' ? [{ id: m.id, displayName: m.displayName }] : [])),
    licenses: licenses.value,
  };
}

/** Which of `groupIds` the user belongs to, transitively. A read-only POST, so retry-safe; ≤ 20 ids per call. */
export async function checkMemberGroups(client: GraphClient, userId: string, groupIds: string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < groupIds.length; i += 20) {
    const res = await client.request({
      method: 'POST',
      path: `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
      body: { groupIds: groupIds.slice(i, i + 20) },
      readOnly: true,
    });
    const parsed = checkMemberGroupsSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new CodedError('graph_bad_request', 'unexpected checkMemberGroups reply', {
        requestId: res.headers['request-id'],
      });
    }
    found.push(...parsed.data.value);
  }
  return found;
}
