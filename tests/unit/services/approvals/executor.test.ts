import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import type { SecretChannel, TenantPort } from '../../../../services/approvals/ports';
import { reconcile } from '../../../../services/approvals/reconcile';
import type { ApprovalRecord, PlannedStep } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import { ManualClock } from '../../../fakes/manual-clock';

const STARTED = Date.parse('2026-11-22T12:00:00Z');

type Target = Awaited<ReturnType<TenantPort['readTarget']>>;

/** A hand-written TenantPort over a small in-memory user; records every write. */
function fakeTenant(overrides: Partial<TenantPort> = {}, state: Partial<Target> = {}) {
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
  let rule = messageRuleSchema.parse({ id: 'r1', displayName: 'fwd', isEnabled: true, actions: { forwardTo: [] } });
  const now = (): string => new Date(STARTED + 1000).toISOString();
  const tenant: TenantPort = {
    readTarget: () => Promise.resolve({ ...user }),
    listRules: () => Promise.resolve([rule]),
    getRule: (_u, id) => Promise.resolve(id === rule.id ? rule : null),
    listMethods: () => Promise.resolve([]),
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
    setPassword: () => {
      writes.push('password');
      user.lastPasswordChange = now();
      return Promise.resolve({ requestId: 'req-pw' });
    },
    deleteMethod: () => Promise.reject(new Error('unused')),
    createTap: () => Promise.reject(new Error('unused')),
    setRuleEnabled: (_u, _r, enabled) => {
      writes.push(`rule=${enabled}`);
      rule = { ...rule, isEnabled: enabled };
      return Promise.resolve({ requestId: 'req-rule' });
    },
    ...overrides,
  };
  return { tenant, writes, user };
}

const noSecrets: SecretChannel = {
  open: () => Promise.resolve(null),
  announce: () => Promise.reject(new Error('unused')),
  send: () => Promise.reject(new Error('unused')),
};

function record(steps: PlannedStep[], overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
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

const policy = { allowAdminTargets: false, passwordWriteback: false };

describe('approvals/executor', () => {
  it('row 25: a Graph 403 on a write is recorded once, not retried, and the other steps still run', async () => {
    let calls = 0;
    const { tenant, writes } = fakeTenant({
      setAccountEnabled: () => {
        calls++;
        return Promise.reject(
          new CodedError('graph_forbidden', '403', {
            requestId: 'req-403',
            permission: 'User.EnableDisableAccount.All',
          }),
        );
      },
    });
    const persisted: number[] = [];
    const out = await executeRequest(
      record([{ kind: 'revoke' }, { kind: 'disable' }, { kind: 'disable-rule', ruleId: 'r1' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED) },
      (results) => Promise.resolve(void persisted.push(results.length)),
    );
    assert.equal(calls, 1);
    assert.equal(out.state, 'failed');
    assert.deepEqual(writes, ['revoke', 'rule=false']);
    assert.deepEqual(
      out.results.map((r) => [r.step.kind, r.ok, r.errorCode ?? null]),
      [
        ['revoke', true, null],
        ['disable', false, 'graph_forbidden'],
        ['disable-rule', true, null],
      ],
    );
    assert.deepEqual(out.results[1]?.requestIds, ['req-403']);
    assert.deepEqual(persisted, [1, 2, 3], 'progress is saved after every step');
  });

  it('a write with an unknown outcome is reported as such and never replayed', async () => {
    let calls = 0;
    const { tenant } = fakeTenant({
      revokeSessions: () => {
        calls++;
        return Promise.reject(new CodedError('graph_outcome_unknown', 'timeout'));
      },
    });
    const out = await executeRequest(
      record([{ kind: 'revoke' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock() },
      () => Promise.resolve(),
    );
    assert.equal(calls, 1);
    assert.deepEqual(out.results[0]?.reasons, ['outcome-unknown']);
  });

  it('a password reset without a reachable personal chat writes nothing', async () => {
    const { tenant, writes } = fakeTenant();
    const out = await executeRequest(
      record([{ kind: 'reset-password' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock() },
      () => Promise.resolve(),
    );
    assert.deepEqual(writes, []);
    assert.deepEqual(out.results[0]?.reasons, ['no-personal-chat']);
  });

  it('already-disabled accounts are not written again; the before-state is kept', async () => {
    const { tenant, writes } = fakeTenant({}, { accountEnabled: false });
    const out = await executeRequest(
      record([{ kind: 'disable' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock() },
      () => Promise.resolve(),
    );
    assert.deepEqual(writes, []);
    assert.deepEqual(out.results[0]?.reasons, ['already-in-state']);
    assert.equal(out.results[0]?.before?.accountEnabled, false);
  });
});

describe('approvals/reconcile (reads only)', () => {
  const rows: { name: string; step: PlannedStep; state: Partial<Target>; reasons: string[]; ok: boolean }[] = [
    {
      name: 'revoke applied',
      step: { kind: 'revoke' },
      state: { sessionsValidFrom: new Date(STARTED + 500).toISOString() },
      reasons: ['reconciled-applied'],
      ok: true,
    },
    {
      name: 'revoke not applied',
      step: { kind: 'revoke' },
      state: { sessionsValidFrom: '2026-11-01T00:00:00Z' },
      reasons: ['reconciled-not-applied'],
      ok: false,
    },
    {
      name: 'disable applied',
      step: { kind: 'disable' },
      state: { accountEnabled: false },
      reasons: ['reconciled-applied'],
      ok: true,
    },
    {
      name: 'disable not applied',
      step: { kind: 'disable' },
      state: { accountEnabled: true },
      reasons: ['reconciled-not-applied'],
      ok: false,
    },
    {
      name: 'password applied but the secret is lost',
      step: { kind: 'reset-password' },
      state: { lastPasswordChange: new Date(STARTED).toISOString() },
      reasons: ['reconciled-applied', 'secret-lost'],
      ok: false,
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { tenant, writes } = fakeTenant({}, row.state);
      const results = await reconcile(record([row.step]), tenant);
      assert.deepEqual(writes, [], 'reconcile never writes');
      assert.deepEqual(results[0]?.reasons, row.reasons);
      assert.equal(results[0]?.ok, row.ok);
    });
  }

  it('keeps the results recorded before the crash and judges only the rest', async () => {
    const { tenant } = fakeTenant({}, { accountEnabled: false });
    const first = {
      step: { kind: 'revoke' as const },
      ok: true,
      reasons: ['applied' as const, 'verified' as const],
      requestIds: ['x'],
    };
    const rec = record([{ kind: 'revoke' }, { kind: 'disable' }], {
      execution: { startedAt: STARTED, results: [first] },
    });
    const results = await reconcile(rec, tenant);
    assert.deepEqual(results[0], first);
    assert.deepEqual(results[1]?.reasons, ['reconciled-applied']);
  });
});
