import assert from 'node:assert/strict';
import { CodedError } from '../../../../services/errors';
import { createBackgroundJob, jobProgress, type JobKind } from '../../../../services/jobs/background-job';
import { runPagedJob, type JobRunState, type PagedRun } from '../../../../services/jobs/paged-run';
import { jobKeys, readJobRecord, readResultChunks } from '../../../../services/jobs/store';
import type { JobProgress, JobRecord, JobScope } from '../../../../services/jobs/types';
import { silentLogger } from '../../../../services/log';
import type { Messenger } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { ManualClock } from '../../../fakes/manual-clock';

interface Row {
  id: string;
}
interface Counters {
  done: number;
}
const counting = { empty: (): Counters => ({ done: 0 }), count: (c: Counters, _row: Row) => void (c.done += 1) };
const KEYS = jobKeys('test-job', 'rows');
const CONVERSATION = {
  conversationId: 'c',
  conversationType: 'personal' as const,
  tenantId: 't',
  serviceUrl: 'http://127.0.0.1:1',
  reference: {},
};

function record(id = '00000000-0000-4000-8000-000000000001'): JobRecord {
  return {
    id,
    scope: { kind: 'all' },
    requester: { aadObjectId: 'op-1', name: 'Alex' },
    conversation: CONVERSATION,
    progressActivityId: null,
    state: 'running',
    startedAt: 0,
    finishedAt: null,
    total: null,
    checkpoint: null,
    cancelledBy: null,
    failure: null,
  };
}

/** A job over in-memory pages (`page/0`, `page/1`…): each user is judged by `judge`, which the test controls. */
class Pages {
  readonly judged: string[] = [];
  private readonly held = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();

  constructor(
    readonly pages: string[][],
    /** Users whose judging waits until `release` (or rejects when the run's signal aborts). */
    private readonly hold: ReadonlySet<string> = new Set(),
    private readonly fail: Map<string, Error> = new Map(),
  ) {}

  release(id: string): void {
    this.held.get(id)?.resolve();
  }

  read = (run: PagedRun<Row>): Promise<void> => {
    let path = run.from.path;
    let seq = run.from.seq;
    while (path !== null && !run.stopped()) {
      const n = Number(path.slice('page/'.length));
      const next = n + 1 < this.pages.length ? `page/${n + 1}` : null;
      const page = run.openPage(seq, next);
      for (const id of this.pages[n] ?? []) {
        if (run.stored.has(id)) continue;
        page.track(this.judge(id, run.signal).then(() => page.add({ id })));
      }
      page.close();
      path = next;
      seq += 1;
    }
    return Promise.resolve();
  };

  private judge(id: string, signal: AbortSignal): Promise<void> {
    this.judged.push(id);
    const failure = this.fail.get(id);
    if (failure) return Promise.reject(failure);
    if (!this.hold.has(id)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.held.set(id, { resolve, reject });
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

async function storedIds(storage: Storage, jobId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const { chunk } of readResultChunks<Row>(storage, KEYS, jobId)) ids.push(...chunk.rows.map((r) => r.id));
  return ids.sort();
}

function run(storage: Storage, job: JobRecord, pages: Pages, signal: AbortSignal) {
  let state: JobRunState<JobScope, Counters, null> | null = null;
  const deps = { storage, clock: new ManualClock(), logger: silentLogger, chunkSize: 2 };
  const done = runPagedJob(
    deps,
    job,
    signal,
    { keys: KEYS, first: 'page/0', counting, extra: null, read: pages.read },
    (s) => {
      state = s;
    },
  );
  return { done, state: () => state as unknown as JobRunState<JobScope, Counters, null> };
}

describe('services/jobs paged runner', () => {
  it('moves the checkpoint only past fully stored pages; a stop mid-page keeps its page, and the resume judges only what is missing', async () => {
    const storage = createMemoryStorage();
    const job = record();
    await storage.put(KEYS.job(job.id), job, { ifAbsent: true });
    const pages = new Pages([['a', 'b'], ['c', 'd'], ['e']], new Set(['d']));
    const stop = new AbortController();
    const first = run(storage, job, pages, stop.signal);
    // Page 3 is read while d (page 2) is still being judged.
    while (!pages.judged.includes('e')) await new Promise((r) => setImmediate(r));
    await first.state().flush();
    assert.deepEqual((await readJobRecord(storage, KEYS, job.id))?.checkpoint, { path: 'page/1', seq: 1 });
    stop.abort('shutdown');
    const stopped = await first.done;
    assert.equal(stopped.state, 'running', 'a shutdown leaves the job to resume');
    assert.deepEqual(stopped.checkpoint, { path: 'page/1', seq: 1 }, 'not past page 2, whose d was cut off');
    assert.deepEqual(await storedIds(storage, job.id), ['a', 'b', 'c', 'e']);

    const again = new Pages(pages.pages);
    const second = run(storage, stopped, again, new AbortController().signal);
    const ended = await second.done;
    assert.equal(ended.state, 'done');
    assert.deepEqual(again.judged, ['d'], 'only the user without a row is judged again');
    assert.deepEqual(await storedIds(storage, job.id), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(second.state().counters.done, 5, 'totals recounted from the stored rows');
  });

  it('a checkpoint past the last page only ends the job: nothing is read again', async () => {
    const storage = createMemoryStorage();
    const job = { ...record(), checkpoint: { path: null, seq: 2 } };
    await storage.put(KEYS.job(job.id), job, { ifAbsent: true });
    await storage.put(KEYS.chunk(job.id, 0, 0), { page: 0, rows: [{ id: 'a' }, { id: 'b' }] }, { ifAbsent: true });
    const pages = new Pages([['a'], ['b']]);
    const ended = await run(storage, job, pages, new AbortController().signal).done;
    assert.equal(ended.state, 'done');
    assert.deepEqual(pages.judged, []);
  });

  it('a 403 fails the job naming the permission; a cancel records who cancelled', async () => {
    const storage = createMemoryStorage();
    const job = record();
    await storage.put(KEYS.job(job.id), job, { ifAbsent: true });
    const forbidden = new CodedError('graph_forbidden', 'denied', { permission: 'Some.Read.All' });
    const pages403 = new Pages([['a', 'b']], new Set(), new Map([['b', forbidden]]));
    const failed = await run(storage, job, pages403, new AbortController().signal).done;
    assert.equal(failed.state, 'failed');
    assert.deepEqual(failed.failure, { code: 'graph_forbidden', permission: 'Some.Read.All' });
    assert.equal((await readJobRecord(storage, KEYS, job.id))?.state, 'failed');

    const other = record('00000000-0000-4000-8000-000000000002');
    await storage.put(KEYS.job(other.id), other, { ifAbsent: true });
    await storage.put(KEYS.cancel(other.id), { by: 'Adele' }, { ifAbsent: true });
    const stop = new AbortController();
    const pages = new Pages([['a', 'b']], new Set(['b']));
    const cancelling = run(storage, other, pages, stop.signal);
    while (!pages.judged.includes('b')) await new Promise((r) => setImmediate(r));
    stop.abort('cancelled');
    const cancelled = await cancelling.done;
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.cancelledBy, 'Adele');
  });

  it('a run that lost its job record to another writer cannot overwrite it (version-conditional writes)', async () => {
    const storage = createMemoryStorage();
    const job = record();
    await storage.put(KEYS.job(job.id), job, { ifAbsent: true });
    const pages = new Pages([['a'], ['b']], new Set(['b']));
    const first = run(storage, job, pages, new AbortController().signal);
    while (!pages.judged.includes('b')) await new Promise((r) => setImmediate(r));
    // Another process took the job over and wrote its record.
    const theirs = { ...job, checkpoint: { path: 'page/1', seq: 1 }, progressActivityId: 'theirs' };
    await storage.put(KEYS.job(job.id), theirs, { overwrite: true });
    pages.release('b');
    await assert.rejects(first.done, /changed by another process/);
    assert.deepEqual(await readJobRecord(storage, KEYS, job.id), theirs);
  });
});

describe('services/jobs background job', () => {
  const messenger: Messenger = {
    send: () => Promise.resolve({ activityId: 'act' }),
    update: () => Promise.resolve(),
    personalChat: (via) => Promise.resolve(via),
  };

  function kind(name: string, pages: Pages): JobKind<JobScope, Row, Counters, null, JobProgress, JobProgress> {
    const keys = jobKeys(name, 'rows');
    return {
      name,
      keys,
      counting,
      extra: () => null,
      run: (job, signal, onState, logger) =>
        runPagedJob(
          { storage: shared, clock, logger, chunkSize: 10 },
          job,
          signal,
          { keys, first: 'page/0', counting, extra: null, read: pages.read },
          onState,
        ),
      progressView: jobProgress,
      resultView: jobProgress,
      cards: { progress: (v) => ({ progress: v.done }), result: (v) => ({ result: v.done }) },
    };
  }
  let shared: Storage;
  let clock: ManualClock;
  beforeEach(() => {
    shared = createMemoryStorage();
    clock = new ManualClock();
  });

  it('a job that ended while its lapsed lease was being taken is not run again', async () => {
    const job = record();
    const k = kind('kind-a', new Pages([['a']]));
    await shared.put(k.keys.job(job.id), job, { ifAbsent: true });
    await shared.put(k.keys.active, { jobId: job.id }, { ifAbsent: true });
    const inner = shared;
    // The instance whose lease lapsed writes "done" just before this one takes the lease.
    const racing: Storage = {
      ...inner,
      put: async (key, value, condition) => {
        if (key === k.keys.lease) await inner.put(k.keys.job(job.id), { ...job, state: 'done' }, { overwrite: true });
        return inner.put(key, value, condition);
      },
    };
    let sent = 0;
    const counting: Messenger = { ...messenger, send: (...args) => ((sent += 1), messenger.send(...args)) };
    const other = createBackgroundJob({ storage: racing, messenger: counting, clock, logger: silentLogger }, k);
    assert.equal(await other.resumeOnBoot(), false);
    await other.idle();
    assert.equal(sent, 0, 'no second result card');
    assert.equal((await readJobRecord(shared, k.keys, job.id))?.state, 'done');
  });

  it('runs one job per kind: a second start (this or another instance) is told who runs it; another kind runs alongside', async () => {
    const pages = new Pages([['a', 'b']], new Set(['b']));
    const one = createBackgroundJob({ storage: shared, messenger, clock, logger: silentLogger }, kind('kind-a', pages));
    const two = createBackgroundJob({ storage: shared, messenger, clock, logger: silentLogger }, kind('kind-a', pages));
    const other = createBackgroundJob(
      { storage: shared, messenger, clock, logger: silentLogger },
      kind('kind-b', new Pages([['x']])),
    );
    const request = {
      scope: { kind: 'all' as const },
      requester: { aadObjectId: 'op-1', name: 'Alex' },
      conversation: CONVERSATION,
    };
    const started = await one.start(request);
    assert.equal(started.kind, 'started');
    const again = await two.start({ ...request, requester: { aadObjectId: 'op-2', name: 'Adele' } });
    assert.equal(again.kind, 'already-running');
    if (again.kind === 'already-running' && started.kind === 'started') {
      assert.equal(again.view.jobId, started.jobId);
      assert.equal(again.view.requesterName, 'Alex');
    }
    assert.equal((await other.start(request)).kind, 'started');
    await other.idle();
    while (!pages.judged.includes('b')) await new Promise((r) => setImmediate(r));
    pages.release('b');
    await one.idle();
    assert.equal((await one.start(request)).kind, 'started', 'the next job of the kind starts once it ended');
    while (pages.judged.filter((id) => id === 'b').length < 2) await new Promise((r) => setImmediate(r));
    pages.release('b');
    await one.idle();
  });
});
