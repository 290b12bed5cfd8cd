import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../demo/audit';
import { DEMO_BOT_ID, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../demo/server';
import { createAuditLog } from '../../services/audit/audit-log';
import { systemClock } from '../../services/clock';
import { readChunks, readJob, SWEEP_ACTIVE_KEY } from '../../services/mailbox/sweep-store';
import { openStorage } from '../../services/storage/open-storage';
import type { Storage } from '../../services/storage/port';
import { useAzurite } from '../support/azurite';
import { startBotProcess, waitFor, type BotProcess } from '../support/bot-process';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const ALEX = PLAYGROUND_USERS[0];
const POLL_SECONDS = 1;
const LEASE_SECONDS = 3;
const channel = (name: string) => ({
  id: `19:${name}@thread.tacv2`,
  conversationType: 'channel',
  tenantId: DEMO_TENANT_ID,
});

// Issue 11: two real bot processes on one Azurite container, activities alternating between them.
describe('e2e: two bot instances on one Azure Blob store', function () {
  this.timeout(150_000);
  const azurite = useAzurite();
  let tenant: DemoTenant;
  let connector: FakeConnector;
  let storage: Storage;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];
  let commands = 0;

  const say = async (bot: BotProcess, text: string, conversation: Record<string, unknown>): Promise<void> => {
    commands++;
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `act-${randomBytes(6).toString('hex')}`,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        text,
        from: { id: ALEX.playgroundId, name: ALEX.displayName, aadObjectId: ALEX.aadObjectId },
        recipient: { id: DEMO_BOT_ID, name: 'SecOps Bot' },
        conversation,
        channelData: { tenant: { id: DEMO_TENANT_ID } },
      }),
    });
    assert.ok(res.status < 300, `${text} → ${res.status}`);
  };
  const personal = { id: `personal-${ALEX.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID };
  // New messages only: an alert card is later updated in place (the user's "was this you?" answer), which is no repeat.
  const posts = (conversationId: string, fragment: string): number =>
    connector.requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path.includes(encodeURIComponent(conversationId)) &&
        JSON.stringify(r.body).includes(fragment),
    ).length;
  const startBot = async (): Promise<BotProcess> => {
    const bot = await startBotProcess({ args: ['--import', 'tsx', 'bot/main.ts'], env });
    bots.push(bot);
    return bot;
  };
  // The poller names its instance `${pid}-…` in the lease.
  const holdsPollerLease = async (bot: BotProcess): Promise<boolean> =>
    (await storage.get<{ owner: string }>('alerts/lease/poller'))?.value.owner.startsWith(`${bot.child.pid}-`) === true;
  const alive = (): BotProcess[] => bots.filter((b) => b.child.exitCode === null && b.child.signalCode === null);

  before(async function () {
    this.timeout(120_000);
    // 600 mailboxes at 20 ms each through Outlook's 4-at-a-time limit: a sweep of a few seconds to interrupt.
    tenant = await startDemoTenant({ port: 0, extraUsers: 600, latencyMs: 20 });
    connector = await startFakeConnector();
    const container = `two-${randomBytes(6).toString('hex')}`;
    env = {
      DEMO_GRAPH_PORT: String(tenant.port),
      STORAGE_URL: `azure-blob:${container}`,
      AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString(),
      ALERT_POLL_SECONDS: String(POLL_SECONDS),
      LEASE_SECONDS: String(LEASE_SECONDS),
      CALLER_RATE_PER_MINUTE: '1000',
    };
    storage = openStorage(env.STORAGE_URL ?? '', { azure: env });
    // The first instance takes the poller and delivery leases before the second starts, so one SIGKILL (of the
    // first) takes away a poller, a deliverer and, later, a running sweep at once.
    const first = await startBot();
    await waitFor(() => holdsPollerLease(first), 20_000, 'the first instance to take the poller lease');
    await startBot();
  });

  after(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await storage?.close();
    await connector?.close();
    await tenant?.close();
  });

  it('keeps one verifiable audit chain while both append at once', async () => {
    const [a, b] = alive();
    assert.ok(a && b);
    await Promise.all(Array.from({ length: 24 }, (_, i) => say(i % 2 ? a : b, 'help', personal)));
    await waitFor(() => posts(personal.id, 'help') >= 24, 20_000, '24 help cards');
    const chain = await createAuditLog(storage, systemClock).verify();
    assert.deepEqual(chain.ok, true, JSON.stringify(chain));
    const records = await createAuditLog(storage, systemClock).list();
    assert.equal(records.filter((r) => r.action.startsWith('command:')).length, commands, 'no record lost');
    assert.equal(new Set(records.map((r) => r.id)).size, records.length, 'no record written twice');
  });

  it('SIGKILL of the instance that polls, delivers and sweeps: the other takes over all three', async () => {
    const [a, b] = alive();
    assert.ok(a && b);
    const [x, y] = [channel(`x${randomBytes(3).toString('hex')}`), channel(`y${randomBytes(3).toString('hex')}`)];
    await say(a, 'alerts on', x);
    await say(b, 'alerts on', y);
    await waitFor(() => posts(x.id, 'Alerts are on') > 0 && posts(y.id, 'Alerts are on') > 0, 20_000, 'subscriptions');
    const [first, second] = [...tenant.state.users.values()].slice(0, 2);
    assert.ok(first && second);
    const emit = (user: typeof first): void => {
      appendAudit(tenant.state, {
        activityDisplayName: 'User registered security info',
        loggedByService: 'Authentication Methods',
        resultReason: 'User registered Mobile Phone SMS',
        correlationId: randomBytes(8).toString('hex'),
        at: Date.now(),
        initiatedBy: { kind: 'user', user, ipAddress: '203.0.113.9' },
        target: user,
        operationType: 'Add',
      });
    };
    const delivered = (upn: string): boolean => posts(x.id, upn) >= 1 && posts(y.id, upn) >= 1;
    emit(first);
    await waitFor(() => delivered(first.userPrincipalName), 20_000, 'the first alert');

    // One sweep per tenant: the request to the other instance is refused while a's runs.
    await say(a, 'sweep forwarding', personal);
    let job = '';
    await waitFor(
      async () => (job = (await storage.get<{ jobId: string }>(SWEEP_ACTIVE_KEY))?.value.jobId ?? '') !== '',
      20_000,
      'the sweep to start',
    );
    await say(b, 'sweep forwarding', personal);
    await waitFor(() => posts(personal.id, 'already running') > 0, 20_000, 'the second sweep refused');
    let recorded = 0;
    await waitFor(
      async () => {
        recorded = 0;
        for await (const { chunk } of readChunks(storage, job)) recorded += chunk.rows.length;
        return recorded >= 100;
      },
      30_000,
      'some sweep results before the kill',
    );

    await a.stop('SIGKILL');
    const killedAt = Date.now();
    emit(second);
    await waitFor(() => holdsPollerLease(b), 20_000, 'the other instance to take the poller lease');
    const takeover = Date.now() - killedAt;
    // The lease lapses at most one lease period after a's last renewal; b tries at each of its polls.
    const leaseMs = Math.max(3 * POLL_SECONDS, LEASE_SECONDS) * 1000;
    assert.ok(takeover <= leaseMs + POLL_SECONDS * 1000 + 1_500, `took over after ${takeover} ms`);
    await waitFor(() => delivered(second.userPrincipalName), 20_000, 'the second alert');

    await waitFor(
      async () => (await readJob(storage, job))?.state === 'done',
      60_000,
      'the other instance to finish the sweep',
    );
    const ids: string[] = [];
    for await (const { chunk } of readChunks(storage, job)) for (const row of chunk.rows) ids.push(row.id);
    const users = [...tenant.state.users.values()].map((u) => u.id.toLowerCase());
    assert.equal(ids.length, users.length, `one result per mailbox (${recorded} were recorded before the kill)`);
    assert.deepEqual(new Set(ids), new Set(users));

    // Every alert exactly once in each channel, also after a few more polls and delivery rounds.
    await new Promise((r) => setTimeout(r, 2 * POLL_SECONDS * 1000));
    for (const upn of [first.userPrincipalName, second.userPrincipalName])
      for (const c of [x, y]) assert.equal(posts(c.id, upn), 1, `${upn} in ${c.id}`);
    const chain = await createAuditLog(storage, systemClock).verify();
    assert.equal(chain.ok, true, JSON.stringify(chain));
  });
});
