import assert from 'node:assert/strict';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import type { PlannedStep } from '../../../../services/approvals/types';
import { createApprovalWorker } from '../../../../services/approvals/worker';
import { createAuditLog } from '../../../../services/audit/audit-log';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { fakeTenant, noSecrets, policy, record, STARTED } from './fakes';

const POLL_MS = 2_000;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await flush();
}

async function approved(store: ApprovalStore, id: string, steps: PlannedStep[]): Promise<void> {
  const by = { aadObjectId: 'approver', name: 'Megan Bowen' };
  const entry = record(steps, {
    id,
    state: 'approved',
    decision: { kind: 'approved', by, at: STARTED },
    expiresAt: STARTED + 30 * 60_000,
  });
  delete entry.execution;
  await store.markOpen(entry.id);
  assert.ok((await store.create(entry)).ok);
}

// Issue 14: the approval worker runs on the one loop helper, on the injected clock (no setTimeout of its own).
describe('approvals/worker: passes run on the loop helper and the injected clock', () => {
  function worker() {
    const clock = new ManualClock(STARTED);
    const storage = createMemoryStorage(createMemoryStore());
    const store = createApprovalStore(storage);
    const { tenant, writes } = fakeTenant();
    const w = createApprovalWorker({
      storage,
      store,
      tenant,
      secrets: noSecrets,
      notifier: { updated: () => Promise.resolve(), post: () => Promise.reject(new Error('no card is posted')) },
      audit: createAuditLog(storage, clock),
      policy,
      clock,
      logger: createRecordingLogger(),
      owner: 'worker-a',
      pollMs: POLL_MS,
    });
    return { clock, store, writes, w };
  }

  it('passes at start, then only when the clock has moved one interval; kick() passes at once; stop() ends it', async () => {
    const { clock, store, writes, w } = worker();
    await approved(store, 'a1', [{ kind: 'revoke' }]);
    w.start();
    await settle();
    await w.idle();
    assert.deepEqual(writes, ['revoke'], 'the first pass runs on start');

    await approved(store, 'a2', [{ kind: 'disable' }]);
    await settle();
    assert.deepEqual(writes, ['revoke'], 'no pass before the clock moves');
    clock.advance(POLL_MS * 0.85);
    await settle();
    assert.deepEqual(writes, ['revoke'], 'no pass before the interval (less its jitter) has passed');
    clock.advance(POLL_MS * 0.3);
    await settle();
    await w.idle();
    assert.deepEqual(writes, ['revoke', 'enabled=false'], 'the next pass runs once the injected clock has moved');

    await approved(store, 'a3', [{ kind: 'enable' }]);
    w.kick();
    await settle();
    await w.idle();
    assert.deepEqual(writes, ['revoke', 'enabled=false', 'enabled=true'], 'kick() passes without waiting');

    await w.stop();
    await approved(store, 'a4', [{ kind: 'revoke' }]);
    clock.advance(POLL_MS * 10);
    await settle();
    assert.deepEqual(writes, ['revoke', 'enabled=false', 'enabled=true'], 'no pass after stop()');
  });
});
