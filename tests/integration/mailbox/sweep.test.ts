import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import assert from 'node:assert/strict';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { visibleLines } from '../../support/cards';
import { systemClock } from '../../../services/clock';
import { createGraphClient, type GraphClient } from '../../../services/graph';
import { graphErrorFromResponse } from '../../../services/graph/errors';
import { createExchangeAdminReader } from '../../../services/mailbox/exchange-admin';
import { createCsvLinkSigner, sweepCsvLines } from '../../../services/mailbox/sweep-csv';
import { readChunks, readJob } from '../../../services/mailbox/sweep-store';
import type { ResultRow } from '../../../services/mailbox/sweep-types';
import { createSweeper, type SweeperDeps } from '../../../services/mailbox/sweeper';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { CONVERSATION, RecordingMessenger, recordingCards } from './sweep-harness';

const REQUESTER = { aadObjectId: 'op-1', name: 'Alex Wilber' };

async function rows(storage: Storage, jobId: string): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for await (const { chunk } of readChunks(storage, jobId)) out.push(...chunk.rows);
  return out;
}

function userCount(demo: DemoTenant): number {
  return demo.state.users.size;
}

describe('services/mailbox sweep (demo tenant over HTTP)', function () {
  this.timeout(60_000);
  let demo: DemoTenant;

  afterEach(async () => {
    await demo?.close();
  });

  function setup(
    options: Parameters<typeof startDemoTenant>[0],
    overrides: Partial<SweeperDeps> & { wrap?: (g: GraphClient) => GraphClient; withExchange?: boolean } = {},
  ) {
    return (async () => {
      demo = await startDemoTenant({ port: 0, ...options });
      const real = createGraphClient({
        baseUrl: demo.url,
        credential: { kind: 'static', token: 't' },
        limits: { backoffBaseMs: 20, backoffMaxMs: 200 },
      });
      const graph = overrides.wrap ? overrides.wrap(real) : real;
      const storage = createMemoryStorage();
      // Updates are stamped on the sweeper's own clock, the one its progress gate reads.
      const clock = overrides.clock ?? systemClock;
      const messenger = new RecordingMessenger(() => clock.now());
      const cards = recordingCards();
      const sweeper = createSweeper({
        graph,
        storage,
        messenger,
        cards,
        clock,
        logger: real.logger,
        progressIntervalMs: 100,
        ...(overrides.withExchange
          ? {
              exchange: createExchangeAdminReader(
                createExchangeAdminApi({
                  baseUrl: demo.url,
                  tenant: 'example.com',
                  tokens: { getToken: () => Promise.resolve('t') },
                }),
              ),
            }
          : {}),
        ...overrides,
      });
      return { graph, storage, messenger, cards, sweeper };
    })();
  }

  it('checks every user exactly once, judges the seeded scenarios, updates progress at a bounded rate', async () => {
    const { storage, messenger, cards, sweeper } = await setup(
      { extraUsers: 400, latencyMs: 3 },
      { withExchange: true },
    );
    const started = Date.now();
    const result = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    assert.equal(result.kind, 'started');
    if (result.kind !== 'started') return;
    await sweeper.idle();
    const elapsed = Date.now() - started;

    const job = await readJob(storage, result.jobId);
    assert.equal(job?.state, 'done');
    const all = await rows(storage, result.jobId);
    assert.equal(all.length, userCount(demo));
    assert.equal(new Set(all.map((r) => r.id)).size, all.length, 'one row per user');
    const byUpn = new Map(all.map((r) => [r.upn, r]));
    assert.equal(byUpn.get('forwarder@example.com')?.severity, 'high');
    assert.equal(byUpn.get('hider@example.com')?.severity, 'high');
    assert.equal(byUpn.get('markdown@example.com')?.severity, 'high');
    assert.equal(byUpn.get('nomailbox@example.com')?.status, 'no-mailbox');
    assert.ok(!all.some((r) => r.status === 'error'));

    // Bounded rate: at most one update per interval (plus the final one), far fewer than one per mailbox.
    const updates = messenger.updates.map((u) => u.at);
    assert.ok(updates.length >= 2, `expected progress updates, got ${updates.length}`);
    assert.ok(updates.length <= elapsed / 100 + 2, `${updates.length} updates in ${elapsed} ms`);
    assert.ok(
      updates.length < all.length / 10,
      `${updates.length} updates for ${all.length} mailboxes in ${elapsed} ms`,
    );
    // On the sweeper's clock no two progress updates are closer than the interval (100 ms; the millisecond may tick
    // between the gate's reading and the send's), whatever the machine's load; the final update comes when it ends.
    const gaps = updates.map((u, i) => u - (updates[i - 1] ?? u));
    for (let i = 1; i < updates.length - 1; i += 1) assert.ok((gaps[i] ?? 0) >= 99, `gaps ${gaps.join(',')}`);
    assert.ok(
      cards.progressViews.some((v) => v.done > 0 && v.done < all.length),
      'an intermediate count was shown',
    );

    const summary = cards.summaries[0];
    assert.ok(summary);
    assert.equal(summary.done, all.length);
    assert.ok(summary.findingsBySeverity.high >= 3);
    assert.ok(summary.topDomains.some((d) => d.domain === 'personal-mail.example.org'));
    assert.equal(messenger.sent.length, 2, 'the first progress card and the summary');
  });

  it('a group sweep covers its transitive user members only, once each', async () => {
    const { storage, cards, sweeper } = await setup({ extraUsers: 50 });
    const ids = (upns: string[]) =>
      upns.map((u) => [...demo.state.users.values()].find((x) => x.userPrincipalName === u)?.id ?? '');
    const inner = '11111111-1111-4111-8111-111111111111';
    const outer = '22222222-2222-4222-8222-222222222222';
    const group = (id: string, members: string[]) => ({
      id,
      displayName: id,
      description: null,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      members: new Set(members),
    });
    demo.state.groups.set(inner, group(inner, ids(['hider@example.com', 'forwarder@example.com'])));
    demo.state.groups.set(outer, group(outer, [...ids(['forwarder@example.com', 'nomailbox@example.com']), inner]));
    const result = await sweeper.start({
      scope: { kind: 'group', groupId: outer },
      requester: REQUESTER,
      conversation: CONVERSATION,
    });
    if (result.kind !== 'started') assert.fail('not started');
    await sweeper.idle();
    const all = await rows(storage, result.jobId);
    assert.deepEqual(all.map((r) => r.upn).sort(), [
      'forwarder@example.com',
      'hider@example.com',
      'nomailbox@example.com',
    ]);
    assert.equal(cards.summaries[0]?.total, 3);
  });

  it('a sweep left running by a stopped bot is taken over by the next request, which is told it is running', async () => {
    const first = await setup({ extraUsers: 600, latencyMs: 5 });
    const started = await first.sweeper.start({
      scope: { kind: 'all' },
      requester: REQUESTER,
      conversation: CONVERSATION,
    });
    if (started.kind !== 'started') assert.fail('not started');
    while ((demo.stats().byClass.outlook ?? 0) < 100) await systemClock.sleep(10);
    await first.sweeper.shutdown();
    assert.equal((await readJob(first.storage, started.jobId))?.state, 'running', 'shutdown leaves it resumable');
    const other = createSweeper({
      graph: first.graph,
      storage: first.storage,
      messenger: first.messenger,
      cards: first.cards,
      clock: systemClock,
      logger: first.graph.logger,
      progressIntervalMs: 100,
    });
    const again = await other.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'op-2', name: 'Adele' },
      conversation: CONVERSATION,
    });
    assert.equal(again.kind, 'already-running');
    const deadline = Date.now() + 30_000;
    while ((await readJob(first.storage, started.jobId))?.state === 'running' && Date.now() < deadline)
      await systemClock.sleep(20);
    await other.idle();
    assert.equal((await readJob(first.storage, started.jobId))?.state, 'done');
    const all = await rows(first.storage, started.jobId);
    assert.equal(all.length, userCount(demo));
    assert.equal(new Set(all.map((r) => r.id)).size, all.length);
  });

  it('says a sweep is already running, and who started it', async () => {
    const { sweeper } = await setup({ extraUsers: 200, latencyMs: 5 });
    const first = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    const second = await sweeper.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'op-2', name: 'Adele' },
      conversation: CONVERSATION,
    });
    assert.equal(second.kind, 'already-running');
    if (second.kind === 'already-running' && first.kind === 'started') {
      assert.equal(second.view.jobId, first.jobId);
      assert.equal(second.view.requesterName, 'Alex Wilber');
    }
    await sweeper.idle();
  });

  it('cancel stops it: no more mailbox reads, state cancelled, summary of what was checked', async () => {
    const { storage, cards, sweeper } = await setup({ extraUsers: 2000, latencyMs: 10 });
    const result = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    assert.equal(result.kind, 'started');
    if (result.kind !== 'started') return;
    while ((demo.stats().byClass.outlook ?? 0) < 40) await systemClock.sleep(10);
    assert.equal((await sweeper.cancel(result.jobId, REQUESTER)).kind, 'cancelling');
    await sweeper.idle();
    // Requests already on the wire when the cancel came may still reach the tenant; nothing new starts after that.
    await systemClock.sleep(50);
    const after = demo.stats().byClass.outlook ?? 0;
    await systemClock.sleep(300);
    assert.ok(after < userCount(demo) / 2, `outlook reads ${after}`);
    assert.equal(demo.stats().byClass.outlook ?? 0, after, 'no Outlook reads after the sweep stopped');
    const job = await readJob(storage, result.jobId);
    assert.equal(job?.state, 'cancelled');
    assert.equal(job?.cancelledBy, 'Alex Wilber');
    const done = (await rows(storage, result.jobId)).length;
    assert.ok(done > 0 && done < userCount(demo), `done ${done}`);
    assert.equal(cards.summaries[0]?.state, 'cancelled');
    assert.equal(cards.summaries[0]?.done, done);
    assert.equal((await sweeper.cancel(result.jobId, REQUESTER)).kind, 'not-running');
  });

  it('a 403 stops the sweep and names the missing permission', async () => {
    const { storage, cards, sweeper } = await setup(
      { extraUsers: 50 },
      {
        wrap: (g) => ({
          ...g,
          request: (spec, budget) =>
            spec.path.includes('/messageRules')
              ? Promise.reject(
                  graphErrorFromResponse(
                    {
                      status: 403,
                      headers: {},
                      body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } },
                    },
                    spec,
                  ),
                )
              : g.request(spec, budget),
        }),
      },
    );
    const result = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (result.kind !== 'started') assert.fail('not started');
    await sweeper.idle();
    const job = await readJob(storage, result.jobId);
    assert.equal(job?.state, 'failed');
    assert.deepEqual(job?.failure, { code: 'graph_forbidden', permission: 'MailboxSettings.Read' });
    const text = visibleLines(cards.summaries[0] ? cards.summary(cards.summaries[0]) : {}).join('\n');
    assert.match(text, /Grant the app MailboxSettings\.Read/);
  });

  it('a 429 storm slows it down without losing a mailbox', async () => {
    // The tenant allows 1 Outlook request at a time while the client sends 4: most requests are throttled at first.
    const { storage, sweeper } = await setup({
      extraUsers: 60,
      latencyMs: 100,
      timeFactor: 0.05,
      limits: { outlookConcurrent: 1 },
    });
    const result = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (result.kind !== 'started') assert.fail('not started');
    await sweeper.idle();
    assert.ok(demo.stats().throttled > 20, `throttled ${demo.stats().throttled}`);
    const all = await rows(storage, result.jobId);
    assert.equal(all.length, userCount(demo));
    assert.equal(new Set(all.map((r) => r.id)).size, all.length);
    assert.deepEqual(
      all.filter((r) => r.status === 'error').map((r) => r.upn),
      [],
    );
    assert.equal((await readJob(storage, result.jobId))?.state, 'done');
  });

  it('the CSV lists every finding, neutralises formulas, and needs a valid link', async () => {
    const { storage, sweeper } = await setup({ extraUsers: 100 });
    const result = await sweeper.start({ scope: { kind: 'all' }, requester: REQUESTER, conversation: CONVERSATION });
    if (result.kind !== 'started') assert.fail('not started');
    await sweeper.idle();
    let csv = '';
    for await (const part of sweepCsvLines(storage, result.jobId)) csv += part;
    assert.match(csv, /^userPrincipalName,userId,status/);
    assert.match(csv, /"forwarder@example\.com",.*"high","forward-external".*billing-collector\.example\.org/);
    assert.match(csv, /"\[Reset your password\]\(https:\/\/example\.org\/reset\)"/);

    const signer = createCsvLinkSigner(Buffer.alloc(32, 7), systemClock);
    const token = signer.sign(result.jobId, 'op-1', 60_000);
    assert.equal(signer.verify(token, result.jobId).ok, true);
    assert.deepEqual(signer.verify(token, '00000000-0000-4000-8000-000000000000'), { ok: false, reason: 'wrong-job' });
    assert.deepEqual(signer.verify(`${token}x`, result.jobId).ok, false);
    assert.deepEqual(signer.verify(signer.sign(result.jobId, 'op-1', -1), result.jobId), {
      ok: false,
      reason: 'expired',
    });
    const other = createCsvLinkSigner(Buffer.alloc(32, 8), systemClock);
    assert.deepEqual(other.verify(token, result.jobId), { ok: false, reason: 'bad-signature' });
  });
});
