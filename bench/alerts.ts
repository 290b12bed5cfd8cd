import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAlertRenderer } from '../bot/proactive/alert-renderer';
import { createMessenger } from '../bot/proactive/messenger';
import { createSendQueue } from '../bot/proactive/send-queue';
import { appendAudit } from '../demo/audit';
import { startDemoTenant, type DemoTenant } from '../demo/server';
import { createAlertStore } from '../services/alerts/alert-store';
import { createAlertDelivery } from '../services/alerts/delivery';
import { createAlertPoller } from '../services/alerts/poller';
import { systemClock } from '../services/clock';
import { createGraphClient } from '../services/graph';
import { silentLogger } from '../services/log';
import type { ConversationRef } from '../services/messaging/port';
import { openStorage } from '../services/storage/open-storage';
import { createFakeConnector } from '../tests/unit/bot/proactive/fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const channel: ConversationRef = {
  conversationId: '19:bench@thread.tacv2',
  conversationType: 'channel',
  tenantId: TENANT,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/' },
};

/** The numbers `docs/benchmarks.md` quotes. */
export interface AlertsBenchResult {
  events: number;
  ingestMs: number;
  reportsRequests: number;
  reportsFloorMs: number;
  throttledByTenant: number;
  alertsQueued: number;
  deliveryMs: number;
  messages: number;
  maxPer1s: number;
  maxPer30s: number;
  maxCardBytes: number;
  everyAlertInACard: boolean;
  singleEventMs: number[];
  pollIntervalMs: number;
}

function pipeline(tenant: DemoTenant, storageUrl: string, pollIntervalMs: number) {
  const graph = createGraphClient({
    baseUrl: tenant.url,
    credential: { kind: 'static', token: 'bench-token' },
    clock: systemClock,
  });
  const storage = openStorage(storageUrl);
  const store = createAlertStore(storage);
  const connector = createFakeConnector(() => null);
  const messenger = createMessenger({
    adapter: connector.adapter,
    appId: 'app',
    allowedTenantId: TENANT,
    allowedServiceUrlHosts: ['smba.trafficmanager.net'],
    logger: silentLogger,
  });
  const delivery = createAlertDelivery({
    store,
    sender: createSendQueue({ messenger, clock: systemClock, logger: silentLogger }),
    renderer: createAlertRenderer(systemClock),
    clock: systemClock,
    logger: silentLogger,
    tickMs: 250,
  });
  const poller = createAlertPoller({
    graph,
    store,
    clock: systemClock,
    logger: silentLogger,
    owner: 'bench',
    intervalMs: pollIntervalMs,
    overlapMs: 10 * 60_000,
    stallMs: 15 * 60_000,
    pageSize: 1000,
    onQueued: () => delivery.kick(),
  });
  return { store, storage, poller, delivery, posts: connector.posts };
}

function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (const t of times) max = Math.max(max, times.filter((u) => u >= t && u < t + windowMs).length);
  return max;
}

/** 10,000 audit events in one poll window, then single events timed from the tenant to the channel. */
export async function run(): Promise<AlertsBenchResult> {
  const events = Number(process.env.BENCH_ALERT_EVENTS ?? 10_000);
  const pollIntervalMs = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'secbot-bench-alerts-'));
  // Published limits (5 reports requests / 10 s), real time: the budget is the one a tenant enforces.
  const tenant = await startDemoTenant({ port: 0, requireToken: 'bench-token', extraUsers: events });
  try {
    const storm = pipeline(tenant, `sqlite:${join(dir, 'storm.db')}`, pollIntervalMs);
    await storm.store.subscribe(channel, 'bench', Date.now());
    await storm.poller.pollOnce();
    const users = [...tenant.state.users.values()].filter((u) => u.userPrincipalName.includes('.'));
    const t0 = Date.now();
    for (let i = 0; i < events; i++) {
      const user = users[i % users.length];
      if (!user) break;
      appendAudit(tenant.state, {
        activityDisplayName: 'User registered security info',
        loggedByService: 'Authentication Methods',
        resultReason: 'User registered Mobile Phone SMS',
        at: t0 - 60_000 + Math.floor((i * 60_000) / events),
        initiatedBy: { kind: 'user', user, ipAddress: '198.51.100.7' },
        target: user,
        operationType: 'Add',
      });
    }
    const before = tenant.stats();
    const ingestStart = performance.now();
    const polled = await storm.poller.pollOnce();
    const ingestMs = performance.now() - ingestStart;
    const after = tenant.stats();
    if (polled.kind !== 'polled') throw new Error(`storm poll ${polled.kind}`);
    const reportsRequests = (after.byClass.reports ?? 0) - (before.byClass.reports ?? 0);
    const deliveryStart = performance.now();
    const sub = (await storm.store.subscriptions())[0];
    while ((await storm.store.outbox(sub?.key ?? '', 1)).length > 0) await storm.delivery.deliverOnce();
    const deliveryMs = performance.now() - deliveryStart;
    const cards = storm.posts.map((p) => JSON.stringify(p.activity));
    const everyAlertInACard = users.slice(0, events).every((u) => cards.some((c) => c.includes(u.userPrincipalName)));
    const times = storm.posts.map((p) => p.at);
    const stormResult = {
      events,
      ingestMs,
      reportsRequests,
      // 5 requests per 10 s: n requests cannot finish before ceil(n / 5 - 1) windows have passed.
      reportsFloorMs: Math.max(0, Math.ceil(reportsRequests / 5) - 1) * 10_000,
      throttledByTenant: after.throttled - before.throttled,
      alertsQueued: polled.queued,
      deliveryMs,
      messages: storm.posts.length,
      maxPer1s: maxInWindow(times, 1_000),
      maxPer30s: maxInWindow(times, 30_000),
      maxCardBytes: Math.max(...cards.map((c) => Buffer.byteLength(c))),
      everyAlertInACard,
    };
    await storm.storage.close();

    await tenant.close();

    // A tenant in its ordinary state (no storm inside the overlap window): one event, timed to the channel.
    const quiet = await startDemoTenant({ port: 0, requireToken: 'bench-token' });
    const live = pipeline(quiet, `sqlite:${join(dir, 'live.db')}`, pollIntervalMs);
    await live.store.subscribe(channel, 'bench', Date.now());
    live.poller.start();
    live.delivery.start();
    const singleEventMs: number[] = [];
    const target = [...quiet.state.users.values()].find((u) => u.userPrincipalName === 'pattif@example.com');
    for (let i = 0; i < 5 && target; i++) {
      // Land at different phases of the poll cycle.
      await new Promise((r) => setTimeout(r, 2_300 * (i + 1)));
      const count = live.posts.length;
      const at = Date.now();
      appendAudit(quiet.state, {
        activityDisplayName: 'Admin registered security info',
        loggedByService: 'Authentication Methods',
        resultReason: 'Admin registered temporary access pass method for user',
        at,
        initiatedBy: { kind: 'user', user: target, ipAddress: '198.51.100.8' },
        target: { ...target, id: `${target.id.slice(0, -4)}${String(1000 + i)}` },
        operationType: 'Add',
      });
      while (live.posts.length === count) await new Promise((r) => setTimeout(r, 20));
      singleEventMs.push((live.posts[count]?.at ?? Date.now()) - at);
    }
    await live.delivery.stop();
    await live.poller.stop();
    await live.storage.close();
    await quiet.close();
    const result: AlertsBenchResult = { ...stormResult, singleEventMs, pollIntervalMs };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await tenant.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
