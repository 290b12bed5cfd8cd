/**
 * The paged runner every background job runs on: results are stored per page in chunks, the checkpoint moves past a
 * page only once every row of it is stored (a page with a task that ended without its rows — stopped or failed — is
 * never passed), and a resumed run starts from the rows already stored (skipping their users), so every user gets
 * exactly one row whether the last process stopped before its first page, mid-page, or after its last.
 * The job's domain (what a page is, how a row is judged) drives the reading through a `PagedRun`.
 */
import type { Clock } from '../clock';
import { CodedError, isCodedError } from '../errors';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import { readResultChunks, type JobKeys } from './store';
import type { JobCheckpoint, JobRecord } from './types';

/** How a job's rows add up to the totals its cards show (recounted from storage when a run resumes). */
export interface RowCounting<Row, C extends { done: number }> {
  empty(): C;
  count(counters: C, row: Row): void;
}

export interface PagedRunDeps {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Rows per stored chunk. */
  chunkSize: number;
}

/** The domain's part of a run: where its rows are stored, its first page, how rows count, and how pages are read. */
export interface PagedJobSpec<Row, C extends { done: number }, X> {
  keys: JobKeys;
  first: string;
  counting: RowCounting<Row, C>;
  extra: X;
  read: (run: PagedRun<Row>) => Promise<void>;
}

/** Live state the progress loop reads. */
export interface JobRunState<S, C, X> {
  job: JobRecord<S>;
  counters: C;
  /** `done` when this process started running the job, and when: for the rate and ETA. */
  runStart: { done: number; at: number };
  /** What the job's domain adds to its cards (set by the domain while it runs). */
  extra: X;
  /** Writes buffered rows now (the progress loop calls it so a crash loses at most one interval of work). */
  flush(): Promise<void>;
}

/** One page of the run: rows are added as they are judged; tasks that add rows later are tracked. */
export interface JobPage<Row> {
  add(row: Row): void;
  /** A task that adds this page's rows; if it rejects, the page is incomplete (the checkpoint stays before it). */
  track(task: Promise<void>): void;
  /** Every user of the page has a row or a tracked task (call when the page's loop ran to its end). */
  close(): void;
}

/** What the domain reads pages through. */
export interface PagedRun<Row> {
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Users whose rows are stored on pages the checkpoint has not passed: a resumed run skips them. */
  readonly stored: ReadonlySet<string>;
  /** Where reading starts (the checkpoint, or `first`); path null: every page is already stored. */
  readonly from: JobCheckpoint;
  /** Cancelled, shut down, lease lost, or a task failed: take no more work. */
  stopped(): boolean;
  /** The total Graph counted on the first page (kept once set). */
  setTotal(total: number): Promise<void>;
  openPage(seq: number, next: string | null): JobPage<Row>;
  /** Tasks in flight over every page, and a wait for one of them to settle (back-pressure). */
  inflight(): number;
  settleOne(): Promise<void>;
  /** Retries what Graph could not answer yet (429 after the client's own retries, 5xx); fatal errors stop the run. */
  retrying: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
}

/** Stops the whole job: the app lacks a permission or its credential, so every user would fail alike. */
export class FatalJobError extends Error {
  constructor(
    readonly code: string,
    readonly permission: string | null,
  ) {
    super(code);
  }
}

const RETRYABLE = new Set(['graph_throttled', 'graph_unavailable']);
const FATAL = new Set(['graph_forbidden', 'graph_unauthorized']);
const MAX_ATTEMPTS = 8;

/** The fatal error an error is (403 / 401 from Graph, with the permission it named), or null. */
export function fatalOf(error: unknown): FatalJobError | null {
  if (error instanceof FatalJobError) return error;
  if (!isCodedError(error) || !FATAL.has(error.code)) return null;
  const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
  return new FatalJobError(error.code, permission);
}

interface PageState<Row> {
  seq: number;
  next: string | null;
  pending: number;
  closed: boolean;
  /** A task of this page ended without its rows (the run was stopped or failed): the checkpoint must not pass it. */
  incomplete: boolean;
  buffer: Row[];
  nextChunk: number;
}

/**
 * Runs (or resumes) `job` until it ends, is stopped through `signal` (reason `cancelled` ends it; `shutdown` and
 * `lease-lost` leave it running for whoever resumes it), or fails. `read` is the domain's part.
 */
export async function runPagedJob<S, Row extends { id: string }, C extends { done: number }, X>(
  deps: PagedRunDeps,
  job: JobRecord<S>,
  signal: AbortSignal,
  spec: PagedJobSpec<Row, C, X>,
  onState: (state: JobRunState<S, C, X>) => void,
): Promise<JobRecord<S>> {
  const { storage } = deps;
  const { keys } = spec;
  const log = deps.logger.child({ job: job.id });
  // Rows may exist even without a checkpoint (stopped before its first page was complete): always start from them.
  const counters = spec.counting.empty();
  for await (const { chunk } of readResultChunks<Row>(storage, keys, job.id))
    for (const row of chunk.rows) spec.counting.count(counters, row);
  const from: JobCheckpoint = job.checkpoint ?? { path: spec.first, seq: 0 };
  const stored = new Set<string>();
  const chunkSeqs = new Map<number, number>();
  for await (const { key, chunk } of readResultChunks<Row>(storage, keys, job.id, from.seq)) {
    for (const row of chunk.rows) stored.add(row.id);
    const seq = Number(key.slice(key.lastIndexOf('/') + 1));
    chunkSeqs.set(chunk.page, Math.max(chunkSeqs.get(chunk.page) ?? 0, seq + 1));
  }

  let current = { ...job };
  // Every write of the record names the version this run last wrote: a process that lost the job cannot overwrite it.
  let version = (await storage.get(keys.job(job.id)))?.version;
  const saveJob = async (): Promise<void> => {
    const put = await storage.put(keys.job(job.id), current, version ? { ifVersion: version } : { ifAbsent: true });
    if (!put.ok) throw new CodedError('internal', 'the job record was changed by another process', { job: job.id });
    version = put.item.version;
  };

  const pages: PageState<Row>[] = [];
  async function flushPage(p: PageState<Row>): Promise<void> {
    if (p.buffer.length === 0) return;
    const rows = p.buffer;
    p.buffer = [];
    const seq = p.nextChunk;
    p.nextChunk += 1;
    await storage.put(keys.chunk(job.id, p.seq, seq), { page: p.seq, rows }, { overwrite: true });
  }
  let flushing: Promise<void> = Promise.resolve();
  /** Writes every buffer, then moves the checkpoint past pages whose rows are all stored. Serialised. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      for (const p of pages) await flushPage(p);
      let moved = false;
      for (let p = pages[0]; p && p.closed && !p.incomplete && p.pending === 0 && p.buffer.length === 0; p = pages[0]) {
        pages.shift();
        current = { ...current, checkpoint: { path: p.next, seq: p.seq + 1 } };
        moved = true;
      }
      if (moved) await saveJob();
    });
    return flushing;
  };

  const state: JobRunState<S, C, X> = {
    job: current,
    counters,
    runStart: { done: counters.done, at: deps.clock.now() },
    extra: spec.extra,
    flush,
  };
  const publish = (): void => {
    state.job = current;
    onState(state);
  };
  publish();

  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  const stopped = (): boolean => signal.aborted || failure !== null;
  const run: PagedRun<Row> = {
    signal,
    log,
    stored,
    from,
    stopped,
    async setTotal(total) {
      if (current.total !== null) return;
      current = { ...current, total };
      await saveJob();
      publish();
    },
    openPage(seq, next) {
      const p: PageState<Row> = {
        seq,
        next,
        pending: 0,
        closed: false,
        incomplete: false,
        buffer: [],
        nextChunk: chunkSeqs.get(seq) ?? 0,
      };
      pages.push(p);
      return {
        add(row) {
          p.buffer.push(row);
          spec.counting.count(counters, row);
          if (p.buffer.length >= deps.chunkSize) void flush();
        },
        track(task) {
          p.pending += 1;
          const tracked: Promise<void> = task
            .then(
              () => {
                p.pending -= 1;
              },
              (error: unknown) => {
                p.pending -= 1;
                p.incomplete = true;
                if (!stopped()) failure = error;
              },
            )
            .finally(() => inflight.delete(tracked));
          inflight.add(tracked);
        },
        close() {
          p.closed = !stopped();
        },
      };
    },
    inflight: () => inflight.size,
    settleOne: () => Promise.race(inflight),
    async retrying(what, fn) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await fn();
        } catch (error) {
          if (signal.aborted) throw error;
          const fatal = fatalOf(error);
          if (fatal) throw fatal;
          const code = isCodedError(error) ? error.code : 'unexpected';
          if (!RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
          log.warn({ code, attempt, what }, 'read failed; waiting before it is tried again');
          await deps.clock.sleep(Math.min(60_000, 1_000 * 2 ** attempt), signal);
        }
      }
    },
  };

  try {
    if (from.path !== null) await spec.read(run);
  } catch (error) {
    if (!signal.aborted && failure === null) failure = error;
  }
  await Promise.allSettled([...inflight]);
  await flush();

  const now = deps.clock.now();
  if (failure !== null) {
    const fatal = fatalOf(failure);
    const code = fatal?.code ?? (isCodedError(failure) ? failure.code : 'unexpected');
    log.error({ code, err: failure }, 'job failed');
    current = {
      ...current,
      state: 'failed',
      finishedAt: now,
      failure: { code, permission: fatal?.permission ?? null },
    };
  } else if (signal.aborted) {
    // Shutting down or losing the lease leaves the job running for whoever resumes it; only a cancel ends it.
    if (signal.reason !== 'lease-lost' && signal.reason !== 'shutdown') {
      const cancel = await storage.get<{ by: string | null }>(keys.cancel(job.id));
      current = { ...current, state: 'cancelled', finishedAt: now, cancelledBy: cancel?.value.by ?? null };
    }
  } else {
    current = { ...current, state: 'done', finishedAt: now, checkpoint: null };
  }
  if (current.state !== 'running') await saveJob();
  publish();
  return current;
}
