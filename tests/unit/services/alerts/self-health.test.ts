import assert from 'node:assert/strict';
import { createAlertRenderer } from '../../../../bot/proactive/alert-renderer';
import { createAlertStore, type AlertStore } from '../../../../services/alerts/alert-store';
import { withHealthReports } from '../../../../services/alerts/health-graph';
import { createAlertPoller } from '../../../../services/alerts/poller';
import { createSelfHealth, runAsJob } from '../../../../services/alerts/self-health';
import type { AlertRecord } from '../../../../services/alerts/types';
import { CodedError } from '../../../../services/errors';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
import { silentLogger } from '../../../../services/log';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { markdownSurfaces, textRuns } from '../../../support/cards';
import { ManualClock } from '../../../fakes/manual-clock';

const MIN = 60_000;
const channel = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel' as const,
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};
const forbidden = (resource = '/auditLogs/directoryAudits', permission = 'AuditLog.Read.All + Directory.Read.All') =>
  new CodedError('graph_forbidden', `Graph returned 403 for GET ${resource}`, {
    status: 403,
    graphCode: 'Authorization_RequestDenied',
    method: 'GET',
    resource,
    permission,
  });
const unauthorized = () =>
  new CodedError('graph_unauthorized', 'Graph rejected the token', { status: 401, method: 'GET', resource: '/users' });

/** A Graph client whose every request fails (or answers) as `answer` says; the specs are kept. */
function fakeGraph(answer: (spec: GraphRequestSpec) => Promise<GraphResponse>) {
  const specs: GraphRequestSpec[] = [];
  const client = {
    request: (spec: GraphRequestSpec) => {
      specs.push(spec);
      return answer(spec);
    },
  } as unknown as GraphClient;
  return { client, specs };
}

async function healthAlerts(store: AlertStore): Promise<AlertRecord[]> {
  const [sub] = await store.subscriptions();
  const records: AlertRecord[] = [];
  for (const item of await store.outbox(sub?.key ?? '')) {
    const record = await store.alert(item.value.alertId);
    if (record?.alert.rule === 'bot-health') records.push(record);
  }
  return records;
}

async function setup(storage: Storage = createMemoryStorage(), clock = new ManualClock()) {
  const store = createAlertStore(storage);
  await store.subscribe(channel, 'Alex', clock.now());
  const health = createSelfHealth({ store, clock, logger: silentLogger, credential: 'clientSecret' });
  return { store, health, clock, storage };
}

/** Lets the fire-and-forget report of the wrapper settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('self-health: persistent Graph 401/403 in background jobs → one card per problem per hour (row 31)', () => {
  it('the alert poller, refused every minute for 2 h 5 min: three cards (0, 60, 120 min), naming the permission', async () => {
    const { store, health, clock } = await setup();
    const graph = fakeGraph(() => Promise.reject(forbidden()));
    const poller = createAlertPoller({
      graph: withHealthReports(graph.client, health),
      store,
      clock,
      logger: silentLogger,
      owner: 'a',
      intervalMs: MIN,
      stallMs: 15 * MIN,
    });
    for (let minute = 0; minute <= 125; minute++) {
      assert.equal((await poller.pollOnce()).kind, 'failed');
      await settle();
      clock.advance(MIN);
    }
    const alerts = await healthAlerts(store);
    assert.deepEqual(
      alerts.map((a) => (Date.parse(a.alert.occurredAt) - Date.parse('2026-11-22T12:00:00Z')) / MIN),
      [0, 60, 120],
    );
    assert.deepEqual(alerts[0]?.alert.health, {
      kind: 'permission',
      job: 'a background job',
      credential: 'clientSecret',
      permission: 'AuditLog.Read.All + Directory.Read.All',
      request: 'GET /auditLogs/directoryAudits',
      graphCode: 'Authorization_RequestDenied',
    });
    assert.ok(graph.specs.length >= 126, 'the poller kept trying; only the alerts are rate-limited');
  });

  it('the card says what failed and what to do; a 401 is a credential card naming the setting to renew', async () => {
    const { store, health } = await setup();
    await runAsJob('approval worker', () =>
      health.report('approval worker', forbidden('/users/{id}', 'User.RevokeSessions.All')),
    );
    await health.report('approval worker', unauthorized());
    const render = createAlertRenderer({
      now: () => Date.parse('2026-11-22T12:05:00Z'),
      sleep: () => Promise.resolve(),
    });
    const [permission, credential] = (await healthAlerts(store))
      .sort((a, b) => String(a.alert.health?.kind).localeCompare(String(b.alert.health?.kind)))
      .reverse();
    const permissionCard = render.alert(permission!).card as object;
    assert.ok(textRuns(permissionCard).includes('User.RevokeSessions.All'));
    assert.match(markdownSurfaces(permissionCard).join('\n'), /refused the bot \(403\)[\s\S]*Grant admin consent/);
    assert.ok(textRuns(permissionCard).includes('approval worker'));
    const credentialCard = render.alert(credential!).card as object;
    assert.match(
      markdownSurfaces(credentialCard).join('\n'),
      /rejected the bot's credential \(401\): its client secret \(AZURE_CLIENT_SECRET\)/,
    );
  });

  it('a restarted process (fresh memo, same storage) inside the hour does not post again, across a clock hour too', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(Date.parse('2026-11-22T12:50:00Z'));
    const first = await setup(storage, clock);
    assert.equal(await first.health.report('forwarding sweep', forbidden()), 'queued');
    clock.advance(5 * MIN);
    const second = await setup(storage, clock);
    assert.equal(await second.health.report('forwarding sweep', forbidden()), 'repeat');
    clock.advance(10 * MIN); // 13:05: another clock hour, still inside the card's hour
    const third = await setup(storage, clock);
    assert.equal(await third.health.report('forwarding sweep', forbidden()), 'repeat');
    clock.advance(46 * MIN); // 13:51
    assert.equal(await third.health.report('forwarding sweep', forbidden()), 'queued');
    assert.equal((await healthAlerts(third.store)).length, 2);
  });

  it('only background work reports: an interactive call outside a job does not; a job call does, even interactive', async () => {
    const { store, health } = await setup();
    const graph = withHealthReports(fakeGraph(() => Promise.reject(forbidden())).client, health);
    await assert.rejects(graph.request({ method: 'GET', path: '/auditLogs/directoryAudits', priority: 'interactive' }));
    await settle();
    assert.equal((await healthAlerts(store)).length, 0);
    await runAsJob('approval worker', () =>
      assert.rejects(graph.request({ method: 'GET', path: '/auditLogs/directoryAudits', priority: 'interactive' })),
    );
    await settle();
    assert.equal((await healthAlerts(store))[0]?.alert.health?.job, 'approval worker');
  });

  it('a 403 inside a $batch that answered 200 is reported with the item’s permission; other errors are not', async () => {
    const { store, health } = await setup();
    const batchReply = {
      status: 200,
      headers: {},
      body: {
        responses: [
          { id: 'ok', status: 200, body: {} },
          { id: 'rules', status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } } },
          { id: 'gone', status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'x' } } },
        ],
      },
    };
    const graph = withHealthReports(fakeGraph(() => Promise.resolve(batchReply)).client, health);
    await runAsJob('forwarding sweep', () =>
      graph.request({
        method: 'POST',
        path: '/$batch',
        body: {
          requests: [
            { id: 'ok', method: 'GET', url: '/users/u1' },
            { id: 'rules', method: 'GET', url: '/users/u1/mailFolders/inbox/messageRules' },
            { id: 'gone', method: 'GET', url: '/users/u2' },
          ],
        },
        readOnly: true,
      }),
    );
    await settle();
    const alerts = await healthAlerts(store);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.alert.health?.permission, 'MailboxSettings.Read');
    assert.equal(await health.report('x', new CodedError('graph_throttled', 'throttled')), 'ignored');
  });
});
