import type { MethodView, SecretChannel, SecretMessage, TenantPort } from '../../../../services/approvals/ports';
import type { ApprovalRecord, PlannedStep } from '../../../../services/approvals/types';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import type { ConversationRef } from '../../../../services/messaging/port';

export const STARTED = Date.parse('2026-11-22T12:00:00Z');

export type Target = Awaited<ReturnType<TenantPort['readTarget']>>;

/** A hand-written TenantPort over one in-memory user; records every write that reached it. */
export function fakeTenant(overrides: Partial<TenantPort> = {}, state: Partial<Target> = {}) {
  const writes: string[] = [];
  const user: Target = {
    id: 'u1',
    upn: 'u1@example.com',
    displayName: 'U',
    accountEnabled: true,
    synced: false,
    guest: false,
    adminRoles: [],
    protectedMember: false,
    sessionsValidFrom: '2026-11-01T00:00:00Z',
    lastPasswordChange: '2026-11-01T00:00:00Z',
    ...state,
  };
  const methods: MethodView[] = [];
  let rule = messageRuleSchema.parse({ id: 'r1', displayName: 'fwd', isEnabled: true, actions: { forwardTo: [] } });
  let stamp = 0;
  const now = (): string => new Date(STARTED + 1000 + stamp++).toISOString();
  const tenant: TenantPort = {
    readTarget: () => Promise.resolve({ ...user }),
    listRules: () => Promise.resolve([rule]),
    getRule: (_u, id) => Promise.resolve(id === rule.id ? rule : null),
    listMethods: () => Promise.resolve([...methods]),
    revokeSessions: () => {
      writes.push('revoke');
      user.sessionsValidFrom = now();
      return Promise.resolve({ requestId: 'req-revoke' });
    },
    setAccountEnabled: (_u, enabled) => {
      writes.push(`enabled=${enabled}`);
      user.accountEnabled = enabled;
      return Promise.resolve({ requestId: 'req-enable' });
    },
    setPassword: (_u, password) => {
      writes.push(`password=${password}`);
      user.lastPasswordChange = now();
      return Promise.resolve({ requestId: 'req-pw' });
    },
    deleteMethod: (_u, _type, id) => {
      writes.push(`delete=${id}`);
      methods.splice(
        methods.findIndex((m) => m.id === id),
        1,
      );
      return Promise.resolve({ requestId: 'req-delete' });
    },
    createTap: () => {
      writes.push('tap');
      methods.push({
        id: `tap-${writes.length}`,
        typeSegment: 'temporaryAccessPassMethods',
        odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
        createdDateTime: now(),
      });
      return Promise.resolve({ requestId: 'req-tap', pass: 'TAP-CODE-1', lifetimeInMinutes: 60 });
    },
    setRuleEnabled: (_u, _r, enabled) => {
      writes.push(`rule=${enabled}`);
      rule = { ...rule, isEnabled: enabled };
      return Promise.resolve({ requestId: 'req-rule' });
    },
    ...overrides,
  };
  return { tenant, writes, user, methods };
}

/** A secret channel with nowhere to deliver (the requester has no personal chat). */
export const noSecrets: SecretChannel = {
  open: () => Promise.resolve(null),
  announce: () => Promise.reject(new Error('unused')),
  send: () => Promise.reject(new Error('unused')),
};

const PERSONAL: ConversationRef = {
  conversationId: 'personal-r',
  conversationType: 'personal',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

/** A secret channel that records what reached the requester's personal chat. */
export function recordingSecrets(): SecretChannel & { sent: SecretMessage[] } {
  const sent: SecretMessage[] = [];
  return {
    sent,
    open: () => Promise.resolve(PERSONAL),
    announce: () => Promise.resolve(),
    send: (_to, message) => Promise.resolve(void sent.push(message)),
  };
}

/** An executing request for `steps` against the fake tenant's user. */
export function record(steps: PlannedStep[], overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: 'a1',
    action: 'contain',
    target: {
      id: 'u1',
      upn: 'u1@example.com',
      displayName: null,
      accountEnabled: true,
      synced: false,
      guest: false,
      adminRoles: [],
      protectedMember: false,
    },
    steps,
    justification: 'j',
    requester: { aadObjectId: 'r', name: 'R' },
    createdAt: STARTED,
    expiresAt: STARTED + 1,
    hash: 'h',
    dryRun: false,
    warnings: [],
    state: 'executing',
    execution: { startedAt: STARTED, results: [] },
    ...overrides,
  };
}

export const policy = { allowAdminTargets: false, passwordWriteback: false };
export const noHooks = { fence: () => Promise.resolve(), persist: () => Promise.resolve() };
