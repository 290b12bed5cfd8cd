import assert from 'node:assert/strict';
import { createAlertRenderer } from '../../../bot/proactive/alert-renderer';
import { createSendQueue } from '../../../bot/proactive/send-queue';
import { createBotAuthentication } from '../../../bot/auth';
import { loadConfig } from '../../../bot/config';
import { createBotServer, type BotServer } from '../../../bot/server';
import { DEMO_GRAPH_TOKEN } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createAlertStore } from '../../../services/alerts/alert-store';
import { createAlertDelivery } from '../../../services/alerts/delivery';
import { queueAlert } from '../../../services/alerts/queue-alert';
import { systemClock } from '../../../services/clock';
import { batch, createGraphClient, getOrganization } from '../../../services/graph';
import { silentLogger } from '../../../services/log';
import type { ConversationRef, Messenger } from '../../../services/messaging/port';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { METRICS } from '../../../services/telemetry/port';
import { startFaultServer } from '../../fakes/graph-fault-server';
import { startHarness, type Harness } from '../approvals/harness';
import { demoMessage, postActivity } from '../../support/bot-process';
import { demoTurnHandler } from '../../support/demo-turn';
import { startFakeConnector } from '../../support/fake-connector';
import { recordingTelemetry, type RecordingTelemetry } from '../../support/telemetry';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

// issue 11 (observability): the hooks in the turn handler, the Graph client, the send queue, alerts and approvals,
// recorded by in-memory OpenTelemetry exporters.
describe('telemetry hooks (in-memory OpenTelemetry)', function () {
  this.timeout(30_000);
  let rec: RecordingTelemetry;
  beforeEach(() => {
    rec = recordingTelemetry();
  });
  afterEach(() => rec.shutdown());

  describe('a turn and its Graph requests', () => {
    let tenant: DemoTenant;
    let server: BotServer;
    after(async () => {
      await server?.close();
      await tenant?.close();
    });

    it('a turn is a server span with its correlation id; each Graph request a child span with its request-id', async () => {
      tenant = await startDemoTenant({ requireToken: DEMO_GRAPH_TOKEN });
      const connector = await startFakeConnector();
      const config = loadConfig({ SECBOT_MODE: 'demo', PORT: '0', DEMO_GRAPH_PORT: String(tenant.port) });
      const graph = createGraphClient({
        baseUrl: tenant.url,
        credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
        telemetry: rec.telemetry,
      });
      server = createBotServer({
        config,
        logger: silentLogger,
        auth: createBotAuthentication(config),
        onTurn: demoTurnHandler(graph),
        readiness: () => Promise.resolve({}),
        telemetry: rec.telemetry,
      });
      const { url } = await server.listen();
      try {
        const res = await postActivity(url, demoMessage(connector.serviceUrl, 'user meganb@example.com'));
        assert.equal(res.status, 200);
        await connector.waitForRequests(1, 10_000);
        const ref = res.headers.get('x-correlation-id');
        const spans = rec.spans();
        const turn = spans.find((s) => s.name === 'turn');
        assert.equal(turn?.kind, 'server');
        assert.equal(turn?.attributes['secbot.correlation_id'], ref);
        const graphSpans = spans.filter((s) => s.parentSpanId === turn?.spanId);
        assert.ok(graphSpans.length >= 2, graphSpans.map((s) => s.name).join());
        for (const span of graphSpans) {
          assert.equal(span.kind, 'client');
          assert.equal(span.traceId, turn?.traceId);
          assert.match(String(span.attributes['graph.request_id']), UUID);
          assert.equal(span.attributes['http.response.status_code'], 200);
        }
        assert.ok(graphSpans.some((s) => s.name === 'GET /users/{id}' || s.name === 'POST /$batch'));
        assert.ok(!JSON.stringify(spans).includes('meganb'), 'no UPN in span names or attributes');
      } finally {
        await connector.close();
      }
    });
  });

  it('every Graph 429 is counted, on a request and inside a $batch, and its span carries the status', async () => {
    const fault = await startFaultServer();
    try {
      const graph = createGraphClient({
        baseUrl: fault.url,
        credential: { kind: 'static', token: 'not-a-secret' },
        telemetry: rec.telemetry,
      });
      const org = { value: [{ id: 'o1', displayName: 'Contoso', verifiedDomains: [] }] };
      fault.script(
        { status: 429, headers: { 'Retry-After': '0', 'request-id': 'r-429' } },
        { status: 200, headers: { 'request-id': 'r-200' }, body: org },
      );
      await getOrganization(graph);
      const item = (status: number) => ({
        responses: [{ id: 'a', status, headers: { 'Retry-After': '0' }, body: {} }],
      });
      fault.script({ status: 200, body: item(429) }, { status: 200, body: item(200) });
      await batch(graph, [{ id: 'a', method: 'GET', url: '/users/alice@contoso.com' }]);
      const org429 = rec.spans().find((s) => s.attributes['graph.request_id'] === 'r-429');
      assert.equal(org429?.name, 'GET /organization');
      assert.equal(org429?.attributes['http.response.status_code'], 429);
      assert.deepEqual(await rec.metric(METRICS.graphThrottled.name), [
        { attributes: { 'url.template': '/organization' }, value: 1 },
        { attributes: { 'url.template': '/users/{id}' }, value: 1 },
      ]);
    } finally {
      await fault.close();
    }
  });

  it('send-queue depth counts what waits or is in flight; alert lag runs from the event to its card', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let posted = 0;
    const messenger: Pick<Messenger, 'send'> = {
      send: async () => {
        await gate;
        return { activityId: `m${++posted}` };
      },
    };
    const queue = createSendQueue({ messenger, clock: systemClock, logger: silentLogger, telemetry: rec.telemetry });
    const store = createAlertStore(createMemoryStorage());
    await store.subscribe(channel, 'Alex', Date.now());
    const occurredAt = Date.now() - 90_000;
    for (const i of [1, 2, 3]) {
      await queueAlert(
        store,
        {
          id: `alert-${i}`,
          rule: 'security-info-changed',
          severity: 'medium',
          dedupeKey: `k${i}`,
          occurredAt: new Date(occurredAt).toISOString(),
          subject: { id: `u${i}`, upn: `user${i}@example.com`, displayName: null },
          actor: null,
          actorKind: 'unknown',
          ip: null,
          location: null,
          activity: 'User registered security info',
          detail: 'User registered Mobile Phone SMS',
          sourceIds: [`e${i}`],
        },
        Date.now(),
      );
    }
    const delivery = createAlertDelivery({
      store,
      sender: queue,
      renderer: createAlertRenderer(systemClock),
      clock: systemClock,
      logger: silentLogger,
      telemetry: rec.telemetry,
    });
    const extra = [queue.send(channel, { text: 'a' }), queue.send(channel, { text: 'b' })];
    const delivered = delivery.deliverOnce();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await rec.metric(METRICS.sendQueueDepth.name), [{ attributes: {}, value: 3 }]);
    release();
    await Promise.all([...extra, delivered]);
    assert.deepEqual(await rec.metric(METRICS.sendQueueDepth.name), [{ attributes: {}, value: 0 }]);
    const [lag] = await rec.metric(METRICS.alertLag.name);
    assert.equal(lag?.count, 3);
    assert.ok((lag?.value ?? 0) >= 3 * 90_000 && (lag?.value ?? 0) < 3 * 100_000, String(lag?.value));
    assert.deepEqual(lag?.attributes, { rule: 'security-info-changed' });
  });

  describe('approvals', () => {
    let h: Harness;
    after(() => h?.close());

    it('decision-to-done runs from the approval to the end of the execution', async () => {
      h = await startHarness({ telemetry: rec.telemetry });
      await h.say('alex', 'approvals here', 'group');
      await h.say('alex', 'revoke risky@example.com reported phishing, confirmed by phone');
      await h.click('megan', 'approval.approve', h.lastCardData());
      h.clock.advance(1_500);
      await h.worker.runOnce();
      await h.worker.idle();
      assert.equal(h.writes('revokeSignInSessions'), 1);
      assert.deepEqual(await rec.metric(METRICS.approvalDecisionToDone.name), [
        { attributes: { state: 'done' }, value: 1_500, count: 1 },
      ]);
    });
  });
});
