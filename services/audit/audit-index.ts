import { createHash } from 'node:crypto';
import type { Storage, StoredItem } from '../storage/port';
import {
  GENESIS,
  HEAD_KEY,
  LOG_PREFIX,
  batchKey,
  checkRecords,
  recordsOf,
  type AuditRecord,
  type ChainPosition,
} from './audit-chain';

/** How far the chain has been checked and indexed, and the first break ever found (it stays reported). */
export interface Checkpoint extends ChainPosition {
  broken: { seq: number; reason: string } | null;
}

/** Index entries: [record seq, seq of the batch that holds it]. */
type Entries = [number, number][];

const CHECKPOINT_KEY = 'audit/checkpoint';
const TARGET_PREFIX = 'audit/target/';
// Batches checked per step; the checkpoint is saved after each step, so a long catch-up keeps its progress.
const STEP_BATCHES = 200;

// Targets are hashed into the key: any string (a UPN, an id, "pasted email (…)") makes a short, safe key.
function targetPrefix(name: string): string {
  return `${TARGET_PREFIX}${createHash('sha256').update(name.trim().toLowerCase()).digest('hex').slice(0, 32)}/`;
}

const pad = (n: number): string => String(n).padStart(12, '0');

/**
 * The audit trail's index by target and its incremental check. A pass reads the batches after the checkpoint (by
 * key, no listing), checks them against the checkpoint's hash, writes one index entry per target it saw, then moves
 * the checkpoint. Entries are keyed by the range the pass covered, so two instances running passes at once only
 * write overlapping entries (read back as one), never lose one.
 */
export function createAuditIndex(storage: Storage) {
  let last: Promise<unknown> = Promise.resolve();
  let waiting: Promise<Checkpoint> | null = null;
  let latestKnownEnd = 0;

  async function nextBatch(after: number, head: ChainPosition): Promise<StoredItem<unknown> | undefined> {
    const next = await storage.get<unknown>(batchKey(after + 1));
    if (next || head.seq <= after) return next;
    // The head says records exist past here, so a batch is missing: skip to the next one (the break is reported).
    return (await storage.list<unknown>(LOG_PREFIX, { after: batchKey(after), limit: 1 }))[0];
  }

  async function saveCheckpoint(stored: StoredItem<Checkpoint> | undefined, cp: Checkpoint) {
    let current = stored;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (current && current.value.seq >= cp.seq) return current;
      const result = await storage.put(
        CHECKPOINT_KEY,
        cp,
        current ? { ifVersion: current.version } : { ifAbsent: true },
      );
      if (result.ok) return result.item;
      current = await storage.get<Checkpoint>(CHECKPOINT_KEY);
    }
    return current;
  }

  async function pass(): Promise<Checkpoint> {
    // Read before walking: a head is written after its batch, so every record up to it exists by now; so does every
    // record this process wrote itself (knownEnd). A record missing below either is a gap, not the end.
    const headRecord = (await storage.get<ChainPosition>(HEAD_KEY))?.value ?? GENESIS;
    const head = headRecord.seq >= latestKnownEnd ? headRecord : { ...headRecord, seq: latestKnownEnd };
    let stored = await storage.get<Checkpoint>(CHECKPOINT_KEY);
    let cp: Checkpoint = stored?.value ?? { ...GENESIS, broken: null };
    for (;;) {
      const from = cp.seq;
      const entries = new Map<string, Entries>();
      let batch = await nextBatch(cp.seq, head);
      for (let n = 0; batch && n < STEP_BATCHES; n++) {
        const records = recordsOf(batch.key, batch.value);
        const checked = checkRecords(records, cp);
        cp = { ...checked.end, broken: cp.broken ?? checked.broken };
        const batchSeq = records[0]?.seq ?? 0;
        for (const record of records) {
          if (!record.target) continue;
          const prefix = targetPrefix(record.target);
          entries.set(prefix, [...(entries.get(prefix) ?? []), [record.seq, batchSeq]]);
        }
        batch = await nextBatch(cp.seq, head);
      }
      if (cp.seq === from) return cp;
      for (const [prefix, list] of entries)
        await storage.put(`${prefix}${pad(from + 1)}-${pad(cp.seq)}`, list, { overwrite: true });
      // Entries first, then the checkpoint: a crash in between only makes the next pass write them again.
      stored = await saveCheckpoint(stored, cp);
      if (stored && stored.value.seq > cp.seq) cp = stored.value;
      if (!batch) return cp;
    }
  }

  return {
    /**
     * Checks and indexes every record written before the call; `knownEnd` is the last record this process wrote.
     * Concurrent callers share a pass not yet started.
     */
    catchUp(knownEnd = 0): Promise<Checkpoint> {
      latestKnownEnd = Math.max(latestKnownEnd, knownEnd);
      if (waiting) return waiting;
      const next = last
        .catch(() => undefined)
        .then(() => {
          waiting = null;
          return pass();
        });
      waiting = next;
      last = next;
      return next;
    },

    /**
     * The last `limit` records whose target is one of `names` (case-insensitive), oldest first, and the first
     * indexed record that is no longer where the index says (deleted after it was checked), if any.
     */
    async records(
      names: readonly string[],
      limit: number,
    ): Promise<{ records: AuditRecord[]; missingSeq: number | null }> {
      const wanted = new Set(names.map((n) => n.trim().toLowerCase()));
      const where = new Map<number, number>();
      for (const name of wanted)
        for (const item of await storage.list<Entries>(targetPrefix(name)))
          for (const [seq, batchSeq] of item.value) where.set(seq, batchSeq);
      const chosen = [...where.entries()].sort(([a], [b]) => a - b).slice(-limit);
      const batches = new Map<number, AuditRecord[]>();
      for (const batchSeq of new Set(chosen.map(([, b]) => b))) {
        const item = await storage.get<unknown>(batchKey(batchSeq));
        if (item) batches.set(batchSeq, recordsOf(item.key, item.value));
      }
      const records: AuditRecord[] = [];
      let missingSeq: number | null = null;
      for (const [seq, batchSeq] of chosen) {
        const record = batches.get(batchSeq)?.find((r) => r.seq === seq);
        if (record && wanted.has((record.target ?? '').trim().toLowerCase())) records.push(record);
        else missingSeq ??= seq;
      }
      return { records, missingSeq };
    },
  };
}

export type AuditIndex = ReturnType<typeof createAuditIndex>;
