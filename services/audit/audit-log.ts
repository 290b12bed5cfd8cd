import { canonicalJson } from '../canonical-json';
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import type { Storage } from '../storage/port';

/** One entry of the bot's own audit trail: who did what to whom, when, and how it ended. */
export interface AuditEntry {
  actor: { aadObjectId: string | null; name?: string | null };
  action: string;
  target?: string | null;
  outcome: string;
  correlationId: string;
  details?: Record<string, string | number | boolean | null>;
}

/** A stored audit record: the entry plus its position and the hash chain that makes edits detectable. */
export interface AuditRecord extends AuditEntry {
  id: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

const PREFIX = 'audit/log/';
const HEAD = 'audit/head';
const GENESIS = '0'.repeat(64);
const MAX_ATTEMPTS = 50;

function keyOf(seq: number): string {
  return `${PREFIX}${String(seq).padStart(12, '0')}`;
}

export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** The append-only audit trail. Records are written create-only and chained by hash. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditRecord>;
  list(options?: { afterSeq?: number; limit?: number }): Promise<AuditRecord[]>;
  verify(): Promise<{ ok: true; count: number } | { ok: false; brokenAtSeq: number; reason: string }>;
}

export function createAuditLog(storage: Storage, clock: Clock): AuditLog {
  async function readHead(): Promise<{ seq: number; hash: string }> {
    const head = await storage.get<{ seq: number; hash: string }>(HEAD);
    return head?.value ?? { seq: 0, hash: GENESIS };
  }

  return {
    async append(entry) {
      let { seq, hash } = await readHead();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const base: Omit<AuditRecord, 'hash'> = {
          ...entry,
          id: randomUUID(),
          seq: seq + 1,
          at: new Date(clock.now()).toISOString(),
          prevHash: hash,
        };
        const record: AuditRecord = { ...base, hash: hashAuditRecord(base) };
        // Create-only: a record, once written, is never overwritten; losing the race means another
        // writer took this sequence number, so chain onto its record and try the next one.
        const result = await storage.put(keyOf(record.seq), record, { ifAbsent: true });
        if (result.ok) {
          await advanceHead(record);
          return record;
        }
        const taken = await storage.get<AuditRecord>(keyOf(record.seq));
        if (!taken) continue;
        seq = taken.value.seq;
        hash = taken.value.hash;
      }
      throw new CodedError('storage_unavailable', 'audit log append kept conflicting');
    },

    async list(options = {}) {
      const after = options.afterSeq !== undefined ? keyOf(options.afterSeq) : undefined;
      const items = await storage.list<AuditRecord>(PREFIX, { after, limit: options.limit });
      return items.map((item) => item.value);
    },

    async verify() {
      let prev = GENESIS;
      let expectedSeq = 1;
      let after: string | undefined;
      for (;;) {
        const page = await storage.list<AuditRecord>(PREFIX, { after, limit: 500 });
        if (page.length === 0) return { ok: true, count: expectedSeq - 1 };
        for (const { value } of page) {
          const { hash, ...rest } = value;
          if (value.seq !== expectedSeq) return { ok: false, brokenAtSeq: expectedSeq, reason: 'missing record' };
          if (value.prevHash !== prev) return { ok: false, brokenAtSeq: value.seq, reason: 'chain broken' };
          if (hashAuditRecord(rest) !== hash) return { ok: false, brokenAtSeq: value.seq, reason: 'record altered' };
          prev = hash;
          expectedSeq++;
        }
        after = page[page.length - 1]?.key;
      }
    },
  };

  // The head is only a hint for where to start; the records themselves are the truth.
  async function advanceHead(record: AuditRecord): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await storage.get<{ seq: number; hash: string }>(HEAD);
      if (current && current.value.seq >= record.seq) return;
      const condition = current ? { ifVersion: current.version } : ({ ifAbsent: true } as const);
      const result = await storage.put(HEAD, { seq: record.seq, hash: record.hash }, condition);
      if (result.ok) return;
    }
  }
}
