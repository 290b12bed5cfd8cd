import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { createAuditLog, type AuditRecord } from '../../../../services/audit/audit-log';
import { isCodedError } from '../../../../services/errors';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { createSqliteStorage } from '../../../../services/storage/sqlite-storage';
import { ManualClock } from '../../../fakes/manual-clock';

const entry = (n: number, target: string | null = `t${n}@example.com`) => ({
  actor: { aadObjectId: `user-${n}` },
  action: 'command:user',
  target,
  outcome: 'allowed',
  correlationId: `c${n}`,
});

/** A Storage that records each call ("put audit/log/…") and can hold the batch writes until released. */
function observed(inner: Storage) {
  const calls: string[] = [];
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const storage: Storage = {
    get: (key) => (calls.push(`get ${key}`), inner.get(key)),
    put: async (key, value, condition) => {
      calls.push(`put ${key}`);
      if (gate && key.startsWith('audit/log/')) await gate;
      return inner.put(key, value, condition);
    },
    delete: (key, condition) => (calls.push(`delete ${key}`), inner.delete(key, condition)),
    list: (prefix, options) => (calls.push(`list ${prefix}`), inner.list(prefix, options)),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return {
    storage,
    calls,
    hold: (): void => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => {
      gate = null;
      open();
    },
  };
}

const batchPuts = (calls: string[]): number => calls.filter((c) => c.startsWith('put audit/log/')).length;

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

  it('writes entries that arrive together as one batch, each resolving only once the batch is stored', async () => {
    const o = observed(createMemoryStorage());
    const log = createAuditLog(o.storage, new ManualClock());
    await log.append(entry(0));
    o.hold();
    let resolved = 0;
    const first = log.append(entry(1)).then((r) => (resolved++, r));
    await new Promise((r) => setImmediate(r));
    // The first batch is in flight; these arrive meanwhile and must wait for it, then share one write.
    const rest = Array.from({ length: 15 }, (_, i) => log.append(entry(i + 2)).then((r) => (resolved++, r)));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(resolved, 0, 'nothing resolves before its batch is stored');
    o.release();
    const records = await Promise.all([first, ...rest]);
    assert.deepEqual(
      records.map((r) => r.seq),
      Array.from({ length: 16 }, (_, i) => i + 2),
    );
    assert.equal(batchPuts(o.calls), 3, 'one write for entry 0, one for entry 1, one for the 15 that waited');
    assert.deepEqual(await log.verify(), { ok: true, count: 17 });
  });

  it('writes while a test fakes timers (the batch is not deferred on a timer the test controls)', async () => {
    const log = createAuditLog(createMemoryStorage(), new ManualClock());
    const timers = sinon.useFakeTimers();
    try {
      assert.equal((await log.append(entry(1))).seq, 1);
    } finally {
      timers.restore();
    }
  });

  it('lists from any sequence number, also from the middle of a batch, with a limit', async () => {
    const o = observed(createMemoryStorage());
    const log = createAuditLog(o.storage, new ManualClock());
    await Promise.all(Array.from({ length: 450 }, (_, i) => log.append(entry(i))));
    assert.ok(batchPuts(o.calls) < 10, 'written in a few large batches');
    assert.deepEqual(
      (await log.list({ afterSeq: 230, limit: 5 })).map((r) => r.seq),
      [231, 232, 233, 234, 235],
    );
    assert.equal((await log.list({ afterSeq: 440 })).length, 10);
    assert.equal((await log.list()).length, 450);
  });

  it('fails every entry of a batch that cannot be stored (fail closed) and carries on afterwards', async () => {
    const inner = createMemoryStorage();
    let failing = true;
    const storage: Storage = {
      ...inner,
      put: (key, value, condition) =>
        failing && key.startsWith('audit/log/')
          ? Promise.reject(new Error('disk gone'))
          : inner.put(key, value, condition),
    };
    const log = createAuditLog(storage, new ManualClock());
    const results = await Promise.allSettled([log.append(entry(1)), log.append(entry(2))]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    failing = false;
    assert.equal((await log.append(entry(3))).seq, 1);
    assert.deepEqual(await log.verify(), { ok: true, count: 1 });
  });

  it('detects an edited record inside a batch', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    await Promise.all([log.append(entry(1)), log.append(entry(2))]);
    const stored = await storage.get<AuditRecord[]>('audit/log/000000000001');
    assert.ok(stored && stored.value.length === 2);
    const [first, second] = stored.value;
    assert.ok(first && second);
    await storage.put('audit/log/000000000001', [first, { ...second, outcome: 'denied' }], { overwrite: true });
    assert.deepEqual(await log.verify(), { ok: false, brokenAtSeq: 2, reason: 'record altered' });
  });

  it('detects a deleted batch', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    for (let i = 1; i <= 3; i++) await log.append(entry(i));
    await storage.delete('audit/log/000000000002');
    assert.deepEqual(await log.verify(), { ok: false, brokenAtSeq: 2, reason: 'missing record' });
  });

  it('continues a trail written one record per key before batching', async () => {
    const storage = createMemoryStorage();
    const old = createAuditLog(storage, new ManualClock());
    const first = await old.append(entry(1));
    const [stored] = (await storage.get<AuditRecord[]>('audit/log/000000000001'))?.value ?? [];
    await storage.put('audit/log/000000000001', stored, { overwrite: true });
    const log = createAuditLog(storage, new ManualClock());
    assert.equal((await log.append(entry(2))).prevHash, first.hash);
    assert.deepEqual(await log.verify(), { ok: true, count: 2 });
  });

  it('keeps one unbroken chain when two instances append at once', async () => {
    const store = createMemoryStore();
    const one = createAuditLog(createMemoryStorage(store), new ManualClock());
    const two = createAuditLog(createMemoryStorage(store), new ManualClock());
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).append(entry(i))));
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 3 ? one : two).append(entry(i))));
    assert.deepEqual(await one.verify(), { ok: true, count: 80 });
    assert.equal(new Set((await one.list()).map((r) => r.id)).size, 80, 'no record lost or written twice');
  });

  it('keeps one unbroken chain with two SQLite connections on one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secbot-audit-'));
    const [a, b] = [createSqliteStorage(join(dir, 'db')), createSqliteStorage(join(dir, 'db'))];
    try {
      const one = createAuditLog(a, new ManualClock());
      const two = createAuditLog(b, new ManualClock());
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).append(entry(i))));
      assert.deepEqual(await two.verify(), { ok: true, count: 30 });
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to extend a chain whose next batch is unreadable', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    await log.append(entry(1));
    await storage.put('audit/log/000000000002', { garbage: true }, { ifAbsent: true });
    const other = createAuditLog(storage, new ManualClock());
    await assert.rejects(other.append(entry(2)), (err: unknown) => isCodedError(err, 'storage_unavailable'));
  });

  it('lists and verifies a trail of more than 100 stored batches (paged reads), from any point', async () => {
    const storage = createMemoryStorage();
    const log = createAuditLog(storage, new ManualClock());
    for (let i = 1; i <= 230; i++) await log.append(entry(i));
    assert.equal((await storage.list('audit/log/')).length, 230, 'one batch per sequential append');
    const all = await log.list();
    assert.deepEqual(
      all.map((r) => r.seq),
      Array.from({ length: 230 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      (await log.list({ afterSeq: 205 })).map((r) => r.seq),
      Array.from({ length: 25 }, (_, i) => i + 206),
    );
    assert.deepEqual(
      (await log.list({ afterSeq: 99, limit: 3 })).map((r) => r.seq),
      [100, 101, 102],
    );
    assert.deepEqual(
      (await log.list({ afterSeq: 200, limit: 2 })).map((r) => r.seq),
      [201, 202],
    );
    assert.deepEqual(await log.verify(), { ok: true, count: 230 });
    // A record edited in the third page is still found.
    const key = 'audit/log/000000000220';
    const stored = await storage.get<AuditRecord[]>(key);
    assert.ok(stored);
    await storage.put(key, [{ ...stored.value[0], outcome: 'denied' }], { ifVersion: stored.version });
    const check = await log.verify();
    assert.equal(check.ok, false);
    assert.equal(check.ok ? null : check.brokenAtSeq, 220);
  });

  it('refuses to extend a chain whose next batch goes backwards (a forged or misplaced batch): nothing is appended', async () => {
    const storage = createMemoryStorage();
    const first = createAuditLog(storage, new ManualClock());
    const one = await first.append(entry(1));
    await storage.put('audit/log/000000000002', [{ ...one, seq: 1 }], { ifAbsent: true });
    const other = createAuditLog(storage, new ManualClock());
    await assert.rejects(other.append(entry(2)), (err: unknown) => isCodedError(err, 'storage_unavailable'));
    assert.equal((await storage.list('audit/log/')).length, 2);
  });

  it('keeps a head hint every 64 records, so a new writer starts near the end instead of walking the whole trail', async () => {
    const o = observed(createMemoryStorage());
    const log = createAuditLog(o.storage, new ManualClock());
    for (let i = 1; i <= 130; i++) await log.append(entry(i));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await o.storage.get<{ seq: number }>('audit/head'))?.value.seq, 128);
    const before = batchPuts(o.calls);
    const fresh = createAuditLog(o.storage, new ManualClock());
    const record = await fresh.append(entry(131));
    assert.equal(record.seq, 131);
    assert.ok(batchPuts(o.calls) - before <= 3, `a short walk from the head (${batchPuts(o.calls) - before} tries)`);
    assert.deepEqual(await fresh.verify(), { ok: true, count: 131 });
  });
});
