import { emptyPosture, type DemoPosture } from './posture';

/** The demo tenant's in-memory directory, mailboxes and logs, in Graph's shapes. Tests read and mutate it directly. */
export type GraphObject = Record<string, unknown>;

export interface DemoUser {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  otherMails: string[];
  proxyAddresses: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  creationType: string | null;
  externalUserState: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesLastSyncDateTime: string | null;
  createdDateTime: string;
  lastPasswordChangeDateTime: string;
  signInSessionsValidFromDateTime: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  usageLocation: string | null;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
}

export interface DemoGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  /** A role-assignable group (Graph's isAssignableToRole): directory roles can be assigned to it. */
  isAssignableToRole?: boolean;
  /** Direct members: user or group ids. */
  members: Set<string>;
}

export interface DemoRole {
  id: string;
  displayName: string;
  description: string;
  roleTemplateId: string;
  members: Set<string>;
}

export interface MailboxForwarding {
  ForwardingSmtpAddress: string | null;
  ForwardingAddress: string | null;
  DeliverToMailboxAndForward: boolean;
}

export interface DemoWrite {
  method: string;
  path: string;
  at: string;
}

/** Builds the per-user data of a generated user on first access, so 100,000 users start fast. */
export interface LazyUserData {
  methods(user: DemoUser): GraphObject[];
  rules(user: DemoUser): GraphObject[];
  signIns(user: DemoUser): GraphObject[];
}

export interface DemoState {
  tenantId: string;
  tenantDisplayName: string;
  verifiedDomains: string[];
  startedAt: number;
  users: Map<string, DemoUser>;
  /** Lower-case UPN → id. */
  upnIndex: Map<string, string>;
  groups: Map<string, DemoGroup>;
  roles: Map<string, DemoRole>;
  /** unifiedRoleAssignment objects: active roles of users and role-assignable groups, tenant-wide or AU-scoped. */
  roleAssignments: GraphObject[];
  roleEligibilitySchedules: GraphObject[];
  methods: Map<string, GraphObject[]>;
  /** Explicit registration report rows; users without one get a row derived from their methods. */
  registration: Map<string, GraphObject>;
  audits: GraphObject[];
  signIns: Map<string, GraphObject[]>;
  rules: Map<string, GraphObject[]>;
  mailboxForwarding: Map<string, MailboxForwarding>;
  riskyUsers: Map<string, GraphObject>;
  riskDetections: GraphObject[];
  authorizationPolicy: GraphObject;
  authenticationMethodsPolicy: GraphObject;
  conditionalAccessPolicies: GraphObject[];
  /** SSPR enabled for: 'none' | 'selected' | 'all' (not readable through Graph; feeds isSsprEnabled). */
  ssprScope: 'none' | 'selected' | 'all';
  /** Lower-case addresses that also own a personal Microsoft account. */
  consumerAccounts: Set<string>;
  /** application objects by object id (passwordCredentials, keyCredentials: never a secret). */
  applications: Map<string, GraphObject>;
  /** Which user owns which application (users/{id}/ownedObjects/microsoft.graph.application). */
  applicationOwners: { appObjectId: string; userId: string }[];
  /** Domains another tenant federates (for getuserrealm's Federated answer). */
  federatedDomains: Map<string, string>;
  lazy: LazyUserData | null;
  /** Generated user ids in creation order (their data comes from `lazy`). */
  generatedIds: Set<string>;
  writes: DemoWrite[];
  /** Simulates an organization where the undocumented Exchange InvokeCommand proxy is refused (403). */
  exchangeProxyDisabled: boolean;
  /** What `posture` reads: security defaults, consent workflow, Secure Score, Exchange settings. */
  posture: DemoPosture;
  /** oAuth2PermissionGrant objects (delegated permission grants), tenant-wide. */
  permissionGrants: GraphObject[];
  /** appRoleAssignment objects of users (principalId = the user, or a group the user is a direct member of). */
  appRoleAssignments: GraphObject[];
  /** servicePrincipal objects by object id. */
  servicePrincipals: Map<string, GraphObject>;
  /** device objects by object id. */
  devices: Map<string, GraphObject>;
  /** Which users registered or own which device (users/{id}/registeredDevices, ownedDevices). */
  deviceLinks: { deviceObjectId: string; userId: string; relation: 'registered' | 'owned' }[];
  /** Teams apps installed in each user's personal scope: user id → catalog app ids. */
  teamsInstallations: Map<string, Set<string>>;
  /** The bot's 1:1 chat id per user, when known (the Playground's personal chat, registered by demo/start.ts). */
  teamsChats: Map<string, string>;
}

/** An empty state; seeds fill it. */
export function createEmptyState(tenantId: string, startedAt: number, verifiedDomains: readonly string[]): DemoState {
  return {
    tenantId,
    tenantDisplayName: 'Example Corp (demo)',
    verifiedDomains: [...verifiedDomains],
    startedAt,
    users: new Map(),
    upnIndex: new Map(),
    groups: new Map(),
    roles: new Map(),
    roleAssignments: [],
    roleEligibilitySchedules: [],
    methods: new Map(),
    registration: new Map(),
    audits: [],
    signIns: new Map(),
    rules: new Map(),
    mailboxForwarding: new Map(),
    riskyUsers: new Map(),
    riskDetections: [],
    authorizationPolicy: {},
    authenticationMethodsPolicy: {},
    conditionalAccessPolicies: [],
    ssprScope: 'all',
    consumerAccounts: new Set(),
    applications: new Map(),
    applicationOwners: [],
    federatedDomains: new Map(),
    lazy: null,
    generatedIds: new Set(),
    writes: [],
    exchangeProxyDisabled: false,
    posture: emptyPosture(),
    permissionGrants: [],
    appRoleAssignments: [],
    servicePrincipals: new Map(),
    devices: new Map(),
    deviceLinks: [],
    teamsInstallations: new Map(),
    teamsChats: new Map(),
  };
}

/** Adds a user and indexes its UPN. */
export function addUser(state: DemoState, user: DemoUser): void {
  state.users.set(user.id, user);
  state.upnIndex.set(user.userPrincipalName.toLowerCase(), user.id);
}

/** Finds a user by object id or UPN (case-insensitive), as Graph's /users/{id|upn} does. */
export function findUser(state: DemoState, idOrUpn: string): DemoUser | undefined {
  const byId = state.users.get(idOrUpn) ?? state.users.get(idOrUpn.toLowerCase());
  if (byId) return byId;
  const id = state.upnIndex.get(idOrUpn.toLowerCase());
  return id === undefined ? undefined : state.users.get(id);
}

/** A user's authentication methods, materialised from the generator on first access. */
export function methodsOf(state: DemoState, user: DemoUser): GraphObject[] {
  let list = state.methods.get(user.id);
  if (!list) {
    list = state.lazy && state.generatedIds.has(user.id) ? state.lazy.methods(user) : [passwordMethod()];
    state.methods.set(user.id, list);
  }
  return list;
}

/** A user's inbox rules, materialised on first access. */
export function rulesOf(state: DemoState, user: DemoUser): GraphObject[] {
  let list = state.rules.get(user.id);
  if (!list) {
    list = state.lazy && state.generatedIds.has(user.id) ? state.lazy.rules(user) : [];
    state.rules.set(user.id, list);
  }
  return list;
}

/** A user's sign-ins, newest first, materialised on first access. */
export function signInsOf(state: DemoState, user: DemoUser): GraphObject[] {
  let list = state.signIns.get(user.id);
  if (!list) {
    list = state.lazy && state.generatedIds.has(user.id) ? state.lazy.signIns(user) : [];
    state.signIns.set(user.id, list);
  }
  return list;
}

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

export function passwordMethod(): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
    id: PASSWORD_METHOD_ID,
    password: null,
    createdDateTime: null,
  };
}

/** Appends a write to the log tests inspect. */
export function recordWrite(state: DemoState, method: string, path: string, at: number): void {
  state.writes.push({ method, path, at: new Date(at).toISOString() });
}
