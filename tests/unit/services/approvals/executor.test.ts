import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import { reconcile } from '../../../../services/approvals/reconcile';
import type { PlannedStep } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import { ManualClock } from '../../../fakes/manual-clock';
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
