/** One stored value with the opaque version that a conditional write or delete must present. */
export interface StoredItem<T> {
  key: string;
  value: T;
  version: string;
}

/** How a put treats an existing item: create only, replace only the version read, or replace whatever is there. */
export type WriteCondition = { ifAbsent: true } | { ifVersion: string } | { overwrite: true };

/** A put either wins and returns the new version, or loses a race and says so; losing is not an error. */
export type PutResult<T> =
  { ok: true; item: StoredItem<T> } | { ok: false; reason: 'conflict'; current?: StoredItem<unknown> };

/** Options for list: at most `limit` items whose key sorts strictly after `after`. */
export interface ListOptions {
  limit?: number;
  after?: string;
}

/**
 * The key-value port for approvals, alerts, audit trail, sweeps and caches. Values are JSON; versions change on
 * every write and never repeat for a key, so a version read before a delete can never match again.
 * Infrastructure failures throw CodedError('storage_unavailable'); conflicts are returned, never thrown.
 */
export interface Storage {
  get<T>(key: string): Promise<StoredItem<T> | undefined>;
  put<T>(key: string, value: T, condition: WriteCondition): Promise<PutResult<T>>;
  delete(key: string, condition?: { ifVersion: string }): Promise<boolean>;
  list<T>(prefix: string, options?: ListOptions): Promise<StoredItem<T>[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
