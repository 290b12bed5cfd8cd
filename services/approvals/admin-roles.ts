import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readAll } from '../graph/read';
import type { UserId } from '../ids';

// Graph's `in` takes a bounded list of values; 15 is the documented bound for directory objects.
const IN_LIMIT = 15;
const MAX_GROUPS = 5_000;
const opts = { priority: 'interactive' as const, maxItems: 1_000 };

function inChunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) out.push(ids.slice(i, i + IN_LIMIT));
  return out;
}

const assignmentsOf = (client: GraphClient, principals: readonly string[]) =>
  inChunks(principals).map((chunk) => readAll(client, endpoints.roleAssignments.at({ principalIds: chunk }), opts));

const eligibilityOf = (client: GraphClient, principal: string) =>
  readAll(client, endpoints.roleEligibilitySchedules.at({ principalId: principal }), opts);

type RoleSchedule = Awaited<ReturnType<typeof eligibilityOf>>['items'][number];

/**
 * Every directory role the user holds, active or eligible, directly or through a role-assignable group, tenant-wide
 * or scoped to an administrative unit, as labels for the card. The v1.0 route (graph-api.md; README "Targets"): the
 * user's transitiveMemberOf gives the role-assignable groups, then roleAssignments (principalId in user + groups) and
 * roleEligibilitySchedules (per principal). Most users are in no role-assignable group: one round of parallel reads.
 */
export async function readAdminRoles(client: GraphClient, userId: string): Promise<string[]> {
  const [memberOf, direct, eligibleDirect] = await Promise.all([
    readAll(client, endpoints.roleGroupMemberships.at({ user: { kind: 'id', id: userId as UserId } }), {
      ...opts,
      maxItems: MAX_GROUPS,
    }),
    Promise.all(assignmentsOf(client, [userId])),
    eligibilityOf(client, userId),
  ]);
  const roleGroups = memberOf.items.filter((m) => m.isAssignableToRole === true);
  const groupIds = roleGroups.map((g) => g.id);
  const [viaGroups, eligibleViaGroups] = await Promise.all([
    Promise.all(assignmentsOf(client, groupIds)),
    Promise.all(groupIds.map((id) => eligibilityOf(client, id))),
  ]);
  const names = new Map(
    memberOf.items.flatMap((m) => (m.roleTemplateId ? [[m.roleTemplateId.toLowerCase(), m.displayName ?? null]] : [])),
  );
  const groupNames = new Map(roleGroups.map((g) => [g.id.toLowerCase(), g.displayName ?? g.id]));
  const label = (s: RoleSchedule, eligible: boolean): string => {
    const role = names.get(s.roleDefinitionId.toLowerCase()) ?? `role ${s.roleDefinitionId}`;
    const group = groupNames.get(s.principalId.toLowerCase());
    const scope = s.directoryScopeId && s.directoryScopeId !== '/' ? ` (scope ${s.directoryScopeId})` : '';
    return `${eligible ? 'eligible: ' : ''}${role}${group ? ` via group ${group}` : ''}${scope}`;
  };
  const labels = [
    ...[...direct, ...viaGroups].flatMap((page) => page.items).map((s) => label(s, false)),
    ...[eligibleDirect, ...eligibleViaGroups].flatMap((page) => page.items).map((s) => label(s, true)),
  ];
  // Fail closed: a membership list cut short could hide the group that makes this user an admin.
  if (!memberOf.complete) labels.push(`more than ${MAX_GROUPS} group memberships (not all checked)`);
  return [...new Set(labels)];
}
