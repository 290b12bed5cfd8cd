import type { UserId, UserRef } from '../ids';
import type { GraphClient } from './client';
import { endpoints } from './endpoints';
import { readBatch, readOne, readRest, type ReadOptions } from './read';
import type { DirectoryObject, DirectoryRole } from './schemas/directory-object';
import type { LicenseDetail } from './schemas/license';
import type { GraphUser } from './schemas/user';
import type { UserResolver } from './user-resolver';

/** What an investigation needs about a user, read in one `$batch`. */
export interface UserProfile {
  user: GraphUser;
  directoryRoles: DirectoryRole[];
  groups: { id: string; displayName: string | null }[];
  licenses: LicenseDetail[];
}

/**
 * User, memberOf and licenseDetails in ONE `$batch` round trip (more only if memberOf has further pages). With a
 * resolver, a UPN it knows is read by id (and a stale mapping is caught); without, the ref is read as given.
 */
export async function readUserProfile(
  client: GraphClient,
  ref: UserRef,
  opts: ReadOptions & { users?: UserResolver } = {},
): Promise<UserProfile> {
  const { users, ...read } = opts;
  const run = async (user: UserRef): Promise<UserProfile> => {
    const memberOf = endpoints.memberOf.at({ user });
    const replies = await readBatch(
      client,
      { user: endpoints.user.at({ user }), memberOf, licenses: endpoints.licenseDetails.at({ user }) },
      read,
    );
    const firstPage = replies.value('memberOf');
    const members: DirectoryObject[] = [...firstPage.value];
    const more = firstPage['@odata.nextLink'];
    if (more !== undefined)
      members.push(...(await readRest(client, memberOf, more, { ...read, maxItems: 5_000 })).items);
    return {
      user: replies.value('user'),
      directoryRoles: members.filter((m): m is DirectoryRole => m.kind === 'directoryRole'),
      groups: members.flatMap((m) => (m.kind === 'group' ? [{ id: m.id, displayName: m.displayName }] : [])),
      licenses: replies.value('licenses').value,
    };
  };
  return users ? users.readAbout(ref, run, (p) => p.user) : run(ref);
}

/** Which of `groupIds` the user belongs to, transitively. A read-only POST, so retry-safe; ≤ 20 ids per call. */
export async function checkMemberGroups(client: GraphClient, userId: string, groupIds: string[]): Promise<string[]> {
  const found: string[] = [];
  const user: UserRef = { kind: 'id', id: userId as UserId };
  for (let i = 0; i < groupIds.length; i += 20) {
    const reply = await readOne(client, endpoints.checkMemberGroups.at({ user, groupIds: groupIds.slice(i, i + 20) }));
    found.push(...reply.value);
  }
  return found;
}
