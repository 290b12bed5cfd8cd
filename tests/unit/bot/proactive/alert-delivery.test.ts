import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createAlertStore } from '../../../../services/alerts/alert-store';
import { queueAlert } from '../../../../services/alerts/queue-alert';
import type { Alert } from '../../../../services/alerts/types';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { deliveryOverFakeConnector, type ConnectorAnswer } from './fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: TENANT,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/' },
};

function alert(i: number, at: number): Alert {
  return {
    id: `alert-${String(i).padStart(5, '0')}-xxxxxxxx`,
    rule: 'security-info-changed',
    severity: 'medium',
    dedupeKey: `k${i}`,
    occurredAt: new Date(at).toISOString(),
    subject: { id: `u${i}`, upn: `[click me](https://evil.example)user${i}@example.com`, displayName: null },
    actor: `user${i}@example.com`,
    actorKind: 'user',
    ip: '203.0.113.250',
    location: null,
    activity: 'User registered security info',
    detail: 'User registered Mobile Phone SMS',
    sourceIds: [`e${i}`],
  };
}

async function setup(script: (n: number, conversationId: string) => ConnectorAnswer) {
  const logger = createRecordingLogger();
  const store = createAlertStore(createMemoryStorage());
  const { delivery, posts } = deliveryOverFakeConnector(store, TENANT, { script, logger });
  const sub = await store.subscribe(channel, 'Alex', Date.now());
  return { store, delivery, posts, logger, sub };
}

describe('alert delivery (rows 38 and 40)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-11-22T12:00:00Z') });
  });
  afterEach(() => clock.restore());

  it('a single alert is posted as its own card, and the message id is kept for the verbs', async () => {
    const { store, delivery, posts, sub } = await setup(() => null);
    await queueAlert(store, alert(1, Date.now()), Date.now());
    const run = delivery.deliverOnce();
    await clock.tickAsync(5_000);
    await run;
    assert.equal(posts.length, 1);
    const card = JSON.stringify(posts[0]?.activity);
    assert.match(card, /Security info changed/);
    assert.match(card, /"verb":"alert.ack"/);
    assert.equal((await store.alert(alert(1, 0).id))?.messages[sub.key], 'msg-1');
    assert.equal((await store.outbox(sub.key)).length, 0);
  });

  it('row 40: 500 events in a minute → digest cards within the per-thread limits, every alert in some card, each < 28 KB', async () => {
    const { store, delivery, posts, sub } = await setup(() => null);
    const start = Date.now();
    for (let i = 0; i < 500; i++) await queueAlert(store, alert(i, start + i * 120), start);
    const run = delivery.deliverOnce();
    await clock.tickAsync(120_000);
    await run;
    const cards = posts.map((p) => JSON.stringify(p.activity));
    assert.ok(posts.length >= 2 && posts.length <= 60, `${posts.length} messages`);
    for (const c of cards) assert.ok(Buffer.byteLength(c) < 28_000, `card of ${Buffer.byteLength(c)} bytes`);
    for (let i = 0; i < 500; i++) {
      assert.ok(
        cards.some((c) => c.includes(`user${i}@example.com`)),
        `alert ${i} is in no card`,
      );
    }
    const times = posts.map((p) => p.at);
    for (const t of times) {
      assert.ok(times.filter((u) => u >= t && u < t + 1_000).length <= 7);
      assert.ok(times.filter((u) => u >= t && u < t + 30_000).length <= 60);
    }
    assert.equal((await store.outbox(sub.key)).length, 0);
    assert.equal((await store.subscription(sub.key))?.delivered, 500);
    // Untrusted text stays a TextRun: the markdown link is shown literally, never as a link.
    assert.ok(!cards.some((c) => /"type":"TextBlock","text":"[^"]*\[click me\]/.test(c)));
  });

  it('row 38: 403 BotNotInConversationRoster → stop, subscription inactive, operator log line, alerts kept', async () => {
    const { store, delivery, posts, logger, sub } = await setup(() => ({
      status: 403,
      code: 'BotNotInConversationRoster',
    }));
    await queueAlert(store, alert(1, Date.now()), Date.now());
    await queueAlert(store, alert(2, Date.now()), Date.now());
    const run = delivery.deliverOnce();
    await clock.tickAsync(5_000);
    await run;
    assert.equal(posts.length, 1, 'no post after the 403');
    const stored = await store.subscription(sub.key);
    assert.equal(stored?.active, false);
    assert.match(stored?.inactiveReason ?? '', /403 BotNotInConversationRoster/);
    assert.ok(logger.lines.some((l) => l.level === 'error' && /re-add the app/.test(l.msg)));
    assert.equal((await store.outbox(sub.key)).length, 2);
    const again = delivery.deliverOnce();
    await clock.tickAsync(5_000);
    await again;
    assert.equal(posts.length, 1, 'an inactive subscription is not retried');
  });

  it('row 40 (429 in a storm): throttled posts are retried after Retry-After and nothing is dropped', async () => {
    const { store, delivery, posts, sub } = await setup((n) => (n === 1 ? { status: 429, retryAfter: '2' } : null));
    for (let i = 0; i < 60; i++) await queueAlert(store, alert(i, Date.now() + i), Date.now());
    const run = delivery.deliverOnce();
    await clock.tickAsync(60_000);
    await run;
    assert.equal((await store.outbox(sub.key)).length, 0);
    assert.equal((await store.subscription(sub.key))?.delivered, 60);
    assert.equal(posts.length, 2, 'one digest, posted again after the 429');
    assert.ok((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0) >= 2_000);
  });

  it('row 38 fallback: when one channel stops, the other subscribed channels get a notice naming it', async () => {
    const { store, delivery, posts, sub } = await setup((_, conversation) =>
      conversation === '19:soc@thread.tacv2' ? null : { status: 404, code: 'ConversationNotFound' },
    );
    const soc: ConversationRef = {
      ...channel,
      conversationId: '19:soc@thread.tacv2',
      channelId: '19:soc@thread.tacv2',
      reference: { serviceUrl: channel.serviceUrl, conversation: { id: '19:soc@thread.tacv2' } },
    };
    await store.subscribe(soc, 'Alex', Date.now());
    await queueAlert(store, alert(1, Date.now()), Date.now());
    await store.updateSubscription(sub.key, (s) => ({
      ...s,
      conversation: {
        ...s.conversation,
        reference: { serviceUrl: channel.serviceUrl, conversation: { id: '19:general@thread.tacv2' } },
      },
    }));
    const run = delivery.deliverOnce();
    await clock.tickAsync(10_000);
    await run;
    assert.equal((await store.subscription(sub.key))?.active, false);
    const notices = posts.filter((p) => JSON.stringify(p.activity).includes('A channel stopped receiving alerts'));
    assert.equal(notices.length, 1);
    assert.match(JSON.stringify(notices[0]?.activity), /19:general@thread.tacv2/);
  });
});
