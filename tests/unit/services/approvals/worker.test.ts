import assert from 'node:assert/strict';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import { INSTANCES } from '../../../../services/approvals/card-recovery';
import type { TenantPort } from '../../../../services/approvals/ports';
import type { ApprovalRecord, PlannedStep } from '../../../../services/approvals/types';
import { createApprovalWorker } from '../../../../services/approvals/worker';
import { createAuditLog, type AuditLog } from '../../../../services/audit/audit-log';
import { CodedError } from '../../../../services/errors';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { noopTelemetry, type Telemetry } from '../../../../services/telemetry/port';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { fakeTenant, noSecrets, policy, record, STARTED } from './fakes';

const DECIDED_AT = STARTED;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail(`not reached: ${what}`);
}

/** One worker over an in-memory store, with what it tells the outside world recorded. */
function setup(tenant: TenantPort, options: { pollMs?: number } = {}) {
  const clock = new ManualClock(STARTED);
  const storage: Storage = createMemoryStorage(createMemoryStore());
  const store: ApprovalStore = createApprovalStore(storage);
  const audit: AuditLog = createAuditLog(storage, clock);
  const updates: ApprovalRecord[] = [];
  const metrics: { name: string; value: number; attributes: unknown }[] = [];
  const telemetry: Telemetry = {
    ...noopTelemetry,
    record: (name, value, attributes) => void metrics.push({ name, value, attributes }),
  };
  const logger = createRecordingLogger();
  const worker = createApprovalWorker({
    storage,
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
    owner: 'w1',
    telemetry,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });
  const add = async (steps: PlannedStep[], overrides: Partial<ApprovalRecord> = {}): Promise<void> => {
    const entry = record(steps, {
      state: 'approved',
      decision: { kind: 'approved', by: { aadObjectId: 'approver', name: 'Megan Bowen' }, at: DECIDED_AT },
      expiresAt: STARTED + 30 * 60_000,
      ...overrides,
    });
    if (!overrides.execution) delete entry.execution;
    await store.markOpen(entry.id);
    assert.ok((await store.create(entry)).ok);
  };
  const stored = async (): Promise<ApprovalRecord | undefined> => (await store.get('a1'))?.value;
  const pass = async (): Promise<void> => {
    await worker.runOnce();
    await worker.idle();
  };
  const errors = () => logger.lines.filter((l) => l.level === 'error');
  return { clock, storage, store, audit, updates, metrics, logger, worker, add, stored, pass, errors };
}

describe('approvals/worker: what an execution leaves behind', () => {
  it('done: one audit record naming each step, the Graph request ids and every retry; card updated; queue closed; decision-to-done measured', async () => {
    const base = fakeTenant();
    const tenant: TenantPort = {
      ...base.tenant,
      withRetryObserver: (observe) => ({
        ...base.tenant,
        revokeSessions: (id) => {
          observe({ reason: 'throttled', status: 429, waitMs: 3000 });
          observe({ reason: 'network', status: null, waitMs: 250 });
          return base.tenant.revokeSessions(id);
        },
      }),
    };
    const w = setup(tenant);
    await w.add([{ kind: 'revoke' }, { kind: 'disable' }]);
    w.clock.advance(5_000);
    await w.pass();
    assert.deepEqual(base.writes, ['revoke', 'enabled=false']);
    const final = await w.stored();
    assert.equal(final?.state, 'done');
    assert.equal(final?.claim, undefined);
    const done = (await w.audit.list()).filter((r) => r.action === 'approval.done');
    assert.equal(done.length, 1);
    const details = done[0]?.details ?? {};
    assert.match(String(details.steps), /^revoke:[a-z+-]+; disable:[a-z+-]+$/);
    assert.equal(details.graphRequestIds, 'req-revoke,req-enable');
    assert.equal(details.graphRetries, 2);
    assert.equal(details.graphRetryWaitMs, 3250);
    assert.equal(details.graphRetryLog, 'revoke:throttled(429) 3000ms; revoke:network 250ms');
    assert.equal(done[0]?.outcome, 'done');
    assert.equal(done[0]?.actor.name, 'approval worker');
    assert.equal(w.updates.at(-1)?.state, 'done');
    assert.deepEqual(await w.store.openIds(), []);
    assert.deepEqual(w.metrics, [{ name: 'approvalDecisionToDone', value: 5_000, attributes: { state: 'done' } }]);
    const executing = (await w.audit.list()).find((r) => r.action === 'approval.executing');
    assert.equal(executing?.details?.worker, 'w1');
    assert.deepEqual(w.errors(), []);
  });

  it('progress is stored after each step, so a crash loses at most the step in flight', async () => {
    let release = (): void => undefined;
    let reached = false;
    const base = fakeTenant();
    const tenant: TenantPort = {
      ...base.tenant,
      setAccountEnabled: async (id, enabled) => {
        reached = true;
        await new Promise<void>((resolve) => (release = resolve));
        return base.tenant.setAccountEnabled(id, enabled);
      },
    };
    const w = setup(tenant);
    await w.add([{ kind: 'revoke' }, { kind: 'disable' }]);
    void w.worker.runOnce();
    await until(() => reached, 'the second step');
    const midway = await w.stored();
    assert.equal(midway?.state, 'executing');
    assert.deepEqual(
      midway?.execution?.results.map((r) => r.step.kind),
      ['revoke'],
    );
    assert.equal(midway?.execution?.startedAt, STARTED);
    // The bot runs with the defaults: a 30-second claim and a 30-second instance heartbeat.
    assert.deepEqual(midway?.claim, { owner: 'w1', expiresAt: STARTED + 30_000 });
    assert.equal((await w.storage.get<{ expiresAt: number }>(`${INSTANCES}w1`))?.value.expiresAt, STARTED + 30_000);
    release();
    await w.worker.idle();
    assert.equal((await w.stored())?.execution?.startedAt, STARTED, 'the start survives to the final record');
  });

  it('an execution that fails before its steps is failed on every step with the error code, audited and shown', async () => {
    for (const [error, code] of [
      [new CodedError('graph_forbidden', '403'), 'graph_forbidden'],
      [new Error('boom'), 'unexpected_error'],
    ] as const) {
      const base = fakeTenant({ readTarget: () => Promise.reject(error) });
      const w = setup(base.tenant);
      await w.add([{ kind: 'revoke' }, { kind: 'disable' }]);
      await w.pass();
      const final = await w.stored();
      assert.equal(final?.state, 'failed');
      assert.deepEqual(
        final?.execution?.results.map(({ step, ok, reasons, requestIds, errorCode }) => ({
          kind: step.kind,
          ok,
          reasons,
          requestIds,
          errorCode,
        })),
        [
          { kind: 'revoke', ok: false, reasons: ['graph-error'], requestIds: [], errorCode: code },
          { kind: 'disable', ok: false, reasons: ['graph-error'], requestIds: [], errorCode: code },
        ],
      );
      assert.deepEqual(base.writes, []);
      const failed = (await w.audit.list()).filter((r) => r.action === 'approval.failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]?.details?.steps, 'revoke:graph-error; disable:graph-error');
      assert.equal(w.updates.at(-1)?.state, 'failed');
      assert.equal(w.metrics[0]?.name, 'approvalDecisionToDone');
      assert.deepEqual(w.metrics[0]?.attributes, { state: 'failed' });
    }
  });

  it('a lost claim or an unreachable store mid-execution: a warning, no outcome written by this worker, nothing announced', async () => {
    const base = fakeTenant({
      revokeSessions: () => Promise.reject(new CodedError('storage_unavailable', 'store gone (test)')),
    });
    const w = setup(base.tenant);
    await w.add([{ kind: 'revoke' }]);
    await w.pass();
    assert.equal((await w.stored())?.state, 'executing', 'left for a worker that settles it by reading');
    assert.deepEqual(
      (await w.audit.list()).map((r) => r.action),
      ['approval.executing'],
    );
    assert.deepEqual(w.updates, []);
    assert.deepEqual(w.errors(), []);
    assert.ok(w.logger.lines.some((l) => l.level === 'warn' && l.fields.approvalId === 'a1'));
  });

  it('an interrupted execution whose every step is found applied is settled done, keeping its start', async () => {
    const base = fakeTenant({}, { accountEnabled: false });
    const w = setup(base.tenant);
    await w.add([{ kind: 'disable' }], {
      state: 'executing',
      claim: { owner: 'dead', expiresAt: STARTED - 1 },
      execution: { startedAt: STARTED - 10_000, results: [] },
    });
    await w.pass();
    const final = await w.stored();
    assert.equal(final?.state, 'done');
    assert.equal(final?.execution?.interrupted, true);
    assert.equal(final?.execution?.startedAt, STARTED - 10_000);
    assert.equal(final?.claim, undefined);
    assert.deepEqual(base.writes, []);
    const reconciled = (await w.audit.list()).filter((r) => r.action === 'approval.reconciled');
    assert.equal(reconciled.length, 1);
    assert.equal(reconciled[0]?.outcome, 'done');
  });

  it('a pending request past its expiry is expired and audited; no decision-to-done is measured for it', async () => {
    const base = fakeTenant();
    const w = setup(base.tenant);
    await w.add([{ kind: 'revoke' }], { state: 'pending', expiresAt: STARTED + 1_000, card: undefined });
    const pending = await w.stored();
    assert.ok(pending);
    delete pending.decision;
    const current = await w.store.get('a1');
    assert.ok(current && (await w.store.replace(pending, current.version)).ok);
    w.clock.advance(1_000);
    await w.pass();
    assert.equal((await w.stored())?.state, 'expired');
    assert.deepEqual(
      (await w.audit.list()).map((r) => r.action),
      ['approval.expired'],
    );
    assert.equal(w.updates.at(-1)?.state, 'expired');
    assert.deepEqual(w.metrics, []);
    assert.deepEqual(base.writes, []);
  });

  it('start() polls the queue, kick() wakes it at once, stop() waits for the execution and retires the heartbeat', async () => {
    const base = fakeTenant();
    const w = setup(base.tenant, { pollMs: 60 * 60_000 });
    await w.storage.put(`${INSTANCES}old`, { expiresAt: STARTED - 2 * 60 * 60_000 }, { overwrite: true });
    w.worker.start();
    w.worker.start();
    await until(async () => (await w.storage.get(`${INSTANCES}w1`)) !== undefined, 'first pass heartbeat');
    await until(async () => (await w.storage.get(`${INSTANCES}old`)) === undefined, 'old heartbeat pruned');
    await w.add([{ kind: 'revoke' }]);
    await flush();
    assert.deepEqual(base.writes, [], 'not before the next pass');
    w.worker.kick();
    await until(async () => (await w.stored())?.state === 'done', 'executed after kick');
    await w.worker.stop();
    assert.equal(await w.storage.get(`${INSTANCES}w1`), undefined, 'heartbeat removed on a clean stop');
    await w.add([{ kind: 'disable' }], { id: 'a2' });
    w.worker.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(base.writes, ['revoke'], 'a stopped worker runs nothing');
  });

  it('an interrupted execution with one step found applied and one not is settled failed', async () => {
    const base = fakeTenant({}, { accountEnabled: false });
    const w = setup(base.tenant);
    await w.add([{ kind: 'disable' }, { kind: 'revoke' }], {
      state: 'executing',
      claim: { owner: 'dead', expiresAt: STARTED - 1 },
      execution: { startedAt: STARTED, results: [] },
    });
    await w.pass();
    const final = await w.stored();
    assert.equal(final?.state, 'failed');
    assert.deepEqual(
      final?.execution?.results.map((r) => r.ok),
      [true, false],
    );
  });

  it('a terminal write that conflicts (another instance changed the request) announces nothing', async () => {
    const base = fakeTenant();
    const w = setup(base.tenant);
    await w.add([{ kind: 'revoke' }], { state: 'pending', expiresAt: STARTED });
    const replace = w.store.replace.bind(w.store);
    w.store.replace = () => Promise.resolve({ ok: false as const, reason: 'conflict' as const });
    await w.pass();
    w.store.replace = replace;
    assert.equal((await w.stored())?.state, 'pending');
    assert.deepEqual(await w.audit.list(), []);
    assert.deepEqual(w.updates, []);
    assert.deepEqual(await w.store.openIds(), ['a1'], 'left open for the next pass');
  });

  it('stop() waits for an execution in flight to finish', async () => {
    let release = (): void => undefined;
    let reached = false;
    const base = fakeTenant();
    const tenant: TenantPort = {
      ...base.tenant,
      revokeSessions: async (id) => {
        reached = true;
        await new Promise<void>((resolve) => (release = resolve));
        return base.tenant.revokeSessions(id);
      },
    };
    const w = setup(tenant, { pollMs: 60 * 60_000 });
    await w.add([{ kind: 'revoke' }]);
    w.worker.start();
    await until(() => reached, 'the write');
    let stopped = false;
    const stopping = w.worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(stopped, false, 'still executing');
    release();
    await stopping;
    assert.equal((await w.stored())?.state, 'done', 'finished before stop() returned');
  });
});
