import assert from 'node:assert/strict';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import type { TenantPort } from '../../../../services/approvals/ports';
import type { ApprovalRecord, PlannedStep } from '../../../../services/approvals/types';
import { createApprovalWorker, START_DEADLINE_MS, type ApprovalWorker } from '../../../../services/approvals/worker';
import { createAuditLog, type AuditLog } from '../../../../services/audit/audit-log';
import { CodedError } from '../../../../services/errors';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { createGatedStorage, type GatedStorage } from '../../../fakes/gated-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { fakeTenant, noSecrets, policy, record, STARTED } from './fakes';

const CLAIM_TTL = 30_000;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await flush();
  assert.ok(check(), 'condition not reached');
}

/** Two workers (two instances) over one store and one tenant, as two bot processes on one SQLite file. */
function twoWorkers(tenant: TenantPort) {
  const clock = new ManualClock(STARTED);
  const gated: GatedStorage = createGatedStorage(createMemoryStorage(createMemoryStore()));
  const store: ApprovalStore = createApprovalStore(gated.storage);
  const audit: AuditLog = createAuditLog(gated.storage, clock);
  const updates: ApprovalRecord[] = [];
  const logger = createRecordingLogger();
  const worker = (owner: string): ApprovalWorker =>
    createApprovalWorker({
      storage: gated.storage,
      store,
      tenant,
      secrets: noSecrets,
      notifier: {
        updated: (r) => Promise.resolve(void updates.push(r)),
        post: () => Promise.reject(new Error('no card is posted in these tests')),
      },
      audit,
      policy,
      clock,
      logger,
      owner,
      claimTtlMs: CLAIM_TTL,
    });
  return { clock, gated, store, audit, updates, logger, a: worker('worker-a'), b: worker('worker-b') };
}

async function approved(store: ApprovalStore, steps: PlannedStep[], at = STARTED): Promise<void> {
  const by = { aadObjectId: 'approver', name: 'Megan Bowen' };
  const entry = record(steps, {
    state: 'approved',
    decision: { kind: 'approved', by, at },
    expiresAt: at + 30 * 60_000,
  });
  delete entry.execution;
  await store.markOpen(entry.id);
  assert.ok((await store.create(entry)).ok);
}

const actions = async (audit: AuditLog): Promise<string[]> => (await audit.list()).map((r) => r.action);

// reliability-security.md §8 row 41 and issue 10 item 2: exactly once across workers.
describe('approvals/worker: per-request claims fence every Graph write', () => {
  it('row 41: two workers that read the same approved version race for the claim: one executes, one write', async () => {
    const { tenant, writes } = fakeTenant();
    const w = twoWorkers(tenant);
    await approved(w.store, [{ kind: 'revoke' }]);
    w.gated.barrier((key) => key === 'approvals/request/a1', 2);
    await Promise.all([w.a.runOnce(), w.b.runOnce()]);
    await Promise.all([w.a.idle(), w.b.idle()]);
    assert.deepEqual(writes, ['revoke']);
    const log = await actions(w.audit);
    assert.equal(log.filter((a) => a === 'approval.executing').length, 1);
    assert.equal(log.filter((a) => a === 'approval.done').length, 1);
    assert.equal((await w.store.get('a1'))?.value.claim, undefined, 'a terminal record holds no claim');
    assert.deepEqual(
      w.logger.lines.filter((l) => l.level === 'error'),
      [],
      'the loser steps aside quietly',
    );
  });

  it('while a claim is live another worker neither reconciles nor writes; once it lapses, it settles by reading and the first worker stops before its next write', async () => {
    let release = (): void => undefined;
    let reached = false;
    const base = fakeTenant();
    const revoke = base.tenant.revokeSessions.bind(base.tenant);
    base.tenant.revokeSessions = async (id) => {
      reached = true;
      await new Promise<void>((resolve) => (release = resolve));
      return revoke(id);
    };
    const w = twoWorkers(base.tenant);
    await approved(w.store, [{ kind: 'revoke' }, { kind: 'disable' }]);
    void w.a.runOnce();
    await until(() => reached);
    await w.b.runOnce();
    await w.b.idle();
    const live = (await w.store.get('a1'))?.value;
    assert.equal(live?.state, 'executing');
    assert.equal(live?.claim?.owner, 'worker-a');
    assert.ok(!(await actions(w.audit)).includes('approval.reconciled'));

    // A stalls past its claim's lifetime (its renewal finds it lapsed); B may now settle it, by reading only.
    w.clock.advance(CLAIM_TTL + 1);
    await flush();
    await w.b.runOnce();
    await w.b.idle();
    const settled = (await w.store.get('a1'))?.value;
    assert.equal(settled?.state, 'failed');
    assert.equal(settled?.execution?.interrupted, true);
    assert.deepEqual(base.writes, [], 'reconcile never writes');

    // A's write already in flight lands; A then stops: its second step is never written.
    release();
    await w.a.idle();
    assert.deepEqual(base.writes, ['revoke']);
    const log = await actions(w.audit);
    assert.equal(log.filter((a) => a === 'approval.reconciled').length, 1);
    assert.ok(!log.includes('approval.done') && !log.includes('approval.failed'), log.join());
  });

  it('a worker whose claim lapsed while it waited to retry stops before the retry (the fence)', async () => {
    const base = fakeTenant();
    let calls = 0;
    base.tenant.setAccountEnabled = () => {
      calls++;
      return Promise.reject(
        new CodedError('graph_outcome_unknown', '503', { status: 503, retryAfterMs: 2 * CLAIM_TTL }),
      );
    };
    const w = twoWorkers(base.tenant);
    await approved(w.store, [{ kind: 'disable' }]);
    void w.a.runOnce();
    await until(() => calls === 1);
    w.clock.advance(CLAIM_TTL + 1);
    await flush();
    await w.b.runOnce();
    await w.b.idle();
    assert.equal((await w.store.get('a1'))?.value.state, 'failed');
    w.clock.advance(CLAIM_TTL);
    await w.a.idle();
    assert.equal(calls, 1, 'no write after the claim was lost');
  });

  it('a claim renewed while executing keeps another worker off a long-running request', async () => {
    const base = fakeTenant();
    let calls = 0;
    base.tenant.setAccountEnabled = () => {
      calls++;
      return Promise.reject(new CodedError('graph_outcome_unknown', '429', { status: 429, retryAfterMs: 90_000 }));
    };
    const w = twoWorkers(base.tenant);
    await approved(w.store, [{ kind: 'disable' }]);
    void w.a.runOnce();
    await until(() => calls === 1);
    // Four attempts with a 90-second wait after each (three claim lifetimes), the other worker passing every 5 s.
    for (let t = 0; t <= 4 * 90_000; t += 5_000) {
      w.clock.advance(5_000);
      await flush();
      await w.b.runOnce();
      await w.b.idle();
    }
    await w.a.idle();
    assert.equal(calls, 4);
    const log = await actions(w.audit);
    assert.ok(!log.includes('approval.reconciled'), log.join());
    assert.equal((await w.store.get('a1'))?.value.execution?.results[0]?.reasons[0], 'not-applied-retryable');
  });

  it('a store that is busy for a moment while executing is retried: the execution still ends done, once', async () => {
    const { tenant, writes } = fakeTenant();
    const w = twoWorkers(tenant);
    await approved(w.store, [{ kind: 'revoke' }]);
    const put = w.gated.storage.put.bind(w.gated.storage);
    let puts = 0;
    w.gated.storage.put = (key, value, condition) =>
      key === 'approvals/request/a1' && ++puts === 2
        ? Promise.reject(new CodedError('storage_unavailable', 'SQLITE_BUSY (test)'))
        : put(key, value, condition);
    void w.a.runOnce();
    for (let i = 0; i < 20 && (await w.store.get('a1'))?.value.state !== 'done'; i++) {
      await flush();
      w.clock.advance(500);
    }
    await w.a.idle();
    assert.deepEqual(writes, ['revoke']);
    assert.equal((await w.store.get('a1'))?.value.state, 'done');
    assert.deepEqual(await actions(w.audit), ['approval.executing', 'approval.done']);
  });

  it('an approved request not started within 15 minutes is failed with a reason, on the card and in the audit', async () => {
    const { tenant, writes } = fakeTenant();
    const w = twoWorkers(tenant);
    await approved(w.store, [{ kind: 'revoke' }]);
    w.clock.advance(START_DEADLINE_MS);
    await w.a.runOnce();
    await w.a.idle();
    assert.deepEqual(writes, []);
    const final = (await w.store.get('a1'))?.value;
    assert.equal(final?.state, 'failed');
    assert.deepEqual(final?.execution?.results[0]?.reasons, ['not-started-in-time']);
    assert.equal(w.updates.at(-1)?.state, 'failed');
    const failed = (await w.audit.list()).find((r) => r.action === 'approval.failed');
    assert.match(String(failed?.details?.steps), /revoke:not-started-in-time/);
    assert.deepEqual(await w.store.openIds(), []);
  });
});
