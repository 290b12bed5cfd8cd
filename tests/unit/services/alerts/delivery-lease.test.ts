import assert from 'node:assert/strict';
import { createAlertStore } from '../../../../services/alerts/alert-store';
import { createAlertDelivery } from '../../../../services/alerts/delivery';
import type { AlertRenderer, AlertSender } from '../../../../services/alerts/ports';
import { queueAlert } from '../../../../services/alerts/queue-alert';
import type { Alert } from '../../../../services/alerts/types';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';

const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: 'tenant',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

const alert = (i: number, at: number): Alert => ({
  id: `alert-${i}`,
  rule: 'security-info-changed',
  severity: 'medium',
  dedupeKey: `k${i}`,
  occurredAt: new Date(at).toISOString(),
  subject: { id: `u${i}`, upn: `user${i}@example.com`, displayName: null },
  actor: null,
  actorKind: 'user',
  ip: null,
  location: null,
  activity: 'User registered security info',
  detail: '',
  sourceIds: [`e${i}`],
});

const renderer: AlertRenderer = {
  alert: (record) => ({ text: record.alert.id }),
  digest: (alerts) => alerts.map((a) => ({ message: { text: a.id }, alertIds: [a.id] })),
  stopped: () => ({ text: 'stopped' }),
};

/** Two bot instances sharing one outbox: each with its own delivery loop and sender, as in two processes. */
function twoInstances() {
  const store = createMemoryStore();
  const clock = new ManualClock();
  const posts: { by: string; text: string }[] = [];
  const instance = (name: string) => {
    const alerts = createAlertStore(createMemoryStorage(store));
    const sender: AlertSender = {
      send: (_to, message) => {
        posts.push({ by: name, text: message.text ?? '' });
        return Promise.resolve({ kind: 'sent', activityId: `m${posts.length}` });
      },
    };
    const delivery = createAlertDelivery({
      store: alerts,
      sender,
      renderer,
      clock,
      logger: silentLogger,
      owner: name,
      leaseTtlMs: 10_000,
    });
    return { alerts, delivery };
  };
  return { clock, posts, a: instance('a'), b: instance('b') };
}

/** Lets promise chains and storage calls run (the loop's next wait is then registered on the manual clock). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('alert delivery on the loop helper', () => {
  it('start(): passes at once, then each time the injected clock moves one tick; kick() passes at once; stop() ends it', async () => {
    const { clock, posts, a } = twoInstances();
    await a.alerts.subscribe(channel, 'Alex', clock.now());
    a.delivery.start();
    await settle();
    await queueAlert(a.alerts, alert(0, clock.now()), clock.now());
    await settle();
    assert.equal(posts.length, 0, 'queued after the first pass: it waits for the next tick');
    clock.advance(1_000);
    await settle();
    assert.deepEqual(
      posts.map((p) => p.text),
      ['alert-0'],
    );
    await queueAlert(a.alerts, alert(1, clock.now()), clock.now());
    a.delivery.kick();
    await settle();
    assert.deepEqual(
      posts.map((p) => p.text),
      ['alert-0', 'alert-1'],
      'kick() passes without the clock moving',
    );
    await a.delivery.stop();
    await queueAlert(a.alerts, alert(2, clock.now()), clock.now());
    clock.advance(10_000);
    await settle();
    assert.equal(posts.length, 2, 'nothing after stop()');
  });
});

describe('alert delivery with two instances on one store', () => {
  it('posts every alert once: only the instance holding the delivery lease delivers', async () => {
    const { clock, posts, a, b } = twoInstances();
    await a.alerts.subscribe(channel, 'Alex', clock.now());
    for (let i = 0; i < 3; i++) await queueAlert(a.alerts, alert(i, clock.now()), clock.now());
    await Promise.all([a.delivery.deliverOnce(), b.delivery.deliverOnce()]);
    await Promise.all([a.delivery.deliverOnce(), b.delivery.deliverOnce()]);
    assert.deepEqual(posts.map((p) => p.text).sort(), ['alert-0', 'alert-1', 'alert-2']);
    assert.equal(new Set(posts.map((p) => p.by)).size, 1);
  });

  it('hands delivery over when the holder stops renewing, and the old holder posts nothing after that', async () => {
    const { clock, posts, a, b } = twoInstances();
    await a.alerts.subscribe(channel, 'Alex', clock.now());
    await queueAlert(a.alerts, alert(0, clock.now()), clock.now());
    await a.delivery.deliverOnce();
    assert.deepEqual(posts, [{ by: 'a', text: 'alert-0' }]);
    await queueAlert(a.alerts, alert(1, clock.now()), clock.now());
    await b.delivery.deliverOnce();
    assert.equal(posts.length, 1, 'b waits while a holds the lease');
    clock.advance(10_001);
    await b.delivery.deliverOnce();
    await a.delivery.deliverOnce();
    assert.deepEqual(posts, [
      { by: 'a', text: 'alert-0' },
      { by: 'b', text: 'alert-1' },
    ]);
  });

  it('hands delivery over at once when the holder releases its lease at shutdown', async () => {
    const { clock, posts, a, b } = twoInstances();
    await a.alerts.subscribe(channel, 'Alex', clock.now());
    await a.delivery.deliverOnce();
    await a.delivery.release();
    await queueAlert(a.alerts, alert(0, clock.now()), clock.now());
    await b.delivery.deliverOnce();
    assert.deepEqual(posts, [{ by: 'b', text: 'alert-0' }]);
  });
});
