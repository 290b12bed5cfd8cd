import assert from 'node:assert/strict';
import { createAuditLog, type AuditRecord } from '../../../../services/audit/audit-log';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { ManualClock } from '../../../fakes/manual-clock';

const entry = (n: number, target: string | null) => ({
  actor: { aadObjectId: `user-${n}` },
  action: `command:n${n}`,
  target,
  outcome: 'allowed',
  correlationId: `c${n}`,
});

function counting(inner: Storage) {
  const calls: string[] = [];
  const storage: Storage = {
    ...inner,
    get: (key) => (calls.push(`get ${key}`), inner.get(key)),
    list: (prefix, options) => (calls.push(`list ${prefix}`), inner.list(prefix, options)),
  };
  return { storage, calls };
}

const broken = (brokenAtSeq: number, reason: string) => ({ ok: false, brokenAtSeq, reason });

// Index passes run only when asked, so each test decides when the checkpoint moves.
const NO_BACKGROUND = { indexEveryRecords: Infinity, indexEveryMs: Infinity };

async function seed(log: ReturnType<typeof createAuditLog>, targets: (string | null)[]): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const [i, target] of targets.entries()) out.push(await log.append(entry(i + 1, target)));
  return out;
}

describe('services/audit/audit-log forTarget (index and checkpoint)', () => {
  it("returns one target's records under any of its names, case-insensitively, newest last, up to the limit", async () => {
    const log = createAuditLog(createMemoryStorage(), new ManualClock(), NO_BACKGROUND);
    await seed(log, ['Adele@Example.com', 'obj-1', 'bob@example.com', null, 'adele@example.com', 'OBJ-1']);
    const { records, chain } = await log.forTarget(['adele@example.com', 'obj-1'], 10);
    assert.deepEqual(
      records.map((r) => r.seq),
      [1, 2, 5, 6],
    );
    assert.deepEqual(chain, { ok: true, count: 6 });
    assert.deepEqual(
      (await log.forTarget(['adele@example.com', 'obj-1'], 2)).records.map((r) => r.seq),
      [5, 6],
    );
    assert.deepEqual((await log.forTarget(['nobody@example.com'], 10)).records, []);
  });

  it('reads no other records: it never lists the log, and after a checkpoint only the new batches are read', async () => {
    const c = counting(createMemoryStorage());
    const log = createAuditLog(c.storage, new ManualClock(), NO_BACKGROUND);
    await seed(
      log,
      Array.from({ length: 30 }, (_, i) => (i % 10 === 0 ? 'adele@example.com' : `u${i}@example.com`)),
    );
    await log.forTarget(['adele@example.com'], 25);
    c.calls.length = 0;
    await seed(log, ['x@example.com', 'adele@example.com']);
    c.calls.length = 0;
    const { records, chain } = await log.forTarget(['adele@example.com'], 25);
    assert.deepEqual(
      records.map((r) => r.seq),
      [1, 11, 21, 32],
    );
    assert.deepEqual(chain, { ok: true, count: 32 });
    assert.ok(!c.calls.includes('list audit/log/'), 'the log itself is never listed');
    const logReads = c.calls.filter((call) => call.startsWith('get audit/log/'));
    // Two new batches and the one after them (absent) to find the end, plus the batches holding Adele's 4 records.
    assert.ok(logReads.length <= 3 + 4, `read ${logReads.length} batches: ${logReads.join(', ')}`);
  });

  it('reports a record edited before the checkpoint reached it, and keeps reporting it', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock(), NO_BACKGROUND);
    await seed(log, ['a@example.com', 'b@example.com', 'a@example.com']);
    const [stored] = (await storage.get<AuditRecord[]>('audit/log/000000000002'))?.value ?? [];
    assert.ok(stored);
    await storage.put('audit/log/000000000002', [{ ...stored, outcome: 'denied' }], { overwrite: true });
    const expected = broken(2, 'record altered');
    assert.deepEqual((await log.forTarget(['a@example.com'], 10)).chain, expected);
    await log.append(entry(9, 'a@example.com'));
    const later = await log.forTarget(['a@example.com'], 10);
    assert.deepEqual(later.chain, expected, 'a break is never forgotten');
    assert.deepEqual(
      later.records.map((r) => r.seq),
      [1, 3, 4],
      'records after the break are still indexed',
    );
  });

  it('reports a shown record edited after the checkpoint passed it', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock(), NO_BACKGROUND);
    await seed(log, ['a@example.com', 'a@example.com']);
    assert.equal((await log.forTarget(['a@example.com'], 10)).chain.ok, true);
    const [stored] = (await storage.get<AuditRecord[]>('audit/log/000000000001'))?.value ?? [];
    assert.ok(stored);
    await storage.put('audit/log/000000000001', [{ ...stored, actor: { aadObjectId: 'someone-else' } }], {
      overwrite: true,
    });
    assert.deepEqual((await log.forTarget(['a@example.com'], 10)).chain, broken(1, 'record altered'));
  });

  it('reports a batch deleted before the checkpoint reached it, and one of the shown records deleted after', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock(), NO_BACKGROUND);
    await seed(log, ['a@example.com', 'b@example.com', 'a@example.com', 'a@example.com']);
    await storage.delete('audit/log/000000000002');
    assert.deepEqual((await log.forTarget(['a@example.com'], 10)).chain, broken(2, 'missing record'));

    const fresh = createMemoryStorage();
    const other = createAuditLog(fresh, new ManualClock(), NO_BACKGROUND);
    await seed(other, ['a@example.com', 'a@example.com']);
    assert.equal((await other.forTarget(['a@example.com'], 10)).chain.ok, true);
    await fresh.delete('audit/log/000000000001');
    assert.deepEqual((await other.forTarget(['a@example.com'], 10)).chain, broken(1, 'missing record'));
  });

  it('indexes every record when two instances append and catch up at the same time', async () => {
    const store = createMemoryStore();
    const one = createAuditLog(createMemoryStorage(store), new ManualClock(), NO_BACKGROUND);
    const two = createAuditLog(createMemoryStorage(store), new ManualClock(), NO_BACKGROUND);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push((i % 2 ? one : two).append(entry(i, i % 4 === 0 ? 'a@example.com' : 'b@example.com')));
      if (i % 7 === 0) work.push((i % 2 ? two : one).forTarget(['a@example.com'], 100));
    }
    await Promise.all(work);
    const { records, chain } = await one.forTarget(['a@example.com'], 100);
    assert.deepEqual(chain, { ok: true, count: 40 });
    assert.equal(records.length, 10);
  });

  it('catches up in the background as records are written', async () => {
    const c = counting(createMemoryStorage());
    const log = createAuditLog(c.storage, new ManualClock(), { indexEveryRecords: 5, indexEveryMs: Infinity });
    await seed(
      log,
      Array.from({ length: 12 }, () => 'a@example.com'),
    );
    await new Promise((r) => setTimeout(r, 20));
    const checkpoint = await c.storage.get<{ seq: number }>('audit/checkpoint');
    assert.ok(checkpoint && checkpoint.value.seq >= 10, 'the index moved without anyone asking');
  });
});
