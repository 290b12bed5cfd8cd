import type {
  AppCredentialsView,
  AppRoleAssignmentView,
  DelegateItem,
  DeviceView,
  GrantView,
  MailboxDelegatePort,
  MethodView,
  PersistencePort,
} from '../../../../services/approvals/ports';
import type { PersistenceBefore } from '../../../../services/approvals/types';
import type { PersistenceItem } from '../../../../services/identity/persistence';

/** The user u1's persistence as an attacker left it: a grant, an app role, a device, a delegate, an app secret. */
export function fakePersistence(overrides: Partial<PersistencePort> = {}, methods: MethodView[] = []) {
  const writes: string[] = [];
  let created = 0;
  const grants = new Map<string, GrantView>([
    [
      'g1',
      {
        id: 'g1',
        clientId: 'sp-backup',
        consentType: 'Principal',
        principalId: 'u1',
        resourceId: 'sp-graph',
        scope: 'Mail.ReadWrite offline_access',
      },
    ],
    [
      'g-other',
      {
        id: 'g-other',
        clientId: 'sp-backup',
        consentType: 'Principal',
        principalId: 'u2',
        resourceId: 'sp-graph',
        scope: 'Mail.Read',
      },
    ],
  ]);
  const assignments: AppRoleAssignmentView[] = [
    {
      id: 'ara1',
      principalId: 'u1',
      resourceId: 'sp-backup',
      appRoleId: 'role-1',
      resourceDisplayName: 'Mail Backup Pro',
    },
  ];
  const devices = new Map<string, DeviceView>([
    [
      'd1',
      { id: 'd1', deviceId: 'dev-1', displayName: 'DESKTOP-EVIL', accountEnabled: true, operatingSystem: 'Windows' },
    ],
    ['d-ios', { id: 'd-ios', deviceId: 'dev-2', displayName: 'iPhone', accountEnabled: true, operatingSystem: 'iOS' }],
    [
      'd-else',
      { id: 'd-else', deviceId: 'dev-3', displayName: 'Other', accountEnabled: true, operatingSystem: 'Windows' },
    ],
  ]);
  const mine = new Set(['d1', 'd-ios']);
  const apps = new Map<string, AppCredentialsView>([
    [
      'app1',
      {
        id: 'app1',
        displayName: 'Owned App',
        passwordCredentials: [
          { keyId: 'k-old', displayName: 'ci', startDateTime: null, endDateTime: null },
          { keyId: 'k-new', displayName: 'x', startDateTime: null, endDateTime: null },
        ],
        keyCredentials: [
          {
            keyId: 'c-old',
            displayName: 'CN=old',
            startDateTime: null,
            endDateTime: null,
            type: 'AsymmetricX509Cert',
            usage: 'Verify',
          },
          {
            keyId: 'c-new',
            displayName: 'CN=new',
            startDateTime: null,
            endDateTime: null,
            type: 'AsymmetricX509Cert',
            usage: 'Verify',
          },
        ],
      },
    ],
  ]);
  const port: PersistencePort = {
    getGrant: (id) => Promise.resolve(grants.get(id) ?? null),
    deleteGrant: (id) => {
      writes.push(`delete-grant=${id}`);
      grants.delete(id);
      return Promise.resolve({ requestId: 'req-grant' });
    },
    listAppRoleAssignments: () => Promise.resolve([...assignments]),
    deleteAppRoleAssignment: (_u, id) => {
      writes.push(`delete-assignment=${id}`);
      assignments.splice(
        assignments.findIndex((a) => a.id === id),
        1,
      );
      return Promise.resolve({ requestId: 'req-ara' });
    },
    listUserDevices: () => Promise.resolve([...devices.values()].filter((d) => mine.has(d.id))),
    getDevice: (id) => Promise.resolve(devices.has(id) ? { ...(devices.get(id) as DeviceView) } : null),
    setDeviceEnabled: (id, enabled) => {
      writes.push(`device=${id}:${enabled}`);
      const d = devices.get(id);
      if (d) d.accountEnabled = enabled;
      return Promise.resolve({ requestId: 'req-device' });
    },
    listOwnedApplications: () => Promise.resolve(['app1']),
    getAppCredentials: (id) => {
      const app = apps.get(id);
      return Promise.resolve(
        app
          ? { ...app, passwordCredentials: [...app.passwordCredentials], keyCredentials: [...app.keyCredentials] }
          : null,
      );
    },
    removeAppPassword: (id, keyId) => {
      writes.push(`remove-password=${id}:${keyId}`);
      const app = apps.get(id);
      if (app) app.passwordCredentials = app.passwordCredentials.filter((c) => c.keyId !== keyId);
      return Promise.resolve({ requestId: 'req-pw' });
    },
    setAppKeys: (id, keep) => {
      writes.push(`set-keys=${id}:${keep.map((k) => k.keyId).join(',')}`);
      const app = apps.get(id);
      if (app) app.keyCredentials = keep;
      return Promise.resolve({ requestId: 'req-keys' });
    },
    listUserGrants: (userId) => Promise.resolve([...grants.values()].filter((g) => g.principalId === userId)),
    createGrant: (grant) => {
      // Graph gives a re-created grant a new id.
      const id = `g-new-${++created}`;
      writes.push(`create-grant=${grant.clientId}:${grant.scope}`);
      grants.set(id, { id, ...grant });
      return Promise.resolve({ requestId: 'req-create-grant' });
    },
    createAppRoleAssignment: (_u, a) => {
      writes.push(`create-assignment=${a.resourceId}:${a.appRoleId}`);
      assignments.push({ id: `ara-new-${++created}`, ...a, resourceDisplayName: null });
      return Promise.resolve({ requestId: 'req-create-ara' });
    },
    createPhoneMethod: (_u, phone) => {
      writes.push(`create-phone=${phone.phoneType}:${phone.phoneNumber}`);
      methods.push({
        id: `phone-${phone.phoneType}`,
        typeSegment: 'phoneMethods',
        odataType: '#microsoft.graph.phoneAuthenticationMethod',
        createdDateTime: null,
        ...phone,
      });
      return Promise.resolve({ requestId: 'req-create-phone' });
    },
    createEmailMethod: (_u, emailAddress) => {
      writes.push(`create-email=${emailAddress}`);
      methods.push({
        id: 'email-1',
        typeSegment: 'emailMethods',
        odataType: '#microsoft.graph.emailAuthenticationMethod',
        createdDateTime: null,
        emailAddress,
      });
      return Promise.resolve({ requestId: 'req-create-email' });
    },
    ...overrides,
  };
  return { port, writes, grants, devices, apps, assignments };
}

/** The Exchange side: FullAccess held by attacker@evil.example on u1's mailbox. */
export function fakeDelegates() {
  const writes: string[] = [];
  const held: DelegateItem[] = [
    { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' },
    { kind: 'delegate', delegate: 'attacker@evil.example', right: 'SendAs' },
    { kind: 'delegate', delegate: 'manager@example.com', right: 'SendOnBehalf' },
  ];
  const same = (a: DelegateItem, b: DelegateItem): boolean =>
    a.delegate.toLowerCase() === b.delegate.toLowerCase() && a.right === b.right;
  const port: MailboxDelegatePort = {
    holds: (_mailbox, item) => Promise.resolve(held.some((h) => same(h, item))),
    remove: (_mailbox, d) => {
      writes.push(`remove-delegate=${d.delegate}:${d.right}`);
      held.splice(
        held.findIndex((h) => same(h, d)),
        1,
      );
      return Promise.resolve({ requestId: null });
    },
    restore: (_mailbox, d) => {
      writes.push(`restore-delegate=${d.delegate}:${d.right}`);
      held.push({ ...d });
      return Promise.resolve({ requestId: null });
    },
  };
  return { port, writes, held };
}

/** What the investigation flags for u1 (the items a plain `contain` removes). */
/** The before-state contain keeps when it revokes the fake's grant g1 (what restore-grant re-creates). */
export const GRANT_BEFORE: Extract<PersistenceBefore, { kind: 'grant' }> = {
  kind: 'grant',
  clientId: 'sp-backup',
  consentType: 'Principal',
  principalId: 'u1',
  resourceId: 'sp-graph',
  scope: 'Mail.ReadWrite offline_access',
};

export const FLAGGED: PersistenceItem[] = [
  {
    kind: 'grant',
    id: 'g1',
    app: 'Mail Backup Pro',
    clientId: 'sp-backup',
    scopes: ['Mail.ReadWrite', 'offline_access'],
  },
  { kind: 'app-role-assignment', id: 'ara1', app: 'Mail Backup Pro', resourceId: 'sp-backup' },
  { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' },
  { kind: 'device', id: 'd1', name: 'DESKTOP-EVIL' },
  { kind: 'method', id: 'm-new', methodType: 'phoneMethods', label: '+1 555 0100' },
  { kind: 'app-credential', appObjectId: 'app1', keyId: 'k-new', credential: 'password', app: 'Owned App' },
];
