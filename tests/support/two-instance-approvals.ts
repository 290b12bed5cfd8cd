import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN, PLAYGROUND_USERS } from '../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../demo/server';
import { createAuditLog } from '../../services/audit/audit-log';
import { systemClock } from '../../services/clock';
import { openStorage } from '../../services/storage/open-storage';
import { activity, approveInvoke, postedApprovalCards, send, startBot } from './approval-process';
import { waitFor, type BotProcess } from './bot-process';
import { visibleLines } from './cards';
import { startFakeConnector, type FakeConnector } from './fake-connector';

const [ALEX, MEGAN] = [PLAYGROUND_USERS[0], PLAYGROUND_USERS[1]];
const REQUESTS = 20;

/** Where the two instances keep their state: a STORAGE_URL both processes open, and how to remove it afterwards. */
export interface SharedStorage {
  url: string;
  /** Settings that go with `url`, given to both processes and to the test's own reader (Azure connection string). */
  env?: { AZURE_STORAGE_CONNECTION_STRING?: string };
  cleanup(): Promise<void>;
}

/** Ids of the requests whose card the connector saw updated to "done". */
function doneIds(connector: FakeConnector): Set<string> {
  const ids = new Set<string>();
  for (const r of connector.requests) {
    const text = visibleLines(r.body).join('\n');
    if (r.method !== 'PUT' || r.status !== 200 || !text.includes('Approved by Megan Bowen — done')) continue;
    const id = /Request ([0-9a-f-]{36}) · action hash/.exec(text)?.[1];
    if (id) ids.add(id);
  }
  return ids;
}

/**
 * Issue 10 item 2 (and issue 11's "several instances at once"): two real bot processes on one store, activities
 * sent alternately to each as a load balancer would, approvals too: every approved request executes exactly once.
 * Parameterised by the storage: the same test runs on one SQLite file and on one Azure Blob container (Azurite).
 */
export function describeTwoInstanceApprovals(label: string, storage: () => Promise<SharedStorage>): void {
  describe(`e2e: two bot processes on one ${label} store execute each approval exactly once`, function () {
    this.timeout(180_000);
    let tenant: DemoTenant;
    let connector: FakeConnector;
    let shared: SharedStorage;
    let bots: BotProcess[] = [];

    before(async () => {
      shared = await storage();
      tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN, extraUsers: REQUESTS });
      connector = await startFakeConnector();
      bots = await Promise.all([startBot(tenant, shared.url, shared.env), startBot(tenant, shared.url, shared.env)]);
    });
    after(async () => {
      await Promise.all(bots.map((bot) => bot.stop('SIGKILL')));
      await tenant?.close();
      await connector?.close();
      await shared?.cleanup();
    });

    it(`${REQUESTS} requests and approvals alternating between the processes → ${REQUESTS} Graph writes, one approval and one done each, chain valid`, async () => {
      const bot = (i: number): BotProcess => bots[i % 2] as BotProcess;
      const targets = [...tenant.state.generatedIds].slice(0, REQUESTS).map((id) => tenant.state.users.get(id));
      await send(bot(0), activity(connector, ALEX, 'group', { type: 'message', text: 'approvals here' }));
      // Two card posts meet a passing Teams outage: the queue under the messenger retries them.
      connector.failSends(2, 503, undefined, (body) => JSON.stringify(body).includes('approval.approve'));
      const asked = await Promise.all(
        targets.map((user, i) =>
          send(
            bot(i),
            activity(connector, ALEX, 'personal', {
              type: 'message',
              text: `revoke ${user?.userPrincipalName ?? ''} two-instance test`,
            }),
          ),
        ),
      );
      assert.ok(
        asked.every((a) => a.status === 200),
        asked.map((a) => a.status).join(),
      );
      await waitFor(() => postedApprovalCards(connector).length === REQUESTS, 60_000, `${REQUESTS} approval cards`);
      const cards = postedApprovalCards(connector);
      assert.equal(new Set(cards.map((c) => c.requestId)).size, REQUESTS, 'one card per request');
      assert.equal(connector.requests.filter((r) => r.status === 503).length, 2);

      const answers = await Promise.all(
        cards.map((card, i) => send(bot(i + 1), approveInvoke(connector, MEGAN, card))),
      );
      for (const answer of answers)
        assert.match(visibleLines(JSON.parse(answer.body)).join('\n'), /Approved by Megan Bowen/);
      await waitFor(() => doneIds(connector).size === REQUESTS, 120_000, `${REQUESTS} cards updated to done`).catch(
        (error: unknown) => {
          // What the processes logged is the only account of why an execution did not finish.
          throw new Error(`${String(error)}\n${bots.map((b) => b.output().slice(-3000)).join('\n-----\n')}`);
        },
      );

      const revokes = tenant.stats().writes.filter((w) => w.path.endsWith('/revokeSignInSessions'));
      assert.equal(revokes.length, REQUESTS, 'exactly one Graph write per request');
      assert.equal(new Set(revokes.map((w) => w.path)).size, REQUESTS, 'each target written once');

      await Promise.all(bots.map((b) => b.stop('SIGTERM')));
      const store = openStorage(shared.url, { azure: shared.env });
      try {
        const audit = createAuditLog(store, systemClock);
        const chain = await audit.verify();
        assert.ok(chain.ok, JSON.stringify(chain));
        const records = await audit.list();
        for (const { requestId } of cards) {
          const of = (action: string): number =>
            records.filter((r) => r.action === action && r.details?.approvalId === requestId).length;
          assert.equal(of('approval.approved'), 1, `one approval of ${requestId}`);
          assert.equal(of('approval.done'), 1, `one done of ${requestId}`);
          assert.equal(of('approval.executing'), 1, `one execution of ${requestId}`);
        }
      } finally {
        await store.close();
      }
    });
  });
}
