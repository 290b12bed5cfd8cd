import assert from 'node:assert/strict';
import { mfaReportCard } from '../../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../../cards/mfa-report-progress.card';
import { mfaTruth, type MfaTruth } from '../../../demo/seed/mfa-mix';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createGraphClient, type GraphClient, type GraphLimits } from '../../../services/graph';
import { reportCsvLines } from '../../../services/identity/mfa-report/csv';
import { createGraphReportEvidence } from '../../../services/identity/mfa-report/evidence';
import { createMfaReporter, type MfaReporterDeps } from '../../../services/identity/mfa-report/reporter';
import { readReportChunks, readReportJob } from '../../../services/identity/mfa-report/store';
import type {
  ReportCards,
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

  async function stopAndResume(stopWhen: (storage: Storage, jobId: string) => Promise<boolean>): Promise<void> {
    const first = await setup(
      { extraUsers: 4000, seed: 11, latencyMs: 20 },
      { chunkSize: 100, progressIntervalMs: 50 },
    );
    const started = await first.reporter.start({
      scope: { kind: 'all' },
      requester: REQUESTER,
      conversation: CONVERSATION,
    });
    if (started.kind !== 'started') return assert.fail('not started');
    // Stop once some rows are stored and the checkpoint has passed a page: as a shutdown would, mid-run.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (await stopWhen(first.storage, started.jobId)) break;
    }
    await first.reporter.shutdown();
    const stopped = await readReportJob(first.storage, started.jobId);
    assert.equal(stopped?.state, 'running');
    const before = (await rowsOf(first.storage, started.jobId)).length;
    assert.ok(before > 0 && before < demo.state.users.size, `rows before the restart: ${before}`);

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
    assert.equal(rows.length, demo.state.users.size);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no user twice');
    const wrong = rows.filter((r) => {
      const t = mfaTruth(demo.state, r.id);
      return t !== undefined && t !== r.category;
    });
    assert.deepEqual(wrong.slice(0, 5), []);
    // The result after the restart counts the rows stored before it too.
    assert.equal(first.cards.results.at(-1)?.done, rows.length);
  }

  // Pending: on a quiet machine every page completes together once the tenant-wide evidence is read, so the checkpoint
  // is never seen past a page before the job is done and the stop condition never holds (it passed only under load).
  // The resume itself is covered by the next test; a deterministic stop point (a gated Graph read) is still to do.
  it.skip('resumes from its checkpoint after the process stops, and every user still has exactly one row', () =>
    stopAndResume(async (storage, jobId) => (await readReportJob(storage, jobId))?.checkpoint != null));

  it('resumes without duplicates when it stopped before its first page was complete (rows, no checkpoint yet)', () =>
    stopAndResume(async (storage, jobId) => (await rowsOf(storage, jobId)).length > 0));

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
