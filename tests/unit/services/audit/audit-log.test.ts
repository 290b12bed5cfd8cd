import assert from 'node:assert/strict';
import { createAuditLog, type AuditRecord } from '../../../../services/audit/audit-log';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';

const entry = (n: number) => ({
  actor: { aadObjectId: `user-${n}` },
  action: 'command:user',
  target: `t${n}@example.com`,
  outcome: 'allowed',
  correlationId: `c${n}`,
});

describe('services/audit/audit-log', () => {
  it('appends records in sequence, chained by hash, and verifies', async () => {
    const log = createAuditLog(createMemoryStorage(), new ManualClock());
    const a = await log.append(entry(1));
    const b = await log.append(entry(2));
    assert.equal(a.seq, 1);
    assert.equal(b.seq, 2);
    assert.equal(b.prevHash, a.hash);
    assert.deepEqual(await log.verify(), { ok: true, count: 2 });
    assert.deepEqual(
      (await log.list()).map((r) => r.target),
      ['t1@example.com', 't2@example.com'],
    );
  });

  it('detects an edited record', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    await log.append(entry(1));
    await log.append(entry(2));
    const stored = await storage.get<AuditRecord>('audit/log/000000000001');
    assert.ok(stored);
    await storage.put('audit/log/000000000001', { ...stored.value, outcome: 'denied' }, { overwrite: true });
    const result = await log.verify();
    assert.deepEqual(result, { ok: false, brokenAtSeq: 1, reason: 'record altered' });
  });

  it('detects a deleted record', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    for (let i = 1; i <= 3; i++) await log.append(entry(i));
    await storage.delete('audit/log/000000000002');
    assert.equal((await log.verify()).ok, false);
  });

  it('keeps one unbroken chain when two instances append at once', async () => {
    const store = createMemoryStore();
    const one = createAuditLog(createMemoryStorage(store), new ManualClock());
    const two = createAuditLog(createMemoryStorage(store), new ManualClock());
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).append(entry(i))));
    assert.deepEqual(await one.verify(), { ok: true, count: 20 });
  });
});
