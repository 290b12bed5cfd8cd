import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GRAPH_TOKEN } from '../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../demo/server';
import { POLLER_LEASE_KEY } from '../../services/alerts/poller';
import { createSqliteStorage } from '../../services/storage/sqlite-storage';
import { demoMessage, postActivity, startBotProcess, type BotProcess } from '../support/bot-process';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { repoRoot } from '../support/production-build';

const WORKER_LEASE_KEY = 'approvals/worker-lease';
const LATENCY_MS = 2_000;

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// issue 11: SIGTERM → /readyz 503 at once, new turns 503, the turn in flight answers, leases released, exit 0.
describe('shutdown: SIGTERM to the real bot process with a turn in flight', function () {
  this.timeout(90_000);
  let dir: string;
  let tenant: DemoTenant;
  let connector: FakeConnector;
  let bot: BotProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-shutdown-'));
    // Every Graph request takes 2 s, so a `user` turn is still running when the signal arrives.
    tenant = await startDemoTenant({ requireToken: DEMO_GRAPH_TOKEN, latencyMs: LATENCY_MS });
    connector = await startFakeConnector();
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await tenant?.close();
    await connector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drains the slow turn, refuses new work with 503, releases the leases and exits 0', async () => {
    const db = join(dir, 'secbot.db');
    bot = await startBotProcess({
      args: ['--import', 'tsx', 'bot/main.ts'],
      cwd: repoRoot,
      env: { DEMO_GRAPH_PORT: String(tenant.port), STORAGE_URL: `sqlite:${db}`, SHUTDOWN_GRACE_SECONDS: '15' },
      timeoutMs: 60_000,
    });
    const url = bot.url;
    const store = createSqliteStorage(db);
    try {
      // Both leases are held before the signal: the approval worker's at once, the poller's after its first poll.
      await waitFor(
        async () =>
          (await store.get(WORKER_LEASE_KEY)) !== undefined && (await store.get(POLLER_LEASE_KEY)) !== undefined,
        30_000,
        'the approval worker and alert poller leases',
      );

      const before = tenant.stats().requests;
      const slow = postActivity(url, demoMessage(connector.serviceUrl, 'user meganb@example.com'));
      // The turn has reached Graph (and has 2 s to wait for its answer) when the signal comes.
      await waitFor(() => Promise.resolve(tenant.stats().requests > before), 5_000, 'the turn to call Graph');
      const signalled = Date.now();
      bot.child.kill('SIGTERM');

      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 503, 2_000, '/readyz 503');
      assert.ok(Date.now() - signalled < 2_000, '/readyz turns 503 at once');
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'liveness stays green while draining');
      const refused = await postActivity(url, demoMessage(connector.serviceUrl, 'help'));
      assert.equal(refused.status, 503, 'a new turn is refused');

      assert.equal((await slow).status, 200, 'the turn in flight finished');
      const replies = await connector.waitForRequests(1, 10_000);
      assert.match(JSON.stringify(replies.map((r) => r.body)), /Megan Bowen/, 'its answer reached Teams');
      assert.equal(await bot.exited, 0, bot.output());
      assert.ok(Date.now() - signalled < 15_000, 'within SHUTDOWN_GRACE_SECONDS');
      assert.equal(connector.requests.length, replies.length, 'the refused turn sent nothing');

      assert.equal(await store.get(WORKER_LEASE_KEY), undefined, 'approval worker lease released');
      assert.equal(await store.get(POLLER_LEASE_KEY), undefined, 'alert poller lease released');
    } finally {
      await store.close();
    }
  });
});
