import assert from 'node:assert/strict';
import { createAlertStore, type AlertStore } from '../../../../services/alerts/alert-store';
import { AUDIT_OVERLAP_MS, createAlertPoller, POLLER_LEASE_KEY } from '../../../../services/alerts/poller';
import type { Storage } from '../../../../services/storage/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { silentLogger } from '../../../../services/log';
import { ManualClock } from '../../../fakes/manual-clock';
import { auditRecord, createFakeAuditGraph, expiredLink, throttled } from './fake-audit-graph';

const MIN = 60_000;
const channel = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel' as const,
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

async function queuedAlertSources(store: AlertStore): Promise<string[]> {
  const [sub] = await store.subscriptions();
  const ids: string[] = [];
  for (const item of await store.outbox(sub?.key ?? '')) {
    const record = await store.alert(item.value.alertId);
    ids.push(...(record?.alert.sourceIds ?? []));
  }
  return ids.sort();
}

function setup(
  storage: Storage = createMemoryStorage(),
  clock = new ManualClock(),
  owner = 'a',
  overlapMs: number | null = 10 * MIN,
) {
  const graph = createFakeAuditGraph(2);
  const store = createAlertStore(storage);
  const poller = createAlertPoller({
    graph: graph.client,
    store,
    clock,
    logger: silentLogger,
    owner,
    intervalMs: 10_000,
    ...(overlapMs !== null ? { overlapMs } : {}),
    stallMs: 15 * MIN,
  });
  return { graph, store, poller, clock, storage };
}

// Each user gets their own subject so the suppression window does not fold distinct test events.
const user = (n: number) => ({ id: `u-${n}`, upn: `user${n}@example.com` });

describe('alert poller (rows 32–35)', () => {
  it('first poll reads from now minus the overlap, background priority, and queues nothing older', async () => {
    const { graph, store, poller, clock } = setup();
    await store.subscribe(channel, 'Alex', clock.now());
    graph.log.push(auditRecord('old', clock.now() - 11 * MIN, 'User registered security info', user(1)));
    graph.log.push(auditRecord('new', clock.now() - 2 * MIN, 'User registered security info', user(2)));
    const outcome = await poller.pollOnce();
    assert.equal(outcome.kind, 'polled');
    assert.match(decodeURIComponent(graph.paths[0] ?? ''), /activityDateTime ge 2026-11-22T11:50:00.000Z/);
    assert.deepEqual([...new Set(graph.priorities)], ['background'], 'interactive checks go first');
    assert.deepEqual(await queuedAlertSources(store), ['new']);
  });

  it('row 32: killed after page 1 of 3 and restarted elsewhere → nothing lost, no duplicate alert', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock();
    const first = setup(storage, clock, 'instance-1');
    await first.store.subscribe(channel, 'Alex', clock.now());
    await first.poller.pollOnce();
    for (let i = 0; i < 6; i++) {
      first.graph.log.push(auditRecord(`e${i}`, clock.now() + i * 1000, 'User registered security info', user(i)));
    }
    clock.advance(10_000);
    // The process dies while fetching page 2 (any error that is not a coded Graph outcome, e.g. SIGKILL mid-await).
    first.graph.failWhen((path) => (path.includes('skiptoken=2') ? new Error('process killed') : null));
    const killed = await first.poller.pollOnce();
    assert.equal(killed.kind, 'failed');
    assert.deepEqual(await queuedAlertSources(first.store), ['e0', 'e1']);
    const watermarkAfterKill = (await first.store.pollerState()).watermark;

    const second = setup(storage, clock, 'instance-2');
    second.graph.log.push(...first.graph.log);
    assert.equal((await second.poller.pollOnce()).kind, 'not-leader', 'the dead instance still holds the lease');
    clock.advance(31_000);
    const resumed = await second.poller.pollOnce();
    assert.equal(resumed.kind, 'polled');
    assert.notEqual((await second.store.pollerState()).watermark, watermarkAfterKill);
    assert.deepEqual(await queuedAlertSources(second.store), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('row 33: a duplicated event makes one alert; a late event (4 min behind the watermark) is caught by the overlap', async () => {
    const { graph, store, poller, clock } = setup();
    await store.subscribe(channel, 'Alex', clock.now());
    await poller.pollOnce();
    const dup = auditRecord('dup', clock.now() + 1000, 'User registered security info', user(1));
    graph.log.push(dup, { ...dup }, { ...dup });
    clock.advance(10_000);
    await poller.pollOnce();
    // Logged late: it happened 4 minutes before the watermark but only appears now.
    graph.log.push(auditRecord('late', clock.now() - 4 * MIN, 'User registered security info', user(2)));
    clock.advance(10_000);
    await poller.pollOnce();
    clock.advance(10_000);
    await poller.pollOnce();
    assert.deepEqual(await queuedAlertSources(store), ['dup', 'late']);
  });

  it('the default overlap (what the bot runs with) reaches 15 minutes back: an event logged 14 min late is caught', async () => {
    const { graph, store, poller, clock } = setup(undefined, undefined, 'a', null);
    await store.subscribe(channel, 'Alex', clock.now());
    await poller.pollOnce();
    clock.advance(10_000);
    await poller.pollOnce();
    graph.log.push(auditRecord('late-14', clock.now() - 14 * MIN, 'User registered security info', user(1)));
    graph.log.push(auditRecord('late-16', clock.now() - 16 * MIN, 'User registered security info', user(2)));
    clock.advance(10_000);
    await poller.pollOnce();
    assert.deepEqual(await queuedAlertSources(store), ['late-14']);
    assert.ok(AUDIT_OVERLAP_MS >= 15 * MIN);
  });

  for (const [name, failure] of [
    ['an expired nextLink (400)', expiredLink],
    ['a 429 that outlasts the client retries', throttled],
  ] as const) {
    it(`row 34: ${name} does not advance the watermark; the next poll re-reads without duplicates`, async () => {
      const { graph, store, poller, clock } = setup();
      await store.subscribe(channel, 'Alex', clock.now());
      await poller.pollOnce();
      const before = (await store.pollerState()).watermark;
      for (let i = 0; i < 5; i++) {
        graph.log.push(auditRecord(`e${i}`, clock.now() + i * 1000, 'User registered security info', user(i)));
      }
      clock.advance(10_000);
      graph.failWhen((path) => (path.includes('skiptoken=2') ? failure() : null));
      const failed = await poller.pollOnce();
      assert.deepEqual(failed.kind, 'failed');
      const state = await store.pollerState();
      assert.equal(state.watermark, before);
      assert.equal(state.lastPollOk, false);
      graph.failWhen(null);
      clock.advance(10_000);
      const requery = graph.paths.length;
      assert.equal((await poller.pollOnce()).kind, 'polled');
      assert.match(
        decodeURIComponent(graph.paths[requery] ?? ''),
        new RegExp(`ge ${new Date(Date.parse(before ?? '') - 10 * MIN).toISOString()}`),
      );
      assert.deepEqual(await queuedAlertSources(store), ['e0', 'e1', 'e2', 'e3', 'e4']);
    });
  }

  it('row 35: two pollers on one store → one active; the other takes over only after the lease expires', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock();
    const a = setup(storage, clock, 'a');
    const b = setup(storage, clock, 'b');
    const [ra, rb] = await Promise.all([a.poller.pollOnce(), b.poller.pollOnce()]);
    assert.deepEqual([ra.kind, rb.kind].sort(), ['not-leader', 'polled']);
    clock.advance(10_000);
    assert.equal((await a.poller.pollOnce()).kind, ra.kind, 'the holder renews its lease');
    assert.equal((await b.poller.pollOnce()).kind, rb.kind);
  });

  it('start(): polls at once, then again when the injected clock passes the interval (± 10 % jitter); stop() ends it', async () => {
    const { graph, poller, clock } = setup();
    const settle = async () => {
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    poller.start();
    await settle();
    const first = graph.paths.length;
    assert.ok(first > 0, 'the first poll reads at once');
    clock.advance(8_999);
    await settle();
    assert.equal(graph.paths.length, first, 'not before 90 % of the interval');
    clock.advance(2_001);
    await settle();
    assert.ok(graph.paths.length > first, 'polled again by 110 % of the interval');
    await poller.stop();
    const stopped = graph.paths.length;
    clock.advance(60_000);
    await settle();
    assert.equal(graph.paths.length, stopped, 'no poll after stop()');
  });

  it('stop() hands the lease over: the other instance polls at once, not after the lease expires', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock();
    const a = setup(storage, clock, 'a');
    const b = setup(storage, clock, 'b');
    assert.equal((await a.poller.pollOnce()).kind, 'polled');
    assert.equal((await b.poller.pollOnce()).kind, 'not-leader');
    a.poller.start();
    await a.poller.stop();
    assert.equal(await storage.get(POLLER_LEASE_KEY), undefined);
    assert.equal((await b.poller.pollOnce()).kind, 'polled');
    await a.poller.stop();
    assert.equal((await b.poller.pollOnce()).kind, 'polled', "a second stop() must not release b's lease");
  });

  it('stalled registration: a device added with no "User registered security info" within STALL_MINUTES alerts once', async () => {
    const { graph, store, poller, clock } = setup();
    await store.subscribe(channel, 'Alex', clock.now());
    await poller.pollOnce();
    const t = clock.now() + 1000;
    graph.log.push(auditRecord('start-1', t, 'User started security info registration', user(1)));
    graph.log.push(auditRecord('start-2', t, 'User started security info registration', user(2)));
    graph.log.push(auditRecord('done-2', t + 30_000, 'User registered security info', user(2)));
    clock.advance(60_000);
    await poller.pollOnce();
    const rules = async () => {
      const [sub] = await store.subscriptions();
      const out: string[] = [];
      for (const i of await store.outbox(sub?.key ?? ''))
        out.push(`${(await store.alert(i.value.alertId))?.alert.rule}`);
      return out.sort();
    };
    assert.deepEqual(await rules(), ['security-info-changed'], 'not yet stalled; the completion alerts as a change');
    clock.advance(15 * MIN);
    await poller.pollOnce();
    clock.advance(10_000);
    await poller.pollOnce();
    assert.deepEqual(await rules(), ['security-info-changed', 'unverified-registration']);
  });
});

describe('alert poller sources', () => {
  it('a failing source (riskyUsers without P2) is logged and does not hold back the watermark', async () => {
    const clock = new ManualClock();
    const graph = createFakeAuditGraph(2);
    const store = createAlertStore(createMemoryStorage());
    const poller = createAlertPoller({
      graph: graph.client,
      store,
      clock,
      logger: silentLogger,
      owner: 'a',
      intervalMs: 10_000,
      overlapMs: 10 * MIN,
      stallMs: 15 * MIN,
      sources: [() => Promise.reject(new Error('403 Authorization_RequestDenied'))],
    });
    assert.equal((await poller.pollOnce()).kind, 'polled');
    assert.equal((await store.pollerState()).watermark, new Date(clock.now()).toISOString());
  });
});
