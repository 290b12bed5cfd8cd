import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import {
  GENESIS,
  HEAD_KEY,
  LOG_PREFIX,
  MAX_BATCH,
  batchKey,
  checkRecords,
  hashAuditRecord,
  recordsOf,
  type AuditEntry,
  type AuditRecord,
  type ChainCheck,
  type ChainPosition,
} from './audit-chain';
import { createAuditIndex } from './audit-index';

export { hashAuditRecord, type AuditEntry, type AuditRecord, type ChainCheck } from './audit-chain';

/** The append-only audit trail. Records are written create-only and chained by hash. */
export interface AuditLog {
  /** Resolves once the record is durable (the audit-first rule: a command runs only after this). */
  append(entry: AuditEntry): Promise<AuditRecord>;
  list(options?: { afterSeq?: number; limit?: number }): Promise<AuditRecord[]>;
  /** Checks the whole chain from the first record (`audit verify`). */
  verify(): Promise<ChainCheck>;
  /** The last `limit` records about a target (any of its names), from the index; the chain checked incrementally. */
  forTarget(names: readonly string[], limit: number): Promise<{ records: AuditRecord[]; chain: ChainCheck }>;
}

export interface AuditLogOptions {
  logger?: Logger;
  /** A background index pass runs after this many new records or this long since the last (whichever first). */
  indexEveryRecords?: number;
  indexEveryMs?: number;
}

// Taken when the module loads: a test that fakes timers afterwards must not stall the log every command awaits.
const nextTurn = setImmediate;

// Conflicts move a writer forward by at least one batch each; this many in a row means something is wrong.
const MAX_CONFLICTS = 1_000;
// The head is a hint (where a writer without a tail starts walking), moved every this many records: a head that
// lags costs a new writer a short walk, while moving it after every batch would double the writes.
const HEAD_EVERY = 64;

interface Waiting {
  entry: AuditEntry;
  id: string;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

/**
 * Group commit: entries that arrive while a batch is being written wait, then go out together as the next batch,
 * one storage write for all of them. Each caller still resolves only once its own batch is durable. Several
 * processes can append to one store: a batch is created only at the key right after the last record, so a writer
 * that lost the race reads the winner's batch, chains onto it and tries the next key.
 */
export function createAuditLog(storage: Storage, clock: Clock, options: AuditLogOptions = {}): AuditLog {
  const index = createAuditIndex(storage);
  const indexEveryRecords = options.indexEveryRecords ?? 500;
  const indexEveryMs = options.indexEveryMs ?? 5_000;
  let tail: ChainPosition | null = null;
  let queue: Waiting[] = [];
  let flushing = false;
  let sinceHead = 0;
  let headMoving = false;
  let sinceIndex = 0;
  let lastIndexAt = clock.now();

  function build(entries: readonly Waiting[], from: ChainPosition): AuditRecord[] {
    const at = new Date(clock.now()).toISOString();
    let prev = from;
    return entries.map(({ entry, id }) => {
      const base: Omit<AuditRecord, 'hash'> = { ...entry, id, seq: prev.seq + 1, at, prevHash: prev.hash };
      const record = { ...base, hash: hashAuditRecord(base) };
      prev = record;
      return record;
    });
  }

  async function writeBatch(entries: readonly Waiting[]): Promise<AuditRecord[]> {
    let from = tail ?? (await storage.get<ChainPosition>(HEAD_KEY))?.value ?? GENESIS;
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const records = build(entries, from);
      const key = batchKey(from.seq + 1);
      const result = await storage.put(key, records, { ifAbsent: true });
      if (result.ok) return records;
      const taken = result.current ?? (await storage.get<unknown>(key));
      if (!taken) continue;
      const last = recordsOf(key, taken.value).at(-1);
      if (!last || last.seq <= from.seq)
        throw new CodedError('storage_unavailable', 'audit batch out of order', { key });
      from = { seq: last.seq, hash: last.hash };
    }
    throw new CodedError('storage_unavailable', 'audit log append kept conflicting');
  }

  async function moveHead(to: ChainPosition): Promise<void> {
    const current = await storage.get<ChainPosition>(HEAD_KEY);
    if (current && current.value.seq >= to.seq) return;
    await storage.put(HEAD_KEY, to, current ? { ifVersion: current.version } : { ifAbsent: true });
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      let records: AuditRecord[];
      try {
        records = await writeBatch(batch);
      } catch (error) {
        // Fail closed: nobody in this batch runs. The next batch starts from the head again.
        tail = null;
        for (const waiting of batch) waiting.reject(error);
        continue;
      }
      batch.forEach((waiting, i) => waiting.resolve(records[i] as AuditRecord));
      tail = records.at(-1) ?? tail;
      sinceHead += records.length;
      sinceIndex += records.length;
      if (tail && !headMoving && sinceHead >= HEAD_EVERY) {
        sinceHead = 0;
        headMoving = true;
        // Off the append path. A lost head move costs the next writer a longer walk, nothing else.
        moveHead(tail)
          .catch((error: unknown) => options.logger?.warn({ err: error }, 'audit head not moved'))
          .finally(() => (headMoving = false));
      }
      if (sinceIndex >= indexEveryRecords || clock.now() - lastIndexAt >= indexEveryMs) {
        sinceIndex = 0;
        lastIndexAt = clock.now();
        index
          .catchUp(tail?.seq ?? 0)
          .catch((error: unknown) =>
            options.logger?.warn({ err: error }, 'audit index pass failed; the next pass or `audit` catches up'),
          );
      }
    }
    flushing = false;
  }

  return {
    append(entry) {
      return new Promise<AuditRecord>((resolve, reject) => {
        queue.push({ entry, id: randomUUID(), resolve, reject });
        if (flushing) return;
        flushing = true;
        // Deferred a turn of the event loop, so entries arriving together (also while SQLite blocks) share a write.
        nextTurn(() => void flush());
      });
    },

    async list(options = {}) {
      const afterSeq = options.afterSeq ?? 0;
      const limit = options.limit ?? Infinity;
      const out: AuditRecord[] = [];
      // The batch holding afterSeq + 1 starts at most MAX_BATCH - 1 records before it.
      let after = afterSeq >= MAX_BATCH ? batchKey(afterSeq - MAX_BATCH + 1) : undefined;
      while (out.length < limit) {
        const page = await storage.list<unknown>(LOG_PREFIX, { limit: 100, ...(after !== undefined && { after }) });
        for (const item of page)
          for (const record of recordsOf(item.key, item.value))
            if (record.seq > afterSeq && out.length < limit) out.push(record);
        if (page.length < 100) break;
        after = page.at(-1)?.key;
      }
      return out;
    },

    async verify() {
      let position = GENESIS;
      let after: string | undefined;
      for (;;) {
        const page = await storage.list<unknown>(LOG_PREFIX, { limit: 100, ...(after !== undefined && { after }) });
        for (const item of page) {
          const checked = checkRecords(recordsOf(item.key, item.value), position);
          if (checked.broken) return { ok: false, brokenAtSeq: checked.broken.seq, reason: checked.broken.reason };
          position = checked.end;
        }
        if (page.length < 100) return { ok: true, count: position.seq };
        after = page.at(-1)?.key;
      }
    },

    async forTarget(names, limit) {
      const checkpoint = await index.catchUp(tail?.seq ?? 0);
      const found = await index.records(names, limit);
      // The records shown are re-hashed too: an edit after the checkpoint passed them is still caught here.
      const altered = found.records.find(({ hash, ...rest }) => hashAuditRecord(rest) !== hash);
      const chain: ChainCheck = checkpoint.broken
        ? { ok: false, brokenAtSeq: checkpoint.broken.seq, reason: checkpoint.broken.reason }
        : altered
          ? { ok: false, brokenAtSeq: altered.seq, reason: 'record altered' }
          : found.missingSeq !== null
            ? { ok: false, brokenAtSeq: found.missingSeq, reason: 'missing record' }
            : { ok: true, count: checkpoint.seq };
      return { records: found.records, chain };
    },
  };
}
