import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { CodedError, isCodedError } from '../errors';
import { prefixRange } from './key-range';
import type { ListOptions, PutResult, Storage, StoredItem, WriteCondition } from './port';
import { assertKey, assertListOptions, decodeValue, encodeValue } from './stored-value';

// Taken when the module loads: a test that fakes timers afterwards must not hold back the writes its code awaits.
const nextTurn = setImmediate;

// How long a write waits for another connection's lock before the store counts as unavailable.
const BUSY_TIMEOUT_MS = 5000;

interface Row {
  key: string;
  value: string;
  version: string;
}

interface QueuedWrite {
  op: string;
  key: string;
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Storage on one SQLite file (or ':memory:'), safe for several connections and processes on the same file.
 * Writes are group-committed: those issued in the same turn of the event loop (the audit batch, a re-delivery claim,
 * an outbox entry) run in one transaction, so they share one fsync; each resolves once that transaction committed.
 */
export function createSqliteStorage(path: string): Storage {
  const db = openDatabase(path);
  let closed = false;

  const selectOne = db.prepare('SELECT key, value, version FROM items WHERE key = ?');
  const insertIfAbsent = db.prepare(
    'INSERT INTO items (key, value, version) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  // The version check is in the WHERE clause, so check-and-write is one atomic statement at the database.
  const updateIfVersion = db.prepare('UPDATE items SET value = ?, version = ? WHERE key = ? AND version = ?');
  const upsert = db.prepare(
    'INSERT INTO items (key, value, version) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version',
  );
  const deleteAny = db.prepare('DELETE FROM items WHERE key = ?');
  const deleteIfVersion = db.prepare('DELETE FROM items WHERE key = ? AND version = ?');
  const probe = db.prepare('SELECT 1 FROM items LIMIT 1');
  const listStatements = new Map<string, Database.Statement>();

  const guard = <R>(op: string, key: string | undefined, body: () => R): Promise<R> => {
    try {
      if (closed) throw new CodedError('storage_unavailable', 'SQLite storage is closed', { op });
      return Promise.resolve(body());
    } catch (err) {
      return Promise.reject(toStorageError(op, key, err));
    }
  };

  let queued: QueuedWrite[] = [];

  const commitQueued = (): void => {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    if (closed) {
      for (const w of batch) w.reject(new CodedError('storage_unavailable', 'SQLite storage is closed', { op: w.op }));
      return;
    }
    const results: ({ ok: true; value: unknown } | { ok: false; error: Error })[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const w of batch) {
        try {
          results.push({ ok: true, value: w.run() });
        } catch (error) {
          // A failed statement is undone alone; some errors (disk full, I/O) end the whole transaction, and the
          // writes after it must not then run one by one outside it.
          if (!db.inTransaction) throw error;
          results.push({ ok: false, error: toStorageError(w.op, w.key, error) });
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      // Nothing of this transaction is durable: every write in it fails, as each would have alone.
      const rollback = rollbackError(db);
      for (const w of batch) w.reject(toStorageError(w.op, w.key, rollback ?? error));
      return;
    }
    batch.forEach((w, i) => {
      const result = results[i];
      if (result?.ok) w.resolve(result.value);
      else w.reject(result?.error ?? new Error('write result missing'));
    });
  };

  // Checks run at once (a bad key or value fails alone); the statement runs in the next group commit.
  const write = <R>(op: string, key: string, check: () => void, run: () => R): Promise<R> => {
    try {
      if (closed) throw new CodedError('storage_unavailable', 'SQLite storage is closed', { op });
      check();
    } catch (err) {
      return Promise.reject(toStorageError(op, key, err));
    }
    return new Promise<R>((resolve, reject) => {
      queued.push({ op, key, run, resolve: resolve as (value: unknown) => void, reject });
      if (queued.length === 1) nextTurn(commitQueued);
    });
  };

  const toItem = <T>(row: Row): StoredItem<T> => ({
    key: row.key,
    value: decodeValue<T>(row.key, row.value),
    version: row.version,
  });

  const read = <T>(key: string): StoredItem<T> | undefined => {
    const row = selectOne.get(key) as Row | undefined;
    return row && toItem<T>(row);
  };

  const listStatement = (hasUpper: boolean, hasAfter: boolean): Database.Statement => {
    const sql =
      'SELECT key, value, version FROM items WHERE key >= ?' +
      (hasUpper ? ' AND key < ?' : '') +
      (hasAfter ? ' AND key > ?' : '') +
      ' ORDER BY key LIMIT ?';
    let statement = listStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      listStatements.set(sql, statement);
    }
    return statement;
  };

  return {
    get<T>(key: string): Promise<StoredItem<T> | undefined> {
      return guard('get', key, () => {
        assertKey(key);
        return read<T>(key);
      });
    },

    put<T>(key: string, value: T, condition: WriteCondition): Promise<PutResult<T>> {
      let json = '';
      return write(
        'put',
        key,
        () => {
          assertKey(key);
          json = encodeValue(key, value);
        },
        (): PutResult<T> => {
          // Random versions cannot repeat after a delete and re-create, so a stale version never matches again.
          const version = randomUUID();
          const { changes } =
            'overwrite' in condition
              ? upsert.run(key, json, version)
              : 'ifAbsent' in condition
                ? insertIfAbsent.run(key, json, version)
                : updateIfVersion.run(json, version, key, condition.ifVersion);
          if (changes === 1) return { ok: true, item: { key, value: decodeValue<T>(key, json), version } };
          const current = read<unknown>(key);
          return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'conflict' };
        },
      );
    },

    delete(key: string, condition?: { ifVersion: string }): Promise<boolean> {
      return write(
        'delete',
        key,
        () => assertKey(key),
        () => (condition ? deleteIfVersion.run(key, condition.ifVersion) : deleteAny.run(key)).changes > 0,
      );
    },

    list<T>(prefix: string, options?: ListOptions): Promise<StoredItem<T>[]> {
      return guard('list', undefined, () => {
        assertListOptions(options);
        const { lower, upper } = prefixRange(prefix);
        const after = options?.after;
        const params: (string | number)[] = [lower];
        if (upper !== undefined) params.push(upper);
        if (after !== undefined) params.push(after);
        // SQLite reads a negative LIMIT as "no limit".
        params.push(options?.limit ?? -1);
        const rows = listStatement(upper !== undefined, after !== undefined).all(...params) as Row[];
        return rows.map((row) => toItem<T>(row));
      });
    },

    ping(): Promise<void> {
      return guard('ping', undefined, () => {
        probe.get();
      });
    },

    close(): Promise<void> {
      if (closed) return Promise.resolve();
      // Writes already accepted are committed before the connection goes.
      commitQueued();
      closed = true;
      try {
        db.close();
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(toStorageError('close', undefined, err));
      }
    },
  };
}

// Two processes opening a new file at once: SQLite may answer SQLITE_BUSY to the switch to WAL without calling the
// busy handler, so opening is retried (synchronously: the store is opened once, at start) for up to BUSY_TIMEOUT_MS.
const OPEN_RETRY_MS = 50;

function openDatabase(path: string): Database.Database {
  for (let waited = 0; ; waited += OPEN_RETRY_MS) {
    try {
      return openDatabaseOnce(path);
    } catch (err) {
      const code = err instanceof CodedError ? (err.details as { sqliteCode?: string }).sqliteCode : undefined;
      if (!code?.startsWith('SQLITE_BUSY') || waited >= BUSY_TIMEOUT_MS) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, OPEN_RETRY_MS);
    }
  }
}

function openDatabaseOnce(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // busy_timeout comes first so that switching to WAL and creating the table wait for a concurrent opener.
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers proceed during a write; synchronous stays FULL because approvals must survive power loss.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, version TEXT NOT NULL) ' +
        'WITHOUT ROWID',
    );
    return db;
  } catch (err) {
    if (db?.open) db.close();
    throw new CodedError(
      'storage_unavailable',
      'cannot open the SQLite store: check that the directory exists or can be created and is writable',
      { op: 'open', path, sqliteCode: sqliteCode(err) },
      { cause: err },
    );
  }
}

/** Ends a failed transaction; returns the error if even that failed (the connection is then unusable). */
function rollbackError(db: Database.Database): unknown {
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
    return undefined;
  } catch (error) {
    return error;
  }
}

function toStorageError(op: string, key: string | undefined, err: unknown): Error {
  if (isCodedError(err)) return err;
  const code = sqliteCode(err);
  // The SQLite message can quote SQL but never values; only the code goes into ours, the rest stays in cause.
  return new CodedError(
    'storage_unavailable',
    `SQLite ${op} failed${code ? ` (${code})` : ''}`,
    { op, ...(key !== undefined && { key }), ...(code && { sqliteCode: code }) },
    { cause: err },
  );
}

function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
