import { readJobRecord, readResultChunks, jobKeys, type ResultChunk } from '../jobs/store';
import type { Storage } from '../storage/port';
import type { ResultRow, SweepCounters, SweepJob, SweepScope } from './sweep-types';

/** Storage layout of sweeps (services/jobs/store.ts): results in chunks (one row per user), keyed by page then chunk. */
export const SWEEP_KEYS = jobKeys('sweep', 'result');
export const SWEEP_ACTIVE_KEY = SWEEP_KEYS.active;
export const jobKey = SWEEP_KEYS.job;
export const chunkKey = SWEEP_KEYS.chunk;

// Distinct domains kept for the "top external domains" list; beyond it, new domains are not tracked.
const MAX_DOMAINS = 5_000;

export function emptyCounters(): SweepCounters {
  return {
    done: 0,
    mailboxes: 0,
    noMailbox: 0,
    errors: 0,
    flaggedMailboxes: 0,
    findingsBySeverity: { high: 0, medium: 0, low: 0 },
    domains: new Map(),
  };
}

/** Adds one mailbox's result to the running totals. */
export function count(counters: SweepCounters, row: ResultRow): void {
  counters.done += 1;
  if (row.status === 'ok') counters.mailboxes += 1;
  if (row.status === 'no-mailbox') counters.noMailbox += 1;
  if (row.status === 'error') counters.errors += 1;
  const findings = row.findings ?? [];
  if (findings.length > 0) counters.flaggedMailboxes += 1;
  for (const f of findings) {
    if (f.severity !== 'none') counters.findingsBySeverity[f.severity] += 1;
    for (const d of f.domains) {
      const n = counters.domains.get(d);
      if (n !== undefined) counters.domains.set(d, n + 1);
      else if (counters.domains.size < MAX_DOMAINS) counters.domains.set(d, 1);
    }
  }
}

export function totalFindings(c: SweepCounters): number {
  return c.findingsBySeverity.high + c.findingsBySeverity.medium + c.findingsBySeverity.low;
}

/** A sweep's stored results in key order (page, then chunk). */
export function readChunks(
  storage: Storage,
  jobId: string,
): AsyncGenerator<{ key: string; chunk: ResultChunk<ResultRow> }, void, undefined> {
  return readResultChunks<ResultRow>(storage, SWEEP_KEYS, jobId);
}

export function readJob(storage: Storage, jobId: string): Promise<SweepJob | undefined> {
  return readJobRecord<SweepScope>(storage, SWEEP_KEYS, jobId);
}

/** Top external domains by findings. */
export function topDomains(c: SweepCounters, n = 5): { domain: string; findings: number }[] {
  return [...c.domains.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([domain, findings]) => ({ domain, findings }));
}
