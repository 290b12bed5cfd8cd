import type { Storage } from '../storage/port';
import type { ResultRow, SweepCounters, SweepJob } from './sweep-types';

/** Storage layout of sweeps. Results are written in chunks (one row per user), keyed by page then chunk. */
export const SWEEP_LEASE_KEY = 'sweep/lease';
export const SWEEP_ACTIVE_KEY = 'sweep/active';
export const jobKey = (jobId: string): string => `sweep/job/${jobId}`;
export const cancelKey = (jobId: string): string => `sweep/cancel/${jobId}`;
const resultPrefix = (jobId: string): string => `sweep/result/${jobId}/`;
const pad = (n: number, width: number): string => n.toString().padStart(width, '0');
export const chunkKey = (jobId: string, pageSeq: number, chunkSeq: number): string =>
  `${resultPrefix(jobId)}${pad(pageSeq, 8)}/${pad(chunkSeq, 6)}`;

/** A batch of finished mailboxes from one page, written in one storage put. */
export interface ResultChunk {
  page: number;
  rows: ResultRow[];
}

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

/** Chunks in key order (page, then chunk), read a bounded page of chunks at a time. `fromPage` skips earlier pages. */
export async function* readChunks(
  storage: Storage,
  jobId: string,
  fromPage = 0,
): AsyncGenerator<{ key: string; chunk: ResultChunk }, void, undefined> {
  let after: string | undefined = fromPage > 0 ? `${resultPrefix(jobId)}${pad(fromPage - 1, 8)}/~` : undefined;
  for (;;) {
    const items = await storage.list<ResultChunk>(resultPrefix(jobId), { limit: 200, ...(after ? { after } : {}) });
    if (items.length === 0) return;
    for (const item of items) yield { key: item.key, chunk: item.value };
    after = items[items.length - 1]?.key;
  }
}

/** Recounts every stored result (used when a sweep resumes, so totals stay exact after a crash). */
export async function recount(storage: Storage, jobId: string): Promise<{ counters: SweepCounters; chunks: number }> {
  const counters = emptyCounters();
  let chunks = 0;
  for await (const { chunk } of readChunks(storage, jobId)) {
    chunks += 1;
    for (const row of chunk.rows) count(counters, row);
  }
  return { counters, chunks };
}

export async function readJob(storage: Storage, jobId: string): Promise<SweepJob | undefined> {
  return (await storage.get<SweepJob>(jobKey(jobId)))?.value;
}

/** Top external domains by findings. */
export function topDomains(c: SweepCounters, n = 5): { domain: string; findings: number }[] {
  return [...c.domains.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([domain, findings]) => ({ domain, findings }));
}
