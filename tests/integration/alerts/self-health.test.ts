import assert from 'node:assert/strict';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createAlertStore } from '../../../services/alerts/alert-store';
import { withHealthReports } from '../../../services/alerts/health-graph';
import { createAlertPoller } from '../../../services/alerts/poller';
import { createSelfHealth, runAsJob } from '../../../services/alerts/self-health';
import { systemClock } from '../../../services/clock';
import { createGraphClient } from '../../../services/graph/client';
import { silentLogger } from '../../../services/log';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { deliveryOverFakeConnector } from '../../unit/bot/proactive/fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const channel = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel' as const,
  tenantId: TENANT,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/' },
};

// Row 31 end to end: the demo tenant rejects the bot's token (as Graph does after a credential expires); the alert
// poller, running as a job, keeps failing; the subscribed channel gets one self-health card, through the same
// outbox, send queue and messenger as every alert.
describe('self-health over the real Graph client and delivery (row 31)', function () {
  this.timeout(30_000);
  let demo: DemoTenant;
  before(async () => {
    demo = await startDemoTenant({ port: 0, requireToken: 'the-current-token', timeFactor: 0.01 });
  });
  after(() => demo.close());

  it('a persistent 401 in the poller posts one card naming the credential and what to do', async () => {
    const store = createAlertStore(createMemoryStorage());
    const sub = await store.subscribe(channel, 'Alex', systemClock.now());
    const health = createSelfHealth({ store, clock: systemClock, logger: silentLogger, credential: 'static' });
    const graph = withHealthReports(
      createGraphClient({ baseUrl: demo.url, credential: { kind: 'static', token: 'an-expired-token' } }),
      health,
    );
    const poller = createAlertPoller({
      graph,
      store,
      clock: systemClock,
      logger: silentLogger,
      owner: 'it',
      intervalMs: 10_000,
      stallMs: 60_000,
    });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await runAsJob('alert poller', () => poller.pollOnce()), {
        kind: 'failed',
        code: 'graph_unauthorized',
      });
    }
    await new Promise((resolve) => setImmediate(resolve));

    const { delivery, posts } = deliveryOverFakeConnector(store, TENANT);
    await delivery.deliverOnce();
    assert.equal(posts.length, 1);
    const card = JSON.stringify(posts[0]?.activity);
    assert.match(card, /The bot lost access to Microsoft Graph/);
    assert.match(card, /alert poller/);
    assert.match(card, /rejected the bot's credential \(401\): the demo token \(GRAPH_TOKEN\)/);
    assert.match(card, /GET \/auditLogs\/directoryAudits/);
    assert.equal((await store.subscription(sub.key))?.delivered, 1);
  });
});
