import assert from 'node:assert/strict';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createGraphClient, type GraphClient } from '../../../services/graph';
import { readChunks, readJob } from '../../../services/mailbox/sweep-store';
import { createSweeper } from '../../../services/mailbox/sweeper';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { CONVERSATION, RecordingMessenger, recordingCards } from './sweep-harness';

const REQUESTER = { aadObjectId: 'op-1', name: 'Alex Wilber' };
const RULES = /^\/users\/([^/]+)\/mailFolders\/inbox\/messageRules/;
const USERS_PAGE = /^\/users\?/;

/**
 * The demo tenant's Graph, seen through a wrapper that pages users `pageSize` at a time, counts each mailbox's rule
 * reads per phase, and can hold one mailbox's read until the sweep's signal aborts it (a deterministic stop point).
 */
function instrumented(real: GraphClient, pageSize: number) {
  const reads = new Map<string, number[]>();
  let phase = 0;
  let usersPages = 0;
  let held: string | null = null;
  let holdNext = false;
  const graph: GraphClient = {
    ...real,
    request: (spec, budget) => {
      if (USERS_PAGE.test(spec.path)) {
        usersPages += 1;
        return real.request({ ...spec, path: spec.path.replace(/(\$|%24)top=999/, `$1top=${pageSize}`) }, budget);
      }
      const m = RULES.exec(spec.path);
      if (m) {
        const id = decodeURIComponent(m[1] ?? '').toLowerCase();
        const counts = reads.get(id) ?? [0, 0];
        counts[phase] = (counts[phase] ?? 0) + 1;
        reads.set(id, counts);
        if (holdNext && held === null) {
          held = id;
          // Never answers: only the sweep's abort (shutdown) ends this read.
          return new Promise((_resolve, reject) => {
            if (spec.signal?.aborted) reject(spec.signal.reason as Error);
            spec.signal?.addEventListener('abort', () => reject(spec.signal?.reason as Error), { once: true });
          });
        }
      }
      return real.request(spec, budget);
    },
  };
  return {
    graph,
    reads,
    usersPages: () => usersPages,
    held: () => held,
    holdOne: () => {
      holdNext = true;
    },
    nextPhase: () => {
      phase = 1;
      holdNext = false;
    },
    readAgain: (ids: Iterable<string>) => [...ids].filter((id) => (reads.get(id)?.[1] ?? 0) > 0),
  };
}

async function storedIds(storage: Storage, jobId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const { chunk } of readChunks(storage, jobId)) for (const r of chunk.rows) ids.push(r.id);
  return ids;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await systemClock.sleep(5);
  }
}

describe('services/mailbox sweep checkpoint: a stopped sweep resumes with every user exactly once', function () {
  this.timeout(60_000);
  let demo: DemoTenant;

  afterEach(async () => {
    await demo?.close();
  });

  async function setup(extraUsers: number, pageSize: number, storage: Storage = createMemoryStorage()) {
    demo = await startDemoTenant({ port: 0, extraUsers });
    const real = createGraphClient({
      baseUrl: demo.url,
      credential: { kind: 'static', token: 't' },
      limits: { backoffBaseMs: 20, backoffMaxMs: 200 },
    });
    const g = instrumented(real, pageSize);
    const sweeper = (chunkSize: number) =>
      createSweeper({
        graph: g.graph,
        storage,
        messenger: new RecordingMessenger(),
        cards: recordingCards(),
        clock: systemClock,
        logger: real.logger,
        progressIntervalMs: 50,
        leaseTtlMs: 300,
        chunkSize,
      });
    return { g, storage, sweeper };
  }

  /** Resumes in a new sweeper (as a restarted process) and checks one row per user, none read twice. */
  async function resumeAndCheck(
    s: Awaited<ReturnType<typeof setup>>,
    jobId: string,
  ): Promise<{ before: string[]; after: string[] }> {
    const before = await storedIds(s.storage, jobId);
    s.g.nextPhase();
    const cards = recordingCards();
    const second = createSweeper({
      graph: s.g.graph,
      storage: s.storage,
      messenger: new RecordingMessenger(),
      cards,
      clock: systemClock,
      logger: s.g.graph.logger,
      leaseTtlMs: 300,
      chunkSize: 5,
    });
    assert.equal(await second.resumeOnBoot(), true);
    await second.idle();
    assert.equal((await readJob(s.storage, jobId))?.state, 'done');
    const after = await storedIds(s.storage, jobId);
    const users = [...demo.state.users.values()].map((u) => u.id.toLowerCase()).sort();
    assert.deepEqual([...after].sort(), users, 'exactly one row per user, none lost');
    assert.deepEqual(s.g.readAgain(before), [], 'no mailbox with a stored row is read again');
    assert.equal(cards.summaries.at(-1)?.done, users.length, 'the summary counts the rows stored before the stop');
    return { before, after };
  }

  it('a stop mid-page leaves the checkpoint before the page whose reads were cut off (none of its users lost)', async () => {
    const s = await setup(40, 10);
    const sweeper = s.sweeper(5);
    s.g.holdOne();
    const started = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    // Pages 1 and 2 are wholly dispatched once page 3 is asked for; a read of page 1 is still held.
    await until(() => s.g.usersPages() >= 3 && s.g.held() !== null, 'page 3 and a held read');
    await sweeper.shutdown();
    const stopped = await readJob(s.storage, started.jobId);
    assert.equal(stopped?.state, 'running');
    const held = s.g.held() ?? '';
    assert.ok(!(await storedIds(s.storage, started.jobId)).includes(held), 'the held mailbox has no row yet');
    assert.equal(stopped?.checkpoint?.seq ?? 0, 0, 'the checkpoint has not passed the page of the held read');
    await resumeAndCheck(s, started.jobId);
    assert.equal(s.g.reads.get(held)?.[1], 1, 'the held mailbox is read once after the restart');
  });

  it('a stop before the first page is complete resumes from the rows already stored (no mailbox read twice)', async () => {
    const s = await setup(30, 999);
    const sweeper = s.sweeper(5);
    s.g.holdOne();
    const started = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await until(async () => (await storedIds(s.storage, started.jobId)).length >= 10, 'ten stored rows');
    await sweeper.shutdown();
    const stopped = await readJob(s.storage, started.jobId);
    assert.equal(stopped?.state, 'running');
    assert.equal(stopped?.checkpoint ?? null, null, 'no page is complete yet');
    const { before } = await resumeAndCheck(s, started.jobId);
    assert.ok(before.length >= 10, `rows before the restart: ${before.length}`);
  });

  it('a stop after every page is stored but before "done" is saved finishes without reading any mailbox again', async () => {
    const inner = createMemoryStorage();
    let crash = true;
    // The process dies at the last write of its run: the job record that says "done" never reaches storage.
    const storage: Storage = {
      ...inner,
      put: (key, value, condition) =>
        crash && key.startsWith('sweep/job/') && (value as { state?: string }).state === 'done'
          ? Promise.reject(new Error('killed before the final write'))
          : inner.put(key, value, condition),
    };
    const s = await setup(30, 10, storage);
    const sweeper = s.sweeper(5);
    const started = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await sweeper.idle();
    crash = false;
    const stopped = await readJob(s.storage, started.jobId);
    assert.equal(stopped?.state, 'running', 'the final write was lost');
    const users = demo.state.users.size;
    assert.equal((await storedIds(s.storage, started.jobId)).length, users, 'every row was stored');
    const { before } = await resumeAndCheck(s, started.jobId);
    assert.equal(before.length, users);
    assert.equal(
      [...s.g.reads.values()].reduce((n, c) => n + (c[1] ?? 0), 0),
      0,
      'the restarted process read no mailbox',
    );
  });
});
