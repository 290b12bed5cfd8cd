import type { DemoGroup, DemoRole, DemoState, GraphObject } from './state';

/** Groups that list `memberId` directly. */
export function directGroups(state: DemoState, memberId: string): DemoGroup[] {
  return [...state.groups.values()].filter((g) => g.members.has(memberId));
}

/** Every group `memberId` belongs to, through nesting. */
export function transitiveGroups(state: DemoState, memberId: string): DemoGroup[] {
  const found = new Map<string, DemoGroup>();
  const queue = [memberId];
  while (queue.length > 0) {
    const current = queue.shift() ?? '';
    for (const group of directGroups(state, current)) {
      if (found.has(group.id)) continue;
      found.set(group.id, group);
      queue.push(group.id);
    }
  }
  return [...found.values()];
}

export function rolesOf(state: DemoState, userId: string): DemoRole[] {
  return [...state.roles.values()].filter((r) => r.members.has(userId));
}

/** Roles the user holds directly or through a (role-assignable) group it belongs to. */
export function transitiveRolesOf(state: DemoState, userId: string): DemoRole[] {
  const principals = new Set([userId, ...transitiveGroups(state, userId).map((g) => g.id)]);
  return [...state.roles.values()].filter((r) => [...r.members].some((m) => principals.has(m)));
}

export function groupObject(group: DemoGroup): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: group.id,
    deletedDateTime: null,
    displayName: group.displayName,
    description: group.description,
    mailEnabled: group.mailEnabled,
    securityEnabled: group.securityEnabled,
    groupTypes: group.groupTypes,
    isAssignableToRole: group.isAssignableToRole ?? false,
    mail: null,
    mailNickname: group.displayName.replace(/\W/g, ''),
    onPremisesSyncEnabled: null,
    visibility: null,
  };
}

export function roleObject(role: DemoRole): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.directoryRole',
    id: role.id,
    deletedDateTime: null,
    description: role.description,
    displayName: role.displayName,
    roleTemplateId: role.roleTemplateId,
  };
}

export function isAdmin(state: DemoState, userId: string): boolean {
  return rolesOf(state, userId).length > 0;
}
