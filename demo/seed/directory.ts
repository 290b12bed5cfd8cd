import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_PROTECTED_GROUP_ID,
  PLAYGROUND_USERS,
} from '../constants';
import { addUser, type DemoState, type GraphObject } from '../state';
import { DAY, isoAgo, makeUser, seedId } from './make-user';

export const ROLE_TEMPLATE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
} as const;

/** The nested group that makes Megan an approver only transitively (tests checkMemberGroups' transitivity). */
export const HELPDESK_LEADS_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a004';
export const BREAK_GLASS_ID = seedId(0xb6);
export const BREAK_GLASS_UPN = 'breakglass@example.onmicrosoft.com';

function addGroup(state: DemoState, id: string, displayName: string, description: string, members: string[]): void {
  state.groups.set(id, {
    id,
    displayName,
    description,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    members: new Set(members),
  });
}

function addRole(state: DemoState, templateId: string, displayName: string, description: string): void {
  // Activated directory roles get their own object id; the demo derives it from the template id.
  const id = `d1${templateId.slice(2)}`;
  state.roles.set(id, { id, displayName, description, roleTemplateId: templateId, members: new Set() });
}

export function roleByTemplate(state: DemoState, templateId: string): { members: Set<string> } {
  const role = [...state.roles.values()].find((r) => r.roleTemplateId === templateId);
  if (!role) throw new Error(`demo seed: role ${templateId} missing`);
  return role;
}

/** A permanent unifiedRoleEligibilitySchedule as Graph lists it (rbacapplication-list-roleeligibilityschedules). */
export function eligibilitySchedule(
  t0: number,
  id: string,
  principalId: string,
  roleDefinitionId: string,
  createdAgo: number,
): GraphObject {
  return {
    id,
    principalId,
    roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    status: 'Provisioned',
    createdUsing: id,
    createdDateTime: isoAgo(t0, createdAgo),
    modifiedDateTime: null,
    scheduleInfo: {
      startDateTime: isoAgo(t0, createdAgo),
      recurrence: null,
      expiration: { type: 'noExpiration', endDateTime: null, duration: null },
    },
  };
}

/** Groups, directory roles, the Playground's users and the break-glass account. */
export function seedDirectory(state: DemoState, t0: number): void {
  for (const p of PLAYGROUND_USERS) {
    const mail = p.upn === 'isaiah@example.com' ? 'isaiahl@example.com' : p.upn;
    const user = makeUser(t0, {
      id: p.aadObjectId,
      upn: p.upn,
      displayName: p.displayName,
      mail,
      proxyAddresses: [
        `SMTP:${mail}`,
        ...(mail === p.upn ? [] : [`smtp:${p.upn}`]),
        `smtp:${p.upn.split('@')[0] ?? ''}@example.onmicrosoft.com`,
      ],
      jobTitle: p.roles.length > 0 ? 'Security Operations' : 'Staff',
    });
    addUser(state, user);
  }
  const [alex, megan, adele] = PLAYGROUND_USERS;
  addUser(
    state,
    makeUser(t0, {
      id: BREAK_GLASS_ID,
      upn: BREAK_GLASS_UPN,
      displayName: 'Break Glass (emergency access)',
      mail: null,
      proxyAddresses: [],
      skuIds: [],
      createdAgo: 900 * DAY,
    }),
  );
  addGroup(state, DEMO_OPERATORS_GROUP_ID, 'SecOps Bot Operators', 'May ask the SecOps bot', [
    alex.aadObjectId,
    adele.aadObjectId,
  ]);
  addGroup(state, HELPDESK_LEADS_GROUP_ID, 'Helpdesk Leads', 'Nested in the approvers group', [megan.aadObjectId]);
  addGroup(state, DEMO_APPROVERS_GROUP_ID, 'SecOps Bot Approvers', 'May approve SecOps bot actions', [
    alex.aadObjectId,
    HELPDESK_LEADS_GROUP_ID,
  ]);
  addGroup(state, DEMO_PROTECTED_GROUP_ID, 'Protected Accounts', 'Break-glass and executives: actions refuse them', [
    BREAK_GLASS_ID,
  ]);
  addRole(
    state,
    ROLE_TEMPLATE.globalAdministrator,
    'Global Administrator',
    'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  );
  addRole(
    state,
    ROLE_TEMPLATE.securityAdministrator,
    'Security Administrator',
    'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
  );
  addRole(
    state,
    ROLE_TEMPLATE.helpdeskAdministrator,
    'Helpdesk Administrator',
    'Can reset passwords for non-administrators and Helpdesk Administrators.',
  );
  addRole(
    state,
    ROLE_TEMPLATE.authenticationAdministrator,
    'Authentication Administrator',
    'Can access to view, set and reset authentication method information for any non-admin user.',
  );
  roleByTemplate(state, ROLE_TEMPLATE.globalAdministrator).members.add(BREAK_GLASS_ID);
  roleByTemplate(state, ROLE_TEMPLATE.securityAdministrator).members.add(alex.aadObjectId);
  roleByTemplate(state, ROLE_TEMPLATE.helpdeskAdministrator).members.add(adele.aadObjectId);
  state.roleEligibilitySchedules.push(
    eligibilitySchedule(
      t0,
      'c5b9e1a2-1f0c-4a51-9b57-6f1d00000001',
      megan.aadObjectId,
      ROLE_TEMPLATE.authenticationAdministrator,
      60 * DAY,
    ),
  );
}
