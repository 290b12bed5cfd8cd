import assert from 'node:assert/strict';
import { DEMO_WATCHED_MAILBOX } from '../../../demo/constants';
import { handleDemoControl } from '../../../demo/emit-route';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createAlertStore, type AlertStore } from '../../../services/alerts/alert-store';
import { createMirrorEvidenceSource, createMirrorReportEvidence } from '../../../services/alerts/audit-mirror';
import { createDemoEmitter, DEMO_ALERT_SCENARIOS } from '../../../services/alerts/demo-emitter';
import { createAlertPoller, type AlertPoller } from '../../../services/alerts/poller';
import { riskyUsersSource, watchedMailboxesSource } from '../../../services/alerts/sources';
import { systemClock } from '../../../services/clock';
import { createGraphClient, type GraphClient } from '../../../services/graph/client';
import { createUserResolver } from '../../../services/graph/user-resolver';
import type { Upn } from '../../../services/ids';
import { silentLogger } from '../../../services/log';
import { createMemoryStorage } from '../../../services/storage/memory-storage';

const channel = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel' as const,
  tenantId: 't',
  serviceUrl: 'http://127.0.0.1:1/',
  reference: {},
};

async function queuedRules(store: AlertStore): Promise<string[]> {
  const subs = await store.subscriptions();
  const rules: string[] = [];
  for (const item of await store.outbox(subs[0]?.key ?? '')) {
    rules.push((await store.alert(item.value.alertId))?.alert.rule ?? 'missing');
  }
  return rules.sort();
}

describe('alerts against the demo tenant (real HTTP): emit each scenario, one poll, one alert each', function () {
  this.timeout(30_000);
  let demo: DemoTenant;
  let graph: GraphClient;
  let store: AlertStore;
  let poller: AlertPoller;

  before(async () => {
    demo = await startDemoTenant({ port: 0, requireToken: 'demo-token', timeFactor: 0.01 });
    graph = createGraphClient({
      baseUrl: demo.url,
      credential: { kind: 'static', token: 'demo-token' },
      limits: {
        reports: { requests: 5, windowMs: 100 },
        identityProtection: { requests: 1, windowMs: 10 },
        windowMarginMs: 25,
      },
    });
    store = createAlertStore(createMemoryStorage());
    await store.subscribe(channel, 'Alex', systemClock.now());
    poller = createAlertPoller({
      graph,
      store,
      clock: systemClock,
      logger: silentLogger,
      owner: 'it',
      intervalMs: 10_000,
      overlapMs: 10 * 60_000,
      // The stalled scenario is backdated a minute, so a 30 s stall window has already passed.
      stallMs: 30_000,
      sources: [
        riskyUsersSource(graph, systemClock),
        watchedMailboxesSource({
          graph,
          users: createUserResolver({ client: graph, clock: systemClock }),
          logger: silentLogger,
          clock: systemClock,
          mailboxes: () => Promise.resolve([{ kind: 'upn', upn: DEMO_WATCHED_MAILBOX as Upn }]),
          verifiedDomains: () => Promise.resolve(['example.com', 'example.net', 'example.onmicrosoft.com']),
        }),
      ],
    });
  });
  after(() => demo.close());

  it('the first poll reads from now minus the overlap: seeded history does not flood the channel', async () => {
    const outcome = await poller.pollOnce();
    assert.equal(outcome.kind, 'polled');
    assert.deepEqual(await queuedRules(store), []);
  });

  it('every demo scenario raises its alert at the next poll, and a second poll adds nothing', async () => {
    const emitter = createDemoEmitter({ baseUrl: demo.url, token: 'demo-token' });
    for (const scenario of DEMO_ALERT_SCENARIOS) {
      const result = await emitter.emit(scenario);
      assert.equal(result.scenario, scenario);
    }
    const outcome = await poller.pollOnce();
    assert.equal(outcome.kind, 'polled', JSON.stringify(outcome));
    const expected = [
      'consent-granted',
      'device-registered',
      'external-forwarding',
      'risky-user',
      'security-info-changed',
      'sspr-contact-admin',
      'unverified-registration',
    ];
    assert.deepEqual(await queuedRules(store), expected);
    await poller.pollOnce();
    assert.deepEqual(await queuedRules(store), expected);
  });

  it('the mirror answers mfa evidence for the window it covers, without Graph', async () => {
    const isaiah = [...demo.state.users.values()].find((u) => u.userPrincipalName === 'isaiah@example.com');
    assert.ok(isaiah);
    const source = createMirrorEvidenceSource({
      store,
      clock: systemClock,
      maxLagMs: 60_000,
      fallback: { securityInfoEvents: () => Promise.reject(new Error('Graph must not be asked')) },
    });
    const { events, coveredFrom } = await source.securityInfoEvents(
      isaiah.id,
      new Date(systemClock.now() - 5 * 60_000),
    );
    assert.ok(events.some((e) => e.activityDisplayName === 'User registered security info'));
    assert.ok(coveredFrom);
    // Older than the mirror's start: Graph answers.
    await assert.rejects(
      source.securityInfoEvents(isaiah.id, new Date(systemClock.now() - 24 * 3600_000)),
      /Graph must not be asked/,
    );
    // report mfa's evidence: the same window rule, every user's records from the mirror.
    const report = createMirrorReportEvidence({
      store,
      clock: systemClock,
      maxLagMs: 60_000,
      fallback: { open: () => Promise.reject(new Error('Graph must not be asked')) },
    });
    const opened = await report.open(new Date(systemClock.now() - 5 * 60_000), {});
    assert.equal(opened.source, 'mirror');
    assert.ok(
      (await opened.eventsOf(isaiah.id)).some((e) => e.activityDisplayName === 'User registered security info'),
    );
    await assert.rejects(report.open(new Date(systemClock.now() - 24 * 3600_000), {}), /Graph must not be asked/);
  });

  it('the emit endpoint refuses non-loopback callers, unknown scenarios and calls without the token', async () => {
    assert.equal(handleDemoControl(demo.state, 'POST', ['_demo', 'emit', 'risky-user'], '10.1.2.3', 0).status, 404);
    assert.equal(handleDemoControl(demo.state, 'GET', ['_demo', 'emit', 'risky-user'], '127.0.0.1', 0).status, 405);
    const unknown = await fetch(`${demo.url}/_demo/emit/nope`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-token' },
    });
    assert.equal(unknown.status, 400);
    const anonymous = await fetch(`${demo.url}/_demo/emit/risky-user`, { method: 'POST' });
    assert.equal(anonymous.status, 401);
  });
});
