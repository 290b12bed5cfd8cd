import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GRAPH_TOKEN, PLAYGROUND_USERS } from '../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../demo/server';
import { createAuditLog } from '../../services/audit/audit-log';
import { systemClock } from '../../services/clock';
import { openStorage } from '../../services/storage/open-storage';
import { waitFor, type BotProcess } from '../support/bot-process';
import {
  activity,
  APPROVALS_GROUP,
  approveInvoke,
  postedApprovalCards,
  send,
  startBot,
} from '../support/approval-process';
import { visibleLines } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const [ALEX, MEGAN] = [PLAYGROUND_USERS[0], PLAYGROUND_USERS[1]];
const isApprovalCard = (body: unknown): boolean => JSON.stringify(body).includes('approval.approve');

/** Designates the group chat, requests a revoke from Alex's personal chat, returns the card's data. */
async function request(bot: BotProcess, connector: FakeConnector): Promise<{ requestId: string; hash: string }> {
  await send(bot, activity(connector, ALEX, 'group', { type: 'message', text: 'approvals here' }));
  await send(
    bot,
    activity(connector, ALEX, 'personal', { type: 'message', text: 'revoke risky@example.com reported phishing' }),
  );
  await waitFor(() => postedApprovalCards(connector).length > 0, 10_000, 'the approval card');
  const [card] = postedApprovalCards(connector);
  assert.ok(card?.path.includes(APPROVALS_GROUP.id), card?.path);
  return { requestId: card?.requestId ?? '', hash: card?.hash ?? '' };
}

const revokes = (tenant: DemoTenant): number =>
  tenant.stats().writes.filter((w) => w.path.endsWith('/revokeSignInSessions')).length;

// reliability-security.md §8 rows 23 and 24 with the real bot process, SIGKILL, and a persistent SQLite store.
describe('e2e: approvals survive a killed bot process', function () {
  this.timeout(90_000);
  let tenant: DemoTenant;
  let connector: FakeConnector;
  let dir: string;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-approvals-'));
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop('SIGKILL');
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
    await first.stop('SIGKILL');
    const second = await startBot(tenant, storageUrl);
    bots.push(second);
    const answer = await send(second, approveInvoke(connector, MEGAN, data));
    assert.equal(answer.status, 200);
    assert.match(visibleLines(JSON.parse(answer.body)).join('\n'), /Approved by Megan Bowen — running/);
    assert.ok(answer.ms < 2_000, `invoke answered in ${answer.ms} ms`);
    await waitFor(
      () => connector.requests.some((r) => r.method === 'PUT' && JSON.stringify(r.body).includes('— done')),
      30_000,
      'the card update saying done',
    );
    assert.equal(revokes(tenant), 1);
    const replay = await send(second, approveInvoke(connector, MEGAN, data));
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
    const answer = await send(first, approveInvoke(connector, MEGAN, data));
    assert.match(answer.body, /running/);
    await waitFor(() => revokes(tenant) === 1, 10_000, 'the revoke write');
    await first.stop('SIGKILL');
    const second = await startBot(tenant, storageUrl);
    bots.push(second);
    await waitFor(
      () =>
        connector.requests.some(
          (r) => r.method === 'PUT' && JSON.stringify(r.body).includes('found applied after a restart'),
        ),
      60_000,
      'the reconciled card update',
    );
    assert.equal(revokes(tenant), 1, 'no second write');
    await second.stop('SIGTERM');
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

  it('item 14: killed between storing the request and posting its card → on restart the card appears, once', async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    const storageUrl = `sqlite:${join(dir, 'secbot.db')}`;
    const first = await startBot(tenant, storageUrl);
    bots.push(first);
    await send(first, activity(connector, ALEX, 'group', { type: 'message', text: 'approvals here' }));
    // The card's post is never answered: the process is killed after the request is stored, before attachCard.
    connector.holdSends(1, isApprovalCard);
    void send(
      first,
      activity(connector, ALEX, 'personal', { type: 'message', text: 'revoke risky@example.com phishing' }),
    ).catch(() => undefined);
    await waitFor(() => connector.requests.some((r) => isApprovalCard(r.body)), 10_000, 'the held card post');
    await first.stop('SIGKILL');
    assert.equal(postedApprovalCards(connector).length, 0);
    const second = await startBot(tenant, storageUrl);
    bots.push(second);
    await waitFor(() => postedApprovalCards(connector).length > 0, 60_000, 'the recovered card');
    const [card] = postedApprovalCards(connector);
    assert.ok(card?.path.includes(APPROVALS_GROUP.id), card?.path);
    // A few more worker passes (2 s apart) post nothing more; the recovered card decides the request.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(postedApprovalCards(connector).length, 1);
    const answer = await send(second, approveInvoke(connector, MEGAN, card ?? { requestId: '', hash: '' }));
    assert.match(visibleLines(JSON.parse(answer.body)).join('\n'), /Approved by Megan Bowen/);
    await waitFor(() => revokes(tenant) === 1, 15_000, 'the revoke');
  });
});
