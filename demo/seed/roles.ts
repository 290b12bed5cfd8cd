import { addUser, type DemoState, type GraphObject } from '../state';
import { eligibilitySchedule, ROLE_TEMPLATE, roleByTemplate } from './directory';
import { DAY, makeUser, seedId } from './make-user';

/** Built-in role templates used only by these scenarios (their roleDefinitionId in unifiedRoleAssignment). */
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const EXCHANGE_ADMINISTRATOR = '29232cdf-9323-42fd-ade2-1d097af3e4de';

/** A role-assignable group holding Helpdesk Administrator (active): its members are admins through it. */
export const ROLE_GROUP_ACTIVE_ID = seedId(0x401);
/** A role-assignable group eligible (PIM) for Exchange Administrator. */
export const ROLE_GROUP_ELIGIBLE_ID = seedId(0x402);
/** The administrative unit a User Administrator assignment is scoped to. */
export const SALES_AU_ID = seedId(0x403);

export const ROLE_SCENARIO_UPNS = {
  viaGroup: 'rolegroup.member@example.com',
  eligibleViaGroup: 'pimgroup.member@example.com',
  auScoped: 'au.admin@example.com',
} as const;

/** A unifiedRoleAssignment as Graph lists it (rbacapplication-list-roleassignments, v1.0). */
function assignment(
  state: DemoState,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId = '/',
): GraphObject {
  return {
    id: `${Buffer.from(roleDefinitionId).toString('base64url').slice(0, 22)}-${state.roleAssignments.length + 1}`,
    principalId,
    roleDefinitionId,
    directoryScopeId,
    appScopeId: null,
  };
}

function roleGroup(state: DemoState, id: string, displayName: string, members: string[]): void {
  state.groups.set(id, {
    id,
    displayName,
    description: 'Role-assignable group',
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    isAssignableToRole: true,
    members: new Set(members),
  });
}

/**
 * Admins that direct role membership does not show: a member of a role-assignable group that holds a role, a member
 * of one that is eligible for a role, and a role scoped to an administrative unit. Also lists every tenant-wide
 * directory role membership as a roleAssignment, as Graph does.
 */
export function seedRoleScenarios(state: DemoState, t0: number): void {
  const people = [
    { id: seedId(0x404), upn: ROLE_SCENARIO_UPNS.viaGroup, displayName: 'Rory Groupadmin' },
    { id: seedId(0x405), upn: ROLE_SCENARIO_UPNS.eligibleViaGroup, displayName: 'Pia Eligible' },
    { id: seedId(0x406), upn: ROLE_SCENARIO_UPNS.auScoped, displayName: 'Aude Scoped' },
  ];
  for (const p of people) addUser(state, makeUser(t0, { ...p, jobTitle: 'IT Support' }));
  const [viaGroup, eligibleViaGroup, auScoped] = people;
  roleGroup(state, ROLE_GROUP_ACTIVE_ID, 'Tier 1 Helpdesk (role-assignable)', [viaGroup?.id ?? '']);
  roleGroup(state, ROLE_GROUP_ELIGIBLE_ID, 'PIM Exchange Admins (role-assignable)', [eligibleViaGroup?.id ?? '']);
  // A role assigned to a group makes the group a member of the activated directory role.
  roleByTemplate(state, ROLE_TEMPLATE.helpdeskAdministrator).members.add(ROLE_GROUP_ACTIVE_ID);
  for (const role of state.roles.values())
    for (const member of role.members) state.roleAssignments.push(assignment(state, member, role.roleTemplateId));
  state.roleAssignments.push(
    assignment(state, auScoped?.id ?? '', USER_ADMINISTRATOR, `/administrativeUnits/${SALES_AU_ID}`),
  );
  state.roleEligibilitySchedules.push(
    eligibilitySchedule(
      t0,
      'c5b9e1a2-1f0c-4a51-9b57-6f1d00000402',
      ROLE_GROUP_ELIGIBLE_ID,
      EXCHANGE_ADMINISTRATOR,
      30 * DAY,
    ),
  );
}
