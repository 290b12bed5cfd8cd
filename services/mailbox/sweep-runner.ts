import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import type { MailboxForwarding, MailboxForwardingReader } from './exchange-admin';
import { readVerifiedDomains } from './forwarding-check';
import { sweepMailbox, type SweepUser } from './sweep-mailbox';
import { firstPagePath, readUserPage, type UserPage } from './sweep-source';
import { chunkKey, count, emptyCounters, jobKey, readChunks, recount } from './sweep-store';
import type { ResultRow, SweepCounters, SweepJob } from './sweep-types';

/** What the runner needs; the sweeper supplies it. */
export interface RunnerDeps {
  graph: GraphClient;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  exchange?: MailboxForwardingReader;
  /** Mailboxes being read at once (the Outlook scheduler still keeps Graph at 4 in flight). */
  concurrency: number;
  /** Rows per stored chunk. */
  chunkSize: number;
}

/** Live state the sweeper's progress loop reads. */
export interface RunState {
  job: SweepJob;
  counters: SweepCounters;
  /** `done` when this process started running the job, and when: for the rate and ETA. */
  runStart: { done: number; at: number };
  mailboxForwardingChecked: boolean;
  /** Writes buffered rows now (the progress loop calls it so a crash loses at most one interval of work). */
  flush(): Promise<void>;
}

/** Stops the whole sweep: the app lacks a permission or its credential, so every mailbox would fail alike. */
class FatalSweepError extends Error {
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
// Mailboxes with forwarding set are few; past this many the map is not grown (the per-rule check still runs).
const MAX_FORWARDING_ENTRIES = 50_000;

function fatalOf(error: unknown): FatalSweepError | null {
  if (!isCodedError(error) || !FATAL.has(error.code)) return null;
  const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
  return new FatalSweepError(error.code, permission);
}

interface PageState {
  seq: number;
  next: string | null;
  pending: number;
  dispatched: boolean;
  buffer: ResultRow[];
  nextChunk: number;
}

/**
 * Runs (or resumes) one sweep until it ends, is cancelled through `signal`, or fails. Results are written per page in
 * chunks; the checkpoint moves past a page only once all its rows are stored, and a resumed run skips users whose
 * row already exists, so every user gets exactly one row and no finished mailbox is read twice.
 */
export async function runSweep(
  deps: RunnerDeps,
  job: SweepJob,
  signal: AbortSignal,
  onState: (state: RunState) => void,
): Promise<SweepJob> {
  const log = deps.logger.child({ sweep: job.id });
  const resumed = job.checkpoint !== null;
  const counters = resumed ? (await recount(deps.storage, job.id)).counters : emptyCounters();
  const seqStart = job.checkpoint?.seq ?? 0;
  const alreadyDone = new Set<string>();
  const chunkSeqs = new Map<number, number>();
  if (resumed) {
    for await (const { key, chunk } of readChunks(deps.storage, job.id, seqStart)) {
      for (const row of chunk.rows) alreadyDone.add(row.id);
      const seq = Number(key.slice(key.lastIndexOf('/') + 1));
      chunkSeqs.set(chunk.page, Math.max(chunkSeqs.get(chunk.page) ?? 0, seq + 1));
    }
  }

  const verified = await readVerifiedDomains(deps.graph);
  const forwarding = new Map<string, MailboxForwarding>();
  let mailboxForwardingChecked = false;
  if (deps.exchange) {
    try {
      for await (const page of deps.exchange.listForwarding()) {
        for (const f of page) if (forwarding.size < MAX_FORWARDING_ENTRIES) forwarding.set(f.userId, f);
      }
      mailboxForwardingChecked = true;
    } catch (error) {
      log.warn({ err: error }, 'mailbox forwarding could not be read from Exchange; the sweep checks inbox rules only');
    }
  }

  const pages: PageState[] = [];
  let current = { ...job };
  const saveJob = async (): Promise<void> => {
    await deps.storage.put(jobKey(job.id), current, { overwrite: true });
  };

  async function flushPage(p: PageState): Promise<void> {
    if (p.buffer.length === 0) return;
    const rows = p.buffer;
    p.buffer = [];
    const seq = p.nextChunk;
    p.nextChunk += 1;
    await deps.storage.put(chunkKey(job.id, p.seq, seq), { page: p.seq, rows }, { overwrite: true });
  }

  let flushing: Promise<void> = Promise.resolve();
  /** Writes every buffer, then moves the checkpoint past pages whose rows are all stored. Serialised. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      for (const p of pages) await flushPage(p);
      let moved = false;
      while (pages[0] && pages[0].dispatched && pages[0].pending === 0 && pages[0].buffer.length === 0) {
        const done = pages.shift() as PageState;
        current = { ...current, checkpoint: done.next === null ? null : { path: done.next, seq: done.seq + 1 } };
        moved = true;
      }
      if (moved) await saveJob();
    });
    return flushing;
  };

  const state: RunState = {
    job: current,
    counters,
    runStart: { done: counters.done, at: deps.clock.now() },
    mailboxForwardingChecked,
    flush,
  };
  const publish = (): void => {
    state.job = current;
    onState(state);
  };
  publish();

  async function processUser(user: SweepUser): Promise<ResultRow> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await sweepMailbox(deps.graph, user, verified, forwarding, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const fatal = fatalOf(error);
        if (fatal) throw fatal;
        const code = isCodedError(error) ? error.code : 'unexpected';
        if (!RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) {
          log.warn({ code, attempt }, 'mailbox could not be read; recorded as an error');
          return { id: user.id, upn: user.upn, status: 'error', severity: 'none', error: code };
        }
        // The client already honoured Retry-After several times; wait longer before trying this mailbox again.
        await deps.clock.sleep(Math.min(60_000, 1_000 * 2 ** attempt), signal);
      }
    }
  }

  async function readPage(path: string): Promise<UserPage> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await readUserPage(deps.graph, job.scope, path, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const fatal = fatalOf(error);
        if (fatal) throw fatal;
        const code = isCodedError(error) ? error.code : 'unexpected';
        if (!RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        await deps.clock.sleep(Math.min(60_000, 1_000 * 2 ** attempt), signal);
      }
    }
  }

  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  try {
    let path: string | null = job.checkpoint?.path ?? firstPagePath(job.scope);
    let seq = seqStart;
    while (path !== null && !signal.aborted && failure === null) {
      const page = await readPage(path);
      if (current.total === null && page.count !== null && !resumed) {
        current = { ...current, total: page.count };
        await saveJob();
        publish();
      }
      const ps: PageState = {
        seq,
        next: page.next,
        pending: 0,
        dispatched: false,
        buffer: [],
        nextChunk: chunkSeqs.get(seq) ?? 0,
      };
      pages.push(ps);
      for (const user of page.users) {
        if (signal.aborted || failure !== null) break;
        if (alreadyDone.has(user.id)) continue;
        while (inflight.size >= deps.concurrency) await Promise.race(inflight);
        ps.pending += 1;
        const task = processUser(user).then(
          (row) => {
            ps.pending -= 1;
            ps.buffer.push(row);
            count(counters, row);
            if (ps.buffer.length >= deps.chunkSize) void flush();
          },
          (error: unknown) => {
            ps.pending -= 1;
            if (!signal.aborted && failure === null) failure = error;
          },
        );
        const tracked: Promise<void> = task.finally(() => inflight.delete(tracked));
        inflight.add(tracked);
      }
      ps.dispatched = !signal.aborted && failure === null;
      path = page.next;
      seq += 1;
    }
  } catch (error) {
    if (!signal.aborted) failure = error;
  }
  await Promise.allSettled([...inflight]);
  await flush();

  const now = deps.clock.now();
  if (failure !== null) {
    const fatal = failure instanceof FatalSweepError ? failure : fatalOf(failure);
    const code = fatal?.code ?? (isCodedError(failure) ? failure.code : 'unexpected');
    log.error({ code, err: failure }, 'sweep failed');
    current = {
      ...current,
      state: 'failed',
      finishedAt: now,
      failure: { code, permission: fatal?.permission ?? null },
    };
  } else if (signal.aborted) {
    // Shutting down or losing the lease leaves the job running for whoever resumes it; only a cancel ends it.
    const resumable = signal.reason === 'lease-lost' || signal.reason === 'shutdown';
    current = resumable ? current : { ...current, state: 'cancelled', finishedAt: now };
  } else {
    current = { ...current, state: 'done', finishedAt: now, checkpoint: null };
  }
  if (current.state !== 'running') await saveJob();
  state.mailboxForwardingChecked = mailboxForwardingChecked;
  publish();
  return current;
}
