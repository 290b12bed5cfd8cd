import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import { CodedError } from '../errors';

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

/** The result of checking the chain: intact over `count` records, or the first record where it breaks. */
export type ChainCheck = { ok: true; count: number } | { ok: false; brokenAtSeq: number; reason: string };

/** Where the chain ends (or a check stopped): the last record's sequence number and hash. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

export const LOG_PREFIX = 'audit/log/';
export const HEAD_KEY = 'audit/head';
export const GENESIS: ChainPosition = { seq: 0, hash: '0'.repeat(64) };
/** Most records in one stored batch; a reader looking for seq s starts at most this far before it. */
export const MAX_BATCH = 200;

/**
 * The key of the batch whose first record is `seq`. Records are stored in batches (one group commit each, one
 * record in older stores), create-only, keyed by their first sequence number: the next batch can only be written
 * at the key right after the last record, so two writers can never both extend the chain from the same point.
 */
export function batchKey(seq: number): string {
  return `${LOG_PREFIX}${String(seq).padStart(12, '0')}`;
}

export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** The records of a stored batch (an array; a single record in stores written before batching). */
export function recordsOf(key: string, value: unknown): AuditRecord[] {
  const records = Array.isArray(value) ? (value as unknown[]) : [value];
  const valid = records.every(
    (r) =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as AuditRecord).seq === 'number' &&
      typeof (r as AuditRecord).hash === 'string',
  );
  // Unreadable audit data is damage nobody can fix by retrying; appends stop (fail closed) and the check reports it.
  if (!valid || records.length === 0) throw new CodedError('storage_unavailable', 'audit batch is unreadable', { key });
  return records as AuditRecord[];
}

/**
 * Checks records that follow `from` in order: consecutive numbers, each linked to the previous hash, each hash
 * matching its content. Returns the first break, if any, and where the stored records end (a check goes on past a
 * break, so that later records are still read and indexed while the break stays reported).
 */
export function checkRecords(
  records: readonly AuditRecord[],
  from: ChainPosition,
): { end: ChainPosition; broken: { seq: number; reason: string } | null } {
  let prev = from;
  let broken: { seq: number; reason: string } | null = null;
  for (const record of records) {
    const { hash, ...rest } = record;
    broken ??=
      record.seq !== prev.seq + 1
        ? { seq: prev.seq + 1, reason: 'missing record' }
        : record.prevHash !== prev.hash
          ? { seq: record.seq, reason: 'chain broken' }
          : hashAuditRecord(rest) !== hash
            ? { seq: record.seq, reason: 'record altered' }
            : null;
    prev = { seq: record.seq, hash };
  }
  return { end: prev, broken };
}
