import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'libsql';
import sinon from 'sinon';
import { isCodedError } from '../../../../services/errors';
import { createSqliteStorage } from '../../../../services/storage/sqlite-storage';
import { runStorageContract } from './storage-contract';
import type { WorkerReport, WorkerTask } from './sqlite-worker';

const tempDirs: string[] = [];
const workerEntry = join(__dirname, 'sqlite-worker.ts');

// Worker threads give each connection its own thread, so SQLite locking is exercised for real.
function startWorker(task: WorkerTask): { locked: Promise<void>; done: Promise<WorkerReport> } {
  const worker = new Worker(
    `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(workerEntry)});`,
    {
      eval: true,
      workerData: task,
    },
  );
  let onLocked: () => void = () => undefined;
  const locked = new Promise<void>((resolve) => (onLocked = resolve));
  const done = new Promise<WorkerReport>((resolve, reject) => {
    worker.on('message', (message: 'locked' | WorkerReport) => {
      if (message === 'locked') onLocked();
      else resolve(message);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
  });
  return { locked, done };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secbot-storage-'));
  tempDirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

runStorageContract('sqlite file', () => {
  const file = join(tempDir(), 'store.db');
  return Promise.resolve({
    storage: createSqliteStorage(file),
    second: () => createSqliteStorage(file),
    cleanup: () => Promise.resolve(),
  });
});

runStorageContract('sqlite :memory:', () =>
  Promise.resolve({ storage: createSqliteStorage(':memory:'), cleanup: () => Promise.resolve() }),
);

describe('createSqliteStorage', () => {
  it('keeps data and versions across close and reopen of the same file', async () => {
    const file = join(tempDir(), 'persist.db');
    const first = createSqliteStorage(file);
    const put = await first.put('approvals/1', { state: 'pending' }, { ifAbsent: true });
    assert.ok(put.ok);
    await first.close();

    const reopened = createSqliteStorage(file);
    try {
      assert.deepEqual(await reopened.get('approvals/1'), put.item);
      const next = await reopened.put('approvals/1', { state: 'approved' }, { ifVersion: put.item.version });
      assert.ok(next.ok);
    } finally {
      await reopened.close();
    }
  });

  it('puts the file in WAL mode', async () => {
    const file = join(tempDir(), 'wal.db');
    const storage = createSqliteStorage(file);
    await storage.close();
    const raw = new Database(file);
    try {
      const row = raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
      assert.equal(row.journal_mode, 'wal');
    } finally {
      raw.close();
    }
  });

  it('creates missing parent directories', async () => {
    const file = join(tempDir(), 'nested', 'deeper', 'store.db');
    const storage = createSqliteStorage(file);
    try {
      await storage.ping();
      assert.ok(existsSync(file));
    } finally {
      await storage.close();
    }
  });

  it('throws storage_unavailable naming the path when the file cannot be opened', () => {
    const blocker = join(tempDir(), 'not-a-dir');
    const db = new Database(blocker);
    db.close();
    assert.throws(
      () => createSqliteStorage(join(blocker, 'store.db')),
      (err: unknown) => isCodedError(err, 'storage_unavailable') && err.details.path === join(blocker, 'store.db'),
    );
  });

  it('waits for a lock another thread holds instead of failing with SQLITE_BUSY', async () => {
    const file = join(tempDir(), 'busy.db');
    const storage = createSqliteStorage(file);
    try {
      const worker = startWorker({ kind: 'hold-lock', file, holdMs: 300 });
      await worker.locked;
      const started = Date.now();
      const result = await storage.put('k', 1, { overwrite: true });
      assert.ok(result.ok);
      assert.ok(Date.now() - started >= 150, 'the write did not wait for the lock');
      await worker.done;
    } finally {
      await storage.close();
    }
  });

  it('loses no update when four threads increment one key through their own connections', async () => {
    const file = join(tempDir(), 'race.db');
    const storage = createSqliteStorage(file);
    try {
      await storage.put('counter', { n: 0 }, { ifAbsent: true });
      const times = 50;
      const reports = await Promise.all(
        Array.from({ length: 4 }, () => startWorker({ kind: 'increment', file, key: 'counter', times }).done),
      );
      assert.deepEqual((await storage.get('counter'))?.value, { n: 4 * times });
      assert.equal(
        reports.reduce((sum, r) => sum + r.wins, 0),
        4 * times,
      );
    } finally {
      await storage.close();
    }
  });

  it('commits writes issued together in one transaction (one fsync), and writes issued one by one each alone', async () => {
    const file = join(tempDir(), 'group.db');
    const storage = createSqliteStorage(file);
    // WAL frames written so far: every commit appends the pages it changed, so N commits add at least N frames.
    const frames = (): number => Math.max(0, (statSync(`${file}-wal`).size - 32) / (4096 + 24));
    try {
      await storage.put('warm', 0, { overwrite: true });
      const start = frames();
      const together = await Promise.all(
        Array.from({ length: 50 }, (_, i) => storage.put(`together/${i}`, { i }, { ifAbsent: true })),
      );
      assert.ok(together.every((r) => r.ok));
      const afterTogether = frames();
      assert.ok(afterTogether - start <= 3, `${afterTogether - start} frames for 50 writes issued together`);
      for (let i = 0; i < 50; i++) await storage.put(`alone/${i}`, { i }, { ifAbsent: true });
      assert.ok(frames() - afterTogether >= 50, `${frames() - afterTogether} frames for 50 writes one by one`);
      // Conditions still apply one after the other inside a transaction.
      const race = await Promise.all([0, 1, 2].map((n) => storage.put('race', n, { ifAbsent: true })));
      assert.equal(race.filter((r) => r.ok).length, 1);
    } finally {
      await storage.close();
    }
  });

  it('fails only the write whose statement fails, not the others of its transaction', async () => {
    const file = join(tempDir(), 'abort.db');
    const storage = createSqliteStorage(file);
    const raw = new Database(file);
    try {
      // RAISE(ABORT) undoes the one statement, as a constraint failure would.
      raw.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'no'); END",
      );
      const results = await Promise.allSettled(['a', 'bad', 'c'].map((k) => storage.put(k, 1, { ifAbsent: true })));
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(
        (await storage.list('')).map((item) => item.key),
        ['a', 'c'],
      );
    } finally {
      raw.close();
      await storage.close();
    }
  });

  it('fails every write of a transaction that a statement ended, and runs none of the later ones outside it', async () => {
    const file = join(tempDir(), 'rollback.db');
    const storage = createSqliteStorage(file);
    const raw = new Database(file);
    try {
      // RAISE(ROLLBACK) ends the whole transaction, as a full disk or an I/O error does.
      raw.exec(
        "CREATE TRIGGER doom BEFORE INSERT ON items WHEN NEW.key = 'doomed' BEGIN SELECT RAISE(ROLLBACK, 'no'); END",
      );
      const results = await Promise.allSettled(
        ['before', 'doomed', 'after'].map((k) => storage.put(k, 1, { ifAbsent: true })),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.deepEqual(await storage.list(''), []);
      assert.ok((await storage.put('later', 1, { ifAbsent: true })).ok);
    } finally {
      raw.close();
      await storage.close();
    }
  });

  it('commits while a test fakes timers (the commit is not scheduled on a timer the test controls)', async () => {
    const storage = createSqliteStorage(':memory:');
    const timers = sinon.useFakeTimers();
    try {
      assert.ok((await storage.put('k', 1, { ifAbsent: true })).ok);
    } finally {
      timers.restore();
      await storage.close();
    }
  });

  it('commits writes already accepted when it is closed', async () => {
    const file = join(tempDir(), 'close.db');
    const storage = createSqliteStorage(file);
    const pending = storage.put('k', 'kept', { ifAbsent: true });
    await storage.close();
    assert.ok((await pending).ok);
    const reopened = createSqliteStorage(file);
    try {
      assert.equal((await reopened.get('k'))?.value, 'kept');
    } finally {
      await reopened.close();
    }
  });

  it('reports a damaged value as storage_unavailable without quoting it', async () => {
    const file = join(tempDir(), 'damaged.db');
    const storage = createSqliteStorage(file);
    const raw = new Database(file);
    try {
      raw.prepare("INSERT INTO items (key, value, version) VALUES ('k', ?, 'v1')").run('{secret-not-json');
      await assert.rejects(
        storage.get('k'),
        (err: unknown) => isCodedError(err, 'storage_unavailable') && !err.message.includes('secret'),
      );
    } finally {
      raw.close();
      await storage.close();
    }
  });
});
