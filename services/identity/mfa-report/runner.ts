/**
 * Runs (or resumes) one `report mfa` until it ends, is cancelled through `signal`, or fails. Tenant-wide inputs are
 * read once (policies, targeted groups, the audit evidence, the registration report in the background); users are
 * paged ($top=999) and their methods read 20 to a `$batch` (identity class). Rows are stored per page in chunks; the
 * checkpoint moves past a page only once all its rows are stored, and a resumed run skips users that have a row, so
 * every user gets exactly one row.
 */
import type { Clock } from '../../clock';
import { isCodedError } from '../../errors';
import type { GraphClient } from '../../graph/client';
import { endpoints } from '../../graph/endpoints';
import { nextLinkPath } from '../../graph/paging';
import { readBatch, readOne } from '../../graph/read';
import type { ReportUser } from '../../graph/schemas/user';
import type { UserId } from '../../ids';
import type { Logger } from '../../log';
import type { Storage } from '../../storage/port';
import { expandTargetGroups, readTenantPolicies, startRegistrationIndex } from './context';
import type { ReportEvidence, ReportEvidenceSet } from './evidence';
import { apartCategory, apartRow, judgeUser } from './judge';
import { countRow, readReportChunks, recountReport, reportChunkKey, reportJobKey } from './store';
import type { ReportCounters, ReportJob, ReportRow, ReportScope } from './types';

export interface ReportRunnerDeps {
  graph: GraphClient;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  evidence: ReportEvidence;
  /** How far back evidence is read: the tenant's audit retention (30 days with P1/P2). */
  auditDays: number;
  /** `$batch`es of methods in flight (the identity scheduler still keeps to the tenant's budget). */
  concurrency: number;
  /** Users whose methods are read but who wait for their registration row or the evidence (bounds memory). */
  maxWaiting: number;
  /** Rows per stored chunk. */
  chunkSize: number;
}

/** Live state the progress loop reads. */
export interface ReportRunState {
  job: ReportJob;
  counters: ReportCounters;
  runStart: { done: number; at: number };
  evidenceFrom: string | null;
  flush(): Promise<void>;
}

/** Stops the whole report: the app lacks a permission or its credential, so every user would fail alike. */
class FatalReportError extends Error {
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
const BATCH = 20;
const DAY = 24 * 3600_000;

/**
 * Users whose methods are read but who still wait for the evidence or their registration row, by default. Judging
 * starts only once the whole audit evidence is read (13 pages at 50,000 users: three reports windows, ~21 s), and the
 * registration pages come after it; meanwhile the method reads run at the identity budget (a full bucket of 3,500 RU,
 * then 350 per second). Once they stop at the bound the bucket refills for one window at no cost; stopped longer, it
 * overflows and the time is lost (at 50,000 users: 5,000 → 136.7 s, 8,000 → 128.2 s, 10,000 → 126.7 s, 12,000 →
 * 126.1–126.9 s). Each waiting user is its users-page row and its methods, ~1.2 KB.
 */
export const DEFAULT_MAX_WAITING = 10_000;

function fatalOf(error: unknown): FatalReportError | null {
  if (error instanceof FatalReportError) return error;
  if (!isCodedError(error) || !FATAL.has(error.code)) return null;
  const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
  return new FatalReportError(error.code, permission);
}

function usersRead(scope: ReportScope) {
  return scope.kind === 'all' ? endpoints.reportUsers.at({}) : endpoints.reportGroupUsers.at({ group: scope.groupId });
}

/** The first users page's path for a scope (a checkpoint stores the path of the page to read next). */
export function firstReportPagePath(scope: ReportScope): string {
  return usersRead(scope).path;
}

interface PageState {
  seq: number;
  next: string | null;
  pending: number;
  dispatched: boolean;
  /** A batch of this page ended without rows (the run was stopped or failed): the checkpoint must not pass it. */
  incomplete: boolean;
  buffer: ReportRow[];
  nextChunk: number;
}

export async function runReport(
  deps: ReportRunnerDeps,
  job: ReportJob,
  signal: AbortSignal,
  onState: (state: ReportRunState) => void,
): Promise<ReportJob> {
  const log = deps.logger.child({ mfaReport: job.id });
  // Rows may exist even without a checkpoint (stopped before its first page was complete): always start from them.
  const counters = await recountReport(deps.storage, job.id);
  const seqStart = job.checkpoint?.seq ?? 0;
  const alreadyDone = new Set<string>();
  const chunkSeqs = new Map<number, number>();
  for await (const { key, chunk } of readReportChunks(deps.storage, job.id, seqStart)) {
    for (const row of chunk.rows) alreadyDone.add(row.id);
    const seq = Number(key.slice(key.lastIndexOf('/') + 1));
    chunkSeqs.set(chunk.page, Math.max(chunkSeqs.get(chunk.page) ?? 0, seq + 1));
  }

  const pages: PageState[] = [];
  let current = { ...job };
  const saveJob = async (): Promise<void> => {
    await deps.storage.put(reportJobKey(job.id), current, { overwrite: true });
  };
  async function flushPage(p: PageState): Promise<void> {
    if (p.buffer.length === 0) return;
    const rows = p.buffer;
    p.buffer = [];
    const seq = p.nextChunk;
    p.nextChunk += 1;
    await deps.storage.put(reportChunkKey(job.id, p.seq, seq), { page: p.seq, rows }, { overwrite: true });
  }
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      for (const p of pages) await flushPage(p);
      let moved = false;
      while (
        pages[0] &&
        pages[0].dispatched &&
        !pages[0].incomplete &&
        pages[0].pending === 0 &&
        pages[0].buffer.length === 0
      ) {
        const done = pages.shift() as PageState;
        current = { ...current, checkpoint: { path: done.next, seq: done.seq + 1 } };
        moved = true;
      }
      if (moved) await saveJob();
    });
    return flushing;
  };
  const state: ReportRunState = {
    job: current,
    counters,
    runStart: { done: counters.done, at: deps.clock.now() },
    evidenceFrom: null,
    flush,
  };
  const publish = (): void => {
    state.job = current;
    onState(state);
  };
  publish();

  /** Retries what Graph could not answer yet (429 after the client's own retries, 5xx); fatal errors stop the run. */
  async function retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (error) {
        if (signal.aborted) throw error;
        const fatal = fatalOf(error);
        if (fatal) throw fatal;
        const code = isCodedError(error) ? error.code : 'unexpected';
        if (!RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        log.warn({ code, attempt, what }, 'report read failed; waiting before it is tried again');
        await deps.clock.sleep(Math.min(60_000, 1_000 * 2 ** attempt), signal);
      }
    }
  }

  const inflight = new Set<Promise<void>>();
  let fetching = 0;
  const fetchWaiters: (() => void)[] = [];
  let failure: unknown = null;
  const sig = { signal };
  try {
    const since = new Date(deps.clock.now() - deps.auditDays * DAY);
    // Judging any user waits for the whole evidence; method reads do not (up to maxWaiting users).
    const evidence: Promise<ReportEvidenceSet> = retrying('evidence', () => deps.evidence.open(since, sig));
    evidence.catch(() => undefined);
    void evidence.then((e) => {
      state.evidenceFrom = e.coveredFrom?.toISOString() ?? null;
    });
    // The registration report pages in the background while the identity-class reads go on. It shares the reports
    // class (5 requests / 10 s) with the audit query and starts after it: read side by side, the two page chains
    // took the slots in turn, so the evidence every judgement waits for came in at half the rate (at 50,000 users
    // its 13 pages ended after 62 s instead of 21 s, and the method reads stood still meanwhile).
    const registration = startRegistrationIndex(deps.graph, { signal, skip: alreadyDone, after: evidence });
    registration.done.catch(() => undefined);
    const policies = await retrying('policies', () => readTenantPolicies(deps.graph, signal));
    const groups = await retrying('groups', () => expandTargetGroups(deps.graph, policies, signal));

    const judge = async (user: ReportUser, methods: Awaited<ReturnType<typeof readMethods>>[string]) => {
      const [reg, ev] = await Promise.all([registration.rowOf(user.id), evidence]);
      const groupIds = groups.groupsOf(user.id);
      return judgeUser({
        user,
        methods,
        registration: reg,
        groupIds,
        policies: { methodsPolicy: policies.methodsPolicy, authorizationPolicy: policies.authorizationPolicy },
        caPolicies: policies.caPolicies,
        events: await ev.eventsOf(user.id),
        coveredFrom: ev.coveredFrom?.toISOString() ?? null,
      });
    };

    const readMethods = async (users: ReportUser[]) => {
      const reads = Object.fromEntries(
        users.map((u, i) => [
          `u${i}`,
          endpoints.authenticationMethods.at({ user: { kind: 'id', id: u.id as UserId } }),
        ]),
      );
      const replies = await readBatch(deps.graph, reads, { priority: 'background', signal });
      const out: Record<string, ReturnType<typeof replies.value>['value']> = {};
      users.forEach((u, i) => {
        out[u.id] = replies.value(`u${i}`).value;
      });
      return out;
    };

    /** Reads a batch's methods (retrying throttled items until they answer), then judges each user. */
    const processBatch = async (users: ReportUser[], ps: PageState): Promise<void> => {
      while (fetching >= deps.concurrency) await new Promise<void>((resolve) => fetchWaiters.push(resolve));
      fetching += 1;
      let methods: Awaited<ReturnType<typeof readMethods>>;
      try {
        methods = await retrying('methods', () => readMethods(users));
      } catch (error) {
        if (fatalOf(error) || signal.aborted) throw error;
        // One batch that never answered: its users are recorded as errors, not lost.
        methods = {};
        log.warn({ err: error }, 'methods could not be read for a batch; its users are recorded as errors');
      } finally {
        fetching -= 1;
        fetchWaiters.shift()?.();
      }
      for (const user of users) {
        const list = methods[user.id];
        let row: ReportRow;
        if (list === undefined) {
          registration.discard(user.id);
          row = { ...apartRow(user, 'error'), error: 'methods_unreadable' };
        } else row = await judge(user, list);
        ps.buffer.push(row);
        count(row);
        if (ps.buffer.length >= deps.chunkSize) void flush();
      }
    };
    const count = (row: ReportRow): void => countRow(counters, row);

    let path: string | null = job.checkpoint ? job.checkpoint.path : firstReportPagePath(job.scope);
    let seq = seqStart;
    while (path !== null && !signal.aborted && failure === null) {
      const pagePath: string = path;
      const reply = await retrying('users', () =>
        readOne(deps.graph, { ...usersRead(job.scope), path: pagePath }, { priority: 'background', signal }),
      );
      const link = reply['@odata.nextLink'];
      const total = reply['@odata.count'];
      if (current.total === null && typeof total === 'number') {
        current = { ...current, total };
        await saveJob();
        publish();
      }
      const ps: PageState = {
        seq,
        next: link === undefined ? null : nextLinkPath(link),
        pending: 0,
        dispatched: false,
        incomplete: false,
        buffer: [],
        nextChunk: chunkSeqs.get(seq) ?? 0,
      };
      pages.push(ps);
      const judged: ReportUser[] = [];
      for (const raw of reply.value) {
        if (raw['@odata.type'] !== undefined && raw['@odata.type'] !== '#microsoft.graph.user') continue;
        const user = { ...raw, id: raw.id.toLowerCase() };
        if (alreadyDone.has(user.id)) continue;
        const apart = apartCategory(user);
        if (apart === null) {
          judged.push(user);
          continue;
        }
        registration.discard(user.id);
        const row = apartRow(user, apart);
        ps.buffer.push(row);
        count(row);
      }
      for (let i = 0; i < judged.length && !signal.aborted && failure === null; i += BATCH) {
        while (inflight.size * BATCH >= deps.maxWaiting) await Promise.race(inflight);
        const users = judged.slice(i, i + BATCH);
        ps.pending += 1;
        const task = processBatch(users, ps).then(
          () => {
            ps.pending -= 1;
          },
          (error: unknown) => {
            ps.pending -= 1;
            ps.incomplete = true;
            if (!signal.aborted && failure === null) failure = error;
          },
        );
        const tracked: Promise<void> = task.finally(() => inflight.delete(tracked));
        inflight.add(tracked);
      }
      ps.dispatched = !signal.aborted && failure === null;
      if (ps.buffer.length >= deps.chunkSize) void flush();
      path = ps.next;
      seq += 1;
    }
  } catch (error) {
    if (!signal.aborted) failure = error;
  }
  await Promise.allSettled([...inflight]);
  await flush();

  const now = deps.clock.now();
  if (failure !== null) {
    const fatal = fatalOf(failure);
    const code = fatal?.code ?? (isCodedError(failure) ? failure.code : 'unexpected');
    log.error({ code, err: failure }, 'mfa report failed');
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
  publish();
  return current;
}
