import assert from 'node:assert/strict';
import { join } from 'node:path';
import { POLLER_LEASE_KEY } from '../../services/alerts/poller';
import { createSqliteStorage } from '../../services/storage/sqlite-storage';
import { demoMessage, postActivity, startBotProcess, useBotProcessFixture, waitFor } from '../support/bot-process';
import { repoRoot } from '../support/production-build';

const WORKER_LEASE_KEY = 'approvals/worker-lease';

// issue 11: SIGTERM → /readyz 503 at once, new turns 503, the turn in flight answers, leases released, exit 0.
describe('shutdown: SIGTERM to the real bot process with a turn in flight', function () {
  this.timeout(90_000);
  // Every Graph request takes 2 s, so a `user` turn is still running when the signal arrives.
  const f = useBotProcessFixture({ latencyMs: 2_000 });

  it('drains the slow turn, refuses new work with 503, releases the leases and exits 0', async () => {
    const { tenant, connector } = f;
    const db = join(f.dir, 'secbot.db');
    const bot = (f.bot = await startBotProcess({
      args: ['--import', 'tsx', 'bot/main.ts'],
      cwd: repoRoot,
      env: { DEMO_GRAPH_PORT: String(tenant.port), STORAGE_URL: `sqlite:${db}`, SHUTDOWN_GRACE_SECONDS: '15' },
      timeoutMs: 60_000,
    }));
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
      await waitFor(() => tenant.stats().requests > before, 5_000, 'the turn to call Graph');
      const signalled = Date.now();
      bot.child.kill('SIGTERM');

      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 503, 2_000, '/readyz 503');
      assert.ok(Date.now() - signalled < 2_000, '/readyz turns 503 at once');
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'liveness stays green while draining');
      const refused = await postActivity(url, demoMessage(connector.serviceUrl, 'help'));
      assert.equal(refused.status, 503, 'a new turn is refused');

      assert.equal((await slow).status, 200, 'the turn in flight finished');
      // The turn may answer Teams early ("working on it") and deliver its card from the background; both count.
      await waitFor(
        () => /Megan Bowen/.test(JSON.stringify(connector.requests.map((r) => r.body))),
        10_000,
        'its answer to reach Teams',
      );
      const replies = [...connector.requests];
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
