import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_BOT_ID, DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../demo/server';
import { createAuditLog } from '../../services/audit/audit-log';
import { systemClock } from '../../services/clock';
import { openStorage } from '../../services/storage/open-storage';
import { freePort } from '../support/demo-process';
import { visibleLines } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const [ALEX, MEGAN] = [PLAYGROUND_USERS[0], PLAYGROUND_USERS[1]];
const GROUP = { id: 'group-approvals', conversationType: 'groupChat', isGroup: true, tenantId: DEMO_TENANT_ID };

interface Bot {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** The real bot process (bot/main.ts, demo mode) against the in-test demo tenant and a persistent SQLite file. */
async function startBot(tenant: DemoTenant, storageUrl: string): Promise<Bot> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      ...process.env,
      SECBOT_MODE: 'demo',
      PORT: String(port),
      DEMO_GRAPH_PORT: String(tenant.port),
      STORAGE_URL: storageUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`bot not ready:\n${output}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function kill9(bot: Bot): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const exited = once(bot.child, 'exit');
  bot.child.kill('SIGKILL');
  await exited;
}

async function stop(bot: Bot): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const exited = once(bot.child, 'exit');
  bot.child.kill('SIGTERM');
  await exited;
}

function activity(
  connector: FakeConnector,
  user: (typeof PLAYGROUND_USERS)[number],
  where: 'group' | 'personal',
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    id: `act-${Math.random().toString(16).slice(2)}`,
    from: { id: user.playgroundId, name: user.displayName, aadObjectId: user.aadObjectId },
    recipient: { id: DEMO_BOT_ID, name: 'SecOps Bot' },
    conversation:
      where === 'group'
        ? GROUP
        : { id: `personal-${user.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
    ...extra,
  };
}

async function post(bot: Bot, body: Record<string, unknown>): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Designates the group chat, requests a revoke from Alex's personal chat, returns the card's data. */
async function request(bot: Bot, connector: FakeConnector): Promise<{ requestId: string; hash: string }> {
  await post(bot, activity(connector, ALEX, 'group', { type: 'message', text: 'approvals here' }));
  const before = connector.requests.length;
  await post(
    bot,
    activity(connector, ALEX, 'personal', { type: 'message', text: 'revoke risky@example.com reported phishing' }),
  );
  await waitFor(
    () => connector.requests.slice(before).some((r) => JSON.stringify(r.body).includes('approval.approve')),
    10_000,
    'the approval card',
  );
  const card = connector.requests.slice(before).find((r) => JSON.stringify(r.body).includes('approval.approve'));
  assert.ok(card?.path.includes(encodeURIComponent(GROUP.id)) || card?.path.includes(GROUP.id), card?.path);
  const match = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(JSON.stringify(card?.body));
  if (!match) throw new Error('no card data');
  return { requestId: match[1] ?? '', hash: match[2] ?? '' };
}

function approve(connector: FakeConnector, data: { requestId: string; hash: string }): Record<string, unknown> {
  return activity(connector, MEGAN, 'group', {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'reply-2',
    value: { action: { type: 'Action.Execute', verb: 'approval.approve', data } },
  });
}

const revokes = (tenant: DemoTenant): number =>
  tenant.stats().writes.filter((w) => w.path.endsWith('/revokeSignInSessions')).length;

// reliability-security.md §8 rows 23 and 24 with the real bot process, SIGKILL, and a persistent SQLite store.
describe('e2e: approvals survive a killed bot process', function () {
  this.timeout(90_000);
  let tenant: DemoTenant;
  let connector: FakeConnector;
  let dir: string;
  const bots: Bot[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-approvals-'));
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await kill9(bot);
    await tenant?.close();
    await connector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('row 23: killed between request and approval, restarted, approved → executes once', async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    const storageUrl = `sqlite:${join(dir, 'secbot.db')}`;
    const first = await startBot(tenant, storageUrl);
    bots.push(first);
    const data = await request(first, connector);
    await kill9(first);
    const second = await startBot(tenant, storageUrl);
    bots.push(second);
    const answer = await post(second, approve(connector, data));
    assert.equal(answer.status, 200);
    assert.match(visibleLines(JSON.parse(answer.body)).join('\n'), /Approved by Megan Bowen — running/);
    assert.ok(answer.ms < 2_000, `invoke answered in ${answer.ms} ms`);
    // The dead process's worker lease (10 s) must lapse before the new worker drains the queue.
    await waitFor(
      () => connector.requests.some((r) => r.method === 'PUT' && JSON.stringify(r.body).includes('— done')),
      30_000,
      'the card update saying done',
    );
    assert.equal(revokes(tenant), 1);
    const replay = await post(second, approve(connector, data));
    assert.match(visibleLines(JSON.parse(replay.body)).join('\n'), /Approved by Megan Bowen — done/);
    assert.equal(revokes(tenant), 1);
  });

  it('row 24: killed after the Graph write, before "done" → reconciled by reading, no second write', async () => {
    // The write is applied at once and its answer held for 20 s: the bot is killed while waiting for it.
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN, writeDelayMs: 20_000 });
    const storageUrl = `sqlite:${join(dir, 'secbot.db')}`;
    const first = await startBot(tenant, storageUrl);
    bots.push(first);
    const data = await request(first, connector);
    const answer = await post(first, approve(connector, data));
    assert.match(answer.body, /running/);
    await waitFor(() => revokes(tenant) === 1, 10_000, 'the revoke write');
    await kill9(first);
    const second = await startBot(tenant, storageUrl);
    bots.push(second);
    await waitFor(
      () =>
        connector.requests.some(
          (r) => r.method === 'PUT' && JSON.stringify(r.body).includes('found applied after a restart'),
        ),
      30_000,
      'the reconciled card update',
    );
    assert.equal(revokes(tenant), 1, 'no second write');
    await stop(second);
    const storage = openStorage(storageUrl);
    try {
      const audit = createAuditLog(storage, systemClock);
      const chain = await audit.verify();
      assert.ok(chain.ok, JSON.stringify(chain));
      const actions = (await audit.list()).map((r) => r.action);
      for (const a of ['approval.requested', 'approval.approved', 'approval.executing', 'approval.reconciled'])
        assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
    } finally {
      await storage.close();
    }
  });
});
