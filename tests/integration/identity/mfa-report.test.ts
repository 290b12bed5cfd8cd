import assert from 'node:assert/strict';
import { mfaReportCard } from '../../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../../cards/mfa-report-progress.card';
import { mfaTruth, type MfaTruth } from '../../../demo/seed/mfa-mix';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { CodedError } from '../../../services/errors';
import { createGraphClient, type GraphClient, type GraphLimits } from '../../../services/graph';
import { reportCsvLines } from '../../../services/identity/mfa-report/csv';
import { createGraphReportEvidence } from '../../../services/identity/mfa-report/evidence';
import { createMfaReporter, type MfaReporterDeps } from '../../../services/identity/mfa-report/reporter';
import { readReportChunks, readReportJob } from '../../../services/identity/mfa-report/store';
import type {
  ReportCards,
  ReportJob,
  ReportProgressView,
  ReportResultView,
  ReportRow,
} from '../../../services/identity/mfa-report/types';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { visibleLines } from '../../support/cards';
import { CONVERSATION, RecordingMessenger } from '../mailbox/sweep-harness';

const REQUESTER = { aadObjectId: 'op-1', name: 'Alex Wilber' };

async function rowsOf(storage: Storage, jobId: string): Promise<ReportRow[]> {
  const out: ReportRow[] = [];
  for await (const { chunk } of readReportChunks(storage, jobId)) out.push(...chunk.rows);
  return out;
}

function recordingCards(): ReportCards & { progressViews: ReportProgressView[]; results: ReportResultView[] } {
  const progressViews: ReportProgressView[] = [];
  const results: ReportResultView[] = [];
  return {
    progressViews,
    results,
    progress(view) {
      progressViews.push(view);
      return mfaReportProgressCard(view);
    },
    result(view) {
      results.push(view);
      return mfaReportCard(view);
    },
  };
}

describe('report mfa (demo tenant over HTTP)', function () {
  this.timeout(120_000);
  let demo: DemoTenant;

  afterEach(async () => {
    await demo?.close();
  });

  async function setup(
    options: Parameters<typeof startDemoTenant>[0],
    overrides: Partial<MfaReporterDeps> & {
      wrap?: (g: GraphClient) => GraphClient;
      auditPageSize?: number;
      clientLimits?: Partial<GraphLimits>;
    } = {},
  ) {
    demo = await startDemoTenant({ port: 0, ...options });
    const real = createGraphClient({
      baseUrl: demo.url,
      credential: { kind: 'static', token: 't' },
      limits: { backoffBaseMs: 20, backoffMaxMs: 200, ...overrides.clientLimits },
    });
    const graph = overrides.wrap ? overrides.wrap(real) : real;
    const storage = createMemoryStorage();
    const messenger = new RecordingMessenger();
    const cards = recordingCards();
    const reporter = createMfaReporter({
      graph,
      storage,
      messenger,
      cards,
      clock: systemClock,
      logger: real.logger,
      evidence: createGraphReportEvidence(graph, overrides.auditPageSize ? { pageSize: overrides.auditPageSize } : {}),
      progressIntervalMs: 100,
      ...overrides,
    });
    return { graph, storage, messenger, cards, reporter };
  }

  it("counts equal the generator's truth exactly at 2,000 users (every generated user judged as it should be)", async () => {
    let auditReads = 0;
    let methodReads = 0;
    const { storage, cards, reporter } = await setup(
      { extraUsers: 2000, seed: 7 },
      {
        wrap: (g) => ({
          ...g,
          request: (spec, budget) => {
            if (spec.path.startsWith('/auditLogs/directoryAudits')) auditReads += 1;
            if (spec.path === '/$batch') methodReads += Array.isArray(budget) ? budget.length : 1;
            return g.request(spec, budget);
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    assert.equal(started.kind, 'started');
    if (started.kind !== 'started') return;
    await reporter.idle();
    assert.equal((await readReportJob(storage, started.jobId))?.state, 'done');

    const rows = await rowsOf(storage, started.jobId);
    assert.equal(rows.length, demo.state.users.size, 'one row per user');
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
    const truth = new Map<MfaTruth, number>();
    const judged = new Map<string, number>();
    const wrong: string[] = [];
    for (const row of rows) {
      const expected = mfaTruth(demo.state, row.id);
      if (expected === undefined) continue;
      truth.set(expected, (truth.get(expected) ?? 0) + 1);
      judged.set(row.category, (judged.get(row.category) ?? 0) + 1);
      if (row.category !== expected) wrong.push(`${row.upn}: ${row.category}, expected ${expected}`);
    }
    assert.deepEqual(wrong.slice(0, 10), []);
    assert.deepEqual(Object.fromEntries([...judged].sort()), Object.fromEntries([...truth].sort()));
    // The mix has every kind, so the test would notice a kind the report never produces.
    for (const kind of [
      'usable',
      'registered-not-usable',
      'not-registered',
      'cant-tell',
      'guest',
      'disabled',
      'unlicensed',
    ])
      assert.ok((truth.get(kind as MfaTruth) ?? 0) > 0, `the generator made no ${kind} user`);

    // The result card's counts are the rows' counts.
    const result = cards.results.at(-1);
    assert.ok(result);
    const byCategory = new Map<string, number>();
    for (const r of rows) byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + 1);
    for (const [category, n] of byCategory) assert.equal(result.byCategory[category as ReportRow['category']], n);
    assert.ok(result.adminsNotUsable > 0, 'some generated admins have no usable MFA');
    assert.ok(result.admins.every((a) => rows.find((r) => r.id === a.id)?.admin === true));
    assert.ok(result.caWouldFail > 0 && result.caWouldFail <= result.caTargeted);
    assert.ok(result.byMethod.sms.notUsable > 0 && result.byMethod.fido2.notUsable > 0);

    // One tenant-wide audit query (a page or two), never one per user; methods only for judged users.
    assert.ok(auditReads >= 1 && auditReads <= 3, `audit reads: ${auditReads}`);
    const apart =
      (byCategory.get('guest') ?? 0) + (byCategory.get('disabled') ?? 0) + (byCategory.get('unlicensed') ?? 0);
    assert.ok(methodReads >= rows.length - apart && methodReads < rows.length - apart + 20, `methods: ${methodReads}`);

    // The CSV has one line per user.
    let lines = 0;
    for await (const chunk of reportCsvLines(storage, started.jobId)) lines += chunk.split('\r\n').length - 1;
    assert.equal(lines, rows.length + 1);
    const card = JSON.stringify(mfaReportCard(result));
    assert.ok(card.includes('"Chart.Donut"') && card.includes('"Chart.HorizontalBar"'));
    assert.ok(visibleLines(mfaReportCard(result)).some((l) => l.includes('Admins whose MFA is not usable')));
  });

  it('reads the whole audit evidence before the registration report (they share the reports class)', async () => {
    // Every judgement waits for all of the evidence: read side by side, the two page chains took the reports slots in
    // turn and the evidence came in at half the rate while the method reads stood still.
    const reads: { kind: 'audit' | 'registration'; sent: number; answered: number }[] = [];
    let t = 0;
    const { storage, reporter } = await setup(
      { extraUsers: 2000, seed: 7, limits: { reportsPerWindow: 1000 } },
      {
        // Small audit pages, so the evidence is a chain of several pages as at 50,000 users.
        auditPageSize: 100,
        clientLimits: { reports: { requests: 1000, windowMs: 10_000 } },
        wrap: (g) => ({
          ...g,
          request: async (spec, budget) => {
            const kind = spec.path.startsWith('/auditLogs/directoryAudits')
              ? 'audit'
              : spec.path.startsWith('/reports/authenticationMethods/userRegistrationDetails')
                ? 'registration'
                : null;
            const sent = (t += 1);
            const res = await g.request(spec, budget);
            if (kind) reads.push({ kind, sent, answered: (t += 1) });
            return res;
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await reporter.idle();
    assert.equal((await readReportJob(storage, started.jobId))?.state, 'done');
    const audit = reads.filter((r) => r.kind === 'audit');
    const registration = reads.filter((r) => r.kind === 'registration');
    assert.ok(audit.length >= 3, `audit pages: ${audit.length}`);
    assert.ok(registration.length >= 3, `registration pages: ${registration.length}`);
    const lastAudit = Math.max(...audit.map((r) => r.answered));
    assert.ok(
      registration.every((r) => r.sent > lastAudit),
      'no registration page is asked for before the last audit page is answered',
    );
  });

  it('reads users and their methods from the start, before the policies and targeted groups are in', async () => {
    // Only judging needs the policies; the identity bucket is full at the start and waiting on them wastes it.
    // The policies' $batch is held until a methods $batch has gone out (or 20 s, a loaded machine's worst, so the old
    // order fails rather than hangs).
    let methodsWhileHeld = false;
    let release: () => void = () => undefined;
    const seenMethods = new Promise<void>((resolve) => (release = resolve));
    const { storage, reporter } = await setup(
      { extraUsers: 300, seed: 3 },
      {
        wrap: (g) => ({
          ...g,
          request: async (spec, budget) => {
            if (spec.path === '/$batch') {
              const urls = (spec.body as { requests: { url: string }[] }).requests.map((r) => r.url);
              if (urls.some((u) => u.includes('/authentication/methods'))) release();
              if (urls.some((u) => u.includes('authenticationMethodsPolicy'))) {
                let timer: NodeJS.Timeout | undefined;
                const timeout = new Promise<'timeout'>(
                  (resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)),
                );
                methodsWhileHeld = (await Promise.race([seenMethods.then(() => 'seen' as const), timeout])) === 'seen';
                clearTimeout(timer);
              }
            }
            return g.request(spec, budget);
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await reporter.idle();
    assert.equal((await readReportJob(storage, started.jobId))?.state, 'done');
    assert.ok(methodsWhileHeld, 'a methods $batch went out while the policies were still being read');
    assert.equal((await rowsOf(storage, started.jobId)).length, demo.state.users.size);
  });

  it('a 403 on the policies stops it and names the permission (they are read alongside the users now)', async () => {
    const { storage, reporter } = await setup(
      { extraUsers: 0, seed: 3 },
      {
        wrap: (g) => ({
          ...g,
          request: (spec, budget) => {
            const body = spec.body as { requests?: { url: string }[] } | undefined;
            if (spec.path === '/$batch' && body?.requests?.some((r) => r.url.includes('authenticationMethodsPolicy')))
              return Promise.reject(
                new CodedError('graph_forbidden', 'forbidden', { permission: 'Policy.Read.All', status: 403 }),
              );
            return g.request(spec, budget);
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await reporter.idle();
    const job = await readReportJob(storage, started.jobId);
    assert.equal(job?.state, 'failed');
    assert.deepEqual(job?.failure, { code: 'graph_forbidden', permission: 'Policy.Read.All' });
  });

  /**
   * The test tenant's Graph seen through a wrapper that pages users 100 at a time, counts each user's methods reads
   * per phase (before / after the restart), and can hold one read until the run's signal aborts it: the users page
   * `usersPage` (so exactly the pages before it can be stored), or the first methods `$batch` (so page 1 never completes).
   */
  function gated(real: GraphClient, hold: { usersPage: number } | { firstBatch: true }) {
    const methodReads = new Map<string, number[]>();
    let phase = 0;
    let usersPages = 0;
    let held = false;
    const never = (signal: AbortSignal | undefined) =>
      new Promise<never>((_resolve, reject) => {
        held = true;
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    const graph: GraphClient = {
      ...real,
      request: (spec, budget) => {
        if (spec.path.startsWith('/users?')) {
          usersPages += 1;
          if (phase === 0 && 'usersPage' in hold && usersPages === hold.usersPage) return never(spec.signal);
          return real.request({ ...spec, path: spec.path.replace(/(\$|%24)top=999/, '$1top=100') }, budget);
        }
        if (spec.path === '/$batch') {
          const { requests } = spec.body as { requests: { url: string }[] };
          const ids = requests
            .map((r) => /^\/users\/([^/]+)\/authentication\/methods/.exec(r.url)?.[1])
            .filter((id): id is string => id !== undefined)
            .map((id) => decodeURIComponent(id).toLowerCase());
          for (const id of ids) {
            const counts = methodReads.get(id) ?? [0, 0];
            counts[phase] = (counts[phase] ?? 0) + 1;
            methodReads.set(id, counts);
          }
          if (phase === 0 && 'firstBatch' in hold && ids.length > 0 && !held) return never(spec.signal);
        }
        return real.request(spec, budget);
      },
    };
    return {
      graph,
      held: () => held,
      restart: () => {
        phase = 1;
      },
      judgedAgain: (ids: Iterable<string>) => [...ids].filter((id) => (methodReads.get(id)?.[1] ?? 0) > 0),
    };
  }

  /** Stops a run at a held read (as a shutdown would), resumes it in a new reporter, and checks every user once. */
  async function stopAndResume(
    hold: { usersPage: number } | { firstBatch: true },
    stopWhen: (storage: Storage, jobId: string) => Promise<boolean>,
  ): Promise<{ before: ReportRow[]; checkpoint: ReportJob['checkpoint'] }> {
    let gate: ReturnType<typeof gated> | null = null;
    const first = await setup(
      { extraUsers: 600, seed: 11 },
      {
        chunkSize: 20,
        progressIntervalMs: 20,
        wrap: (g) => {
          gate = gated(g, hold);
          return gate.graph;
        },
      },
    );
    const g = gate as unknown as ReturnType<typeof gated>;
    const started = await first.reporter.start({
      scope: { kind: 'all' },
      requester: REQUESTER,
      conversation: CONVERSATION,
    });
    if (started.kind !== 'started') return assert.fail('not started');
    const deadline = Date.now() + 60_000;
    while (!(g.held() && (await stopWhen(first.storage, started.jobId)))) {
      if (Date.now() > deadline) assert.fail('the stop point was never reached');
      await systemClock.sleep(10);
    }
    await first.reporter.shutdown();
    const stopped = await readReportJob(first.storage, started.jobId);
    assert.equal(stopped?.state, 'running', 'a shutdown leaves the report resumable');
    const before = await rowsOf(first.storage, started.jobId);
    assert.ok(before.length > 0 && before.length < demo.state.users.size, `rows before the restart: ${before.length}`);

    g.restart();
    const second = createMfaReporter({
      graph: first.graph,
      storage: first.storage,
      messenger: new RecordingMessenger(),
      cards: first.cards,
      clock: systemClock,
      logger: first.graph.logger,
      evidence: createGraphReportEvidence(first.graph),
      leaseTtlMs: 200,
    });
    assert.equal(await second.resumeOnBoot(), true);
    await second.idle();
    assert.equal((await readReportJob(first.storage, started.jobId))?.state, 'done');
    const rows = await rowsOf(first.storage, started.jobId);
    const users = [...demo.state.users.values()].map((u) => u.id.toLowerCase()).sort();
    assert.deepEqual(rows.map((r) => r.id).sort(), users, 'every user exactly once: none lost, none twice');
    assert.deepEqual(g.judgedAgain(before.map((r) => r.id)), [], 'no user with a stored row is judged again');
    const wrong = rows.filter((r) => {
      const t = mfaTruth(demo.state, r.id);
      return t !== undefined && t !== r.category;
    });
    assert.deepEqual(wrong.slice(0, 5), []);
    // The result after the restart counts the rows stored before it too.
    assert.equal(first.cards.results.at(-1)?.done, rows.length);
    return { before, checkpoint: stopped?.checkpoint ?? null };
  }

  it('resumes from its checkpoint after the process stops, and every user still has exactly one row', async () => {
    // Page 3 of users never answers before the stop: exactly pages 1 and 2 (100 users each) can be stored.
    const { before, checkpoint } = await stopAndResume(
      { usersPage: 3 },
      async (storage, jobId) => (await readReportJob(storage, jobId))?.checkpoint?.seq === 2,
    );
    assert.equal(checkpoint?.seq, 2, 'stopped with exactly two pages stored');
    assert.equal(before.length, 200, 'the rows of pages 1 and 2, and no others');
  });

  it('resumes without duplicates when it stopped before its first page was complete (rows, no checkpoint yet)', async () => {
    // The first methods $batch of page 1 never answers before the stop: the page's other users are stored.
    const { checkpoint } = await stopAndResume(
      { firstBatch: true },
      async (storage, jobId) => (await rowsOf(storage, jobId)).length >= 40,
    );
    assert.equal(checkpoint, null, 'no page was complete');
  });

  it('a 403 on the methods read stops it and names the permission', async () => {
    const { storage, cards, reporter } = await setup(
      { extraUsers: 50 },
      {
        wrap: (g) => ({
          ...g,
          // Graph's answer inside a $batch when the app lacks the permission: each item 403 with its error body.
          request: async (spec, budget) => {
            if (spec.path !== '/$batch') return g.request(spec, budget);
            const { requests } = spec.body as { requests: { id: string; url: string }[] };
            if (!requests.some((r) => r.url.includes('/authentication/methods'))) return g.request(spec, budget);
            return {
              status: 200,
              headers: {},
              body: {
                responses: requests.map((r) => ({
                  id: r.id,
                  status: 403,
                  headers: { 'content-type': 'application/json' },
                  body: {
                    error: {
                      code: 'Authorization_RequestDenied',
                      message: 'Insufficient privileges to complete the operation.',
                    },
                  },
                })),
              },
            };
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await reporter.idle();
    const job = await readReportJob(storage, started.jobId);
    assert.equal(job?.state, 'failed');
    assert.deepEqual(job?.failure, { code: 'graph_forbidden', permission: 'UserAuthenticationMethod.Read.All' });
    const last = cards.results.at(-1);
    assert.ok(last);
    assert.match(visibleLines(mfaReportCard(last)).join('\n'), /Grant the app UserAuthenticationMethod\.Read\.All/);
  });

  it('429s slow it down without losing a user', async () => {
    // The tenant allows 60 resource units per (shortened) window while the client assumes 3,500: most items 429.
    let throttled = 0;
    const { storage, reporter } = await setup(
      { extraUsers: 300, timeFactor: 0.05, limits: { identityUnitsPerWindow: 60 } },
      {
        wrap: (g) => ({
          ...g,
          request: async (spec, budget) => {
            const res = await g.request(spec, budget);
            if (spec.path === '/$batch') {
              const body = res.body as { responses?: { status: number }[] };
              throttled += (body.responses ?? []).filter((r) => r.status === 429).length;
            }
            return res;
          },
        }),
      },
    );
    const started = await reporter.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (started.kind !== 'started') return assert.fail('not started');
    await reporter.idle();
    assert.equal((await readReportJob(storage, started.jobId))?.state, 'done');
    const rows = await rowsOf(storage, started.jobId);
    assert.equal(rows.length, demo.state.users.size);
    assert.equal(rows.filter((r) => r.category === 'error').length, 0, 'no user lost to throttling');
    assert.ok(throttled > 0, 'the tenant did throttle');
  });
});
