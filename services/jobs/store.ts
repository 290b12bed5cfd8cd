/** Storage layout of one kind of job: its lease, the active job, job records, cancel marks and result chunks. */
import type { Storage } from '../storage/port';
import type { JobRecord } from './types';

export interface JobKeys {
  /** The lease that makes one process run the kind's job (one per tenant). */
  lease: string;
  /** Names the job that is running (or last ran). */
  active: string;
  job: (jobId: string) => string;
  cancel: (jobId: string) => string;
  /** Prefix of a job's result chunks; chunks sort by page, then by chunk within the page. */
  results: (jobId: string) => string;
  chunk: (jobId: string, pageSeq: number, chunkSeq: number) => string;
}

const pad = (n: number, width: number): string => n.toString().padStart(width, '0');

/** The keys of a kind: `<kind>/lease`, `<kind>/job/<id>`, `<kind>/<results>/<id>/<page>/<chunk>`… */
export function jobKeys(kind: string, results: string): JobKeys {
  const prefix = (jobId: string): string => `${kind}/${results}/${jobId}/`;
  return {
    lease: `${kind}/lease`,
    active: `${kind}/active`,
    job: (jobId) => `${kind}/job/${jobId}`,
    cancel: (jobId) => `${kind}/cancel/${jobId}`,
    results: prefix,
    chunk: (jobId, pageSeq, chunkSeq) => `${prefix(jobId)}${pad(pageSeq, 8)}/${pad(chunkSeq, 6)}`,
  };
}

/** A batch of finished rows from one page, written in one storage put. */
export interface ResultChunk<Row> {
  page: number;
  rows: Row[];
}

/** Chunks in key order (page, then chunk), read a bounded page of chunks at a time. `fromPage` skips earlier pages. */
export async function* readResultChunks<Row>(
  storage: Storage,
  keys: JobKeys,
  jobId: string,
  fromPage = 0,
): AsyncGenerator<{ key: string; chunk: ResultChunk<Row> }, void, undefined> {
  const prefix = keys.results(jobId);
  let after: string | undefined = fromPage > 0 ? `${prefix}${pad(fromPage - 1, 8)}/~` : undefined;
  for (;;) {
    const items = await storage.list<ResultChunk<Row>>(prefix, { limit: 200, ...(after ? { after } : {}) });
    if (items.length === 0) return;
    for (const item of items) yield { key: item.key, chunk: item.value };
    after = items[items.length - 1]?.key;
  }
}

export async function readJobRecord<S>(
  storage: Storage,
  keys: JobKeys,
  jobId: string,
): Promise<JobRecord<S> | undefined> {
  return (await storage.get<JobRecord<S>>(keys.job(jobId)))?.value;
}
