import { CodedError } from '../errors';
import type { PutResult, Storage, StoredItem, WriteCondition } from './port';
import { assertKey, assertListOptions, decodeValue, encodeValue } from './stored-value';

/** The data behind memory storages; give two storages the same store to simulate two instances on one database. */
export interface MemoryStore {
  readonly items: Map<string, { json: string; version: string }>;
  lastVersion: number;
}

/** A fresh, empty store for createMemoryStorage. */
export function createMemoryStore(): MemoryStore {
  return { items: new Map(), lastVersion: 0 };
}

/** An in-process Storage with the same semantics as the SQLite adapter, for tests of other features. */
export function createMemoryStorage(store: MemoryStore = createMemoryStore()): Storage {
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new CodedError('storage_unavailable', 'memory storage is closed');
  };
  // A store-wide counter means a version is never handed out twice, even to a key deleted and created again.
  const nextVersion = (): string => `m${++store.lastVersion}`;
  const read = <T>(key: string): StoredItem<T> | undefined => {
    const row = store.items.get(key);
    return row && { key, value: decodeValue<T>(key, row.json), version: row.version };
  };

  return {
    get<T>(key: string): Promise<StoredItem<T> | undefined> {
      return run(() => {
        assertKey(key);
        return read<T>(key);
      });
    },

    put<T>(key: string, value: T, condition: WriteCondition): Promise<PutResult<T>> {
      return run(() => {
        assertKey(key);
        const json = encodeValue(key, value);
        const existing = store.items.get(key);
        const allowed =
          'overwrite' in condition
            ? true
            : 'ifAbsent' in condition
              ? existing === undefined
              : existing?.version === condition.ifVersion;
        if (!allowed) {
          const current = read<unknown>(key);
          return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'conflict' };
        }
        const version = nextVersion();
        store.items.set(key, { json, version });
        return { ok: true, item: { key, value: decodeValue<T>(key, json), version } };
      });
    },

    delete(key: string, condition?: { ifVersion: string }): Promise<boolean> {
      return run(() => {
        assertKey(key);
        const existing = store.items.get(key);
        if (!existing || (condition && existing.version !== condition.ifVersion)) return false;
        return store.items.delete(key);
      });
    },

    list<T>(prefix: string, options?: { limit?: number; after?: string }): Promise<StoredItem<T>[]> {
      return run(() => {
        assertListOptions(options);
        const after = options?.after;
        const keys = [...store.items.keys()]
          .filter((k) => k.startsWith(prefix) && (after === undefined || compareKeys(k, after) > 0))
          .sort(compareKeys)
          .slice(0, options?.limit);
        return keys.map((k) => read<T>(k)).filter((item): item is StoredItem<T> => item !== undefined);
      });
    },

    ping(): Promise<void> {
      return run(() => undefined);
    },

    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };

  function run<R>(op: () => R): Promise<R> {
    try {
      ensureOpen();
      return Promise.resolve(op());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

// SQLite orders TEXT keys by their UTF-8 bytes, which is code-point order; JS `<` compares UTF-16 units and
// disagrees for characters above U+FFFF, so both adapters sort by code point.
function compareKeys(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return (ca.done ? 0 : 1) - (cb.done ? 0 : 1);
    const diff = (ca.value.codePointAt(0) ?? 0) - (cb.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}
