import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import { reconcile } from '../../../../services/approvals/reconcile';
import type { PlannedStep } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import { ManualClock, SkippingClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, STARTED, type Target } from './fakes';

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
      { fence: () => Promise.resolve(), persist: (results) => Promise.resolve(void persisted.push(results.length)) },
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

  it('a password reset without a reachable personal chat writes nothing', async () => {
    const { tenant, writes } = fakeTenant();
    const out = await executeRequest(
      record([{ kind: 'reset-password' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock() },
      noHooks,
    );
    assert.deepEqual(writes, []);
    assert.deepEqual(out.results[0]?.reasons, ['no-personal-chat']);
  });

  it('already-disabled accounts are not written again; the before-state is kept', async () => {
    const { tenant, writes } = fakeTenant({}, { accountEnabled: false });
    const out = await executeRequest(
      record([{ kind: 'disable' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock() },
      noHooks,
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

describe('approvals/executor: the secret channel, refusals and failures', () => {
  /** A secret channel that records what it was asked to do; `announceFails` makes the chat undeliverable. */
  function watchingSecrets(announceFails = false) {
    const calls: string[] = [];
    const chat = {
      conversationId: 'personal-r',
      conversationType: 'personal' as const,
      tenantId: 't',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      reference: {},
    };
    return {
      calls,
      secrets: {
        open: () => Promise.resolve(void calls.push('open')).then(() => chat),
        announce: (_to: unknown, notice: { kind: string; targetUpn: string; approvalId: string }) => {
          calls.push(`announce:${notice.kind}:${notice.targetUpn}:${notice.approvalId}`);
          return announceFails ? Promise.reject(new Error('403 from Teams')) : Promise.resolve();
        },
        send: (_to: unknown, message: { kind: string }) => Promise.resolve(void calls.push(`send:${message.kind}`)),
      },
    };
  }

  it('a secret step announces its kind to the requester before the write: password for a reset, tap for a TAP', async () => {
    for (const [steps, kind] of [
      [[{ kind: 'revoke' }, { kind: 'reset-password' }], 'password'],
      [[{ kind: 'tap' }], 'tap'],
    ] as const) {
      const { tenant } = fakeTenant();
      const watch = watchingSecrets();
      await executeRequest(
        record([...steps]),
        { tenant, secrets: watch.secrets, policy, clock: new ManualClock(STARTED) },
        noHooks,
      );
      assert.equal(watch.calls[0], 'open');
      assert.equal(watch.calls[1], `announce:${kind}:u1@example.com:a1`);
    }
  });

  it('a dry run or a request without secret steps never opens the personal chat', async () => {
    for (const [steps, dryRun] of [
      [[{ kind: 'reset-password' }], true],
      [[{ kind: 'revoke' }, { kind: 'disable' }], false],
    ] as const) {
      const { tenant } = fakeTenant();
      const watch = watchingSecrets();
      await executeRequest(
        record([...steps], { dryRun }),
        { tenant, secrets: watch.secrets, policy, clock: new ManualClock(STARTED) },
        noHooks,
      );
      assert.deepEqual(watch.calls, []);
    }
  });

  it('a personal chat that cannot be posted to counts as none: the password is not set', async () => {
    const { tenant, writes } = fakeTenant();
    const watch = watchingSecrets(true);
    const out = await executeRequest(
      record([{ kind: 'reset-password' }]),
      { tenant, secrets: watch.secrets, policy, clock: new ManualClock(STARTED) },
      noHooks,
    );
    assert.deepEqual(writes, []);
    assert.deepEqual(out.results[0]?.reasons, ['no-personal-chat']);
  });

  it('a target refused at execution time fails every step with target-refused and writes nothing', async () => {
    const { tenant, writes } = fakeTenant({}, { adminRoles: ['Global Administrator'] });
    const out = await executeRequest(
      record([{ kind: 'revoke' }, { kind: 'disable' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED) },
      noHooks,
    );
    assert.equal(out.state, 'failed');
    assert.ok(out.refused && out.refused.length > 0);
    assert.deepEqual(
      out.results.map((r) => [r.step.kind, r.ok, r.reasons, r.requestIds]),
      [
        ['revoke', false, ['target-refused'], []],
        ['disable', false, ['target-refused'], []],
      ],
    );
    assert.deepEqual(writes, []);
  });

  it('a write whose outcome stays unknown through every re-read keeps its request id; a plain error is a graph-error', async () => {
    const { tenant } = fakeTenant({
      revokeSessions: () => Promise.reject(new CodedError('graph_outcome_unknown', '504', { requestId: 'req-504' })),
      setAccountEnabled: () => Promise.reject(new Error('socket hang up')),
    });
    const out = await executeRequest(
      record([{ kind: 'revoke' }, { kind: 'disable' }]),
      { tenant, secrets: noSecrets, policy, clock: new SkippingClock(STARTED) },
      noHooks,
    );
    const revoke = out.results[0];
    assert.equal(revoke?.ok, false);
    assert.ok(revoke?.requestIds.includes('req-504'), JSON.stringify(revoke));
    assert.equal(revoke?.errorCode, 'graph_outcome_unknown');
    assert.deepEqual(revoke?.reasons, ['not-applied-retryable']);
    const disable = out.results[1];
    assert.deepEqual([disable?.ok, disable?.errorCode], [false, 'unexpected_error']);
    assert.ok(disable?.reasons.includes('graph-error'), JSON.stringify(disable));
  });

  it('a lost claim or an unreachable store stops the execution: no further step runs', async () => {
    for (const code of ['approval_claim_lost', 'storage_unavailable'] as const) {
      const { tenant, writes } = fakeTenant();
      let fences = 0;
      await assert.rejects(
        executeRequest(
          record([{ kind: 'revoke' }, { kind: 'disable' }]),
          { tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED) },
          {
            fence: () => (++fences === 2 ? Promise.reject(new CodedError(code, 'stop (test)')) : Promise.resolve()),
            persist: () => Promise.resolve(),
          },
        ),
        (e: unknown) => e instanceof CodedError && e.code === code,
      );
      assert.deepEqual(writes, ['revoke']);
    }
  });

  it('the retries of every write are collected per step and saved with the progress', async () => {
    const base = fakeTenant();
    const tenant = {
      ...base.tenant,
      withRetryObserver: (observe: (n: { reason: 'throttled'; status: number; waitMs: number }) => void) => ({
        ...base.tenant,
        setAccountEnabled: (id: string, enabled: boolean) => {
          observe({ reason: 'throttled', status: 429, waitMs: 1000 });
          return base.tenant.setAccountEnabled(id, enabled);
        },
      }),
    };
    const saved: unknown[] = [];
    const out = await executeRequest(
      record([{ kind: 'revoke' }, { kind: 'disable' }]),
      { tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED) },
      { fence: () => Promise.resolve(), persist: (_r, retries) => Promise.resolve(void saved.push(retries)) },
    );
    assert.deepEqual(out.retries, [{ step: 'disable', reason: 'throttled', status: 429, waitMs: 1000 }]);
    assert.deepEqual(saved, [[], [{ step: 'disable', reason: 'throttled', status: 429, waitMs: 1000 }]]);
  });
});
