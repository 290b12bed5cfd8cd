import assert from 'node:assert/strict';
import { createAlertStore } from '../../../../services/alerts/alert-store';
import { createAlertsService } from '../../../../services/alerts/alerts-service';
import { queueAlert } from '../../../../services/alerts/queue-alert';
import type { Alert } from '../../../../services/alerts/types';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';

const ref = (overrides: Partial<ConversationRef> = {}): ConversationRef => ({
  conversationId: '19:general@thread.tacv2;messageid=1700000000000',
  conversationType: 'channel',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
  ...overrides,
});

const alert = (id: string, user: string, at: number): Alert => ({
  id,
  rule: 'security-info-changed',
  severity: 'medium',
  dedupeKey: `security-info-changed:${user}:${id}`,
  occurredAt: new Date(at).toISOString(),
  subject: { id: user, upn: `${user}@example.com`, displayName: null },
  actor: null,
  actorKind: 'user',
  ip: null,
  location: null,
  activity: 'User registered security info',
  detail: null,
  sourceIds: [id],
});

function setup() {
  const clock = new ManualClock();
  const store = createAlertStore(createMemoryStorage());
  const service = createAlertsService({
    store,
    clock,
    logger: silentLogger,
    allowedServiceUrlHosts: ['smba.trafficmanager.net'],
  });
  return { clock, store, service };
}

describe('alerts service: subscriptions, install events, snooze and acknowledge', () => {
  it('alerts on subscribes the channel (not the thread); personal chats and foreign hosts are refused', async () => {
    const { service, store } = setup();
    const outcome = await service.subscribe(ref(), 'Alex');
    assert.equal(outcome.kind, 'subscribed');
    const [sub] = await store.subscriptions();
    assert.equal(sub?.conversation.conversationId, '19:general@thread.tacv2');
    assert.equal((await service.subscribe(ref({ conversationType: 'personal' }), 'Alex')).kind, 'not-a-channel');
    assert.equal(
      (await service.subscribe(ref({ conversationId: '19:b', serviceUrl: 'https://evil.example/' }), 'Alex')).kind,
      'host-not-allowed',
    );
    assert.equal((await store.subscriptions()).length, 1);
  });

  it('uninstall deactivates; reinstall resumes a subscription stopped by Teams, but not one turned off', async () => {
    const { service, store } = setup();
    await service.subscribe(ref(), 'Alex');
    await service.onConversationEvent(ref(), false);
    assert.equal((await store.subscriptions())[0]?.active, false);
    await service.onConversationEvent(ref({ serviceUrl: 'https://smba.trafficmanager.net/amer/' }), true);
    const resumed = (await store.subscriptions())[0];
    assert.equal(resumed?.active, true);
    assert.equal(resumed?.conversation.serviceUrl, 'https://smba.trafficmanager.net/amer/', 'reference kept current');
    await service.unsubscribe(ref());
    await service.onConversationEvent(ref(), true);
    assert.equal((await store.subscriptions())[0]?.active, false);
  });

  it('a reinstall event with a foreign serviceUrl does not replace the stored reference', async () => {
    const { service, store } = setup();
    await service.subscribe(ref(), 'Alex');
    await service.onConversationEvent(ref({ serviceUrl: 'https://evil.example/' }), true);
    assert.equal((await store.subscriptions())[0]?.conversation.serviceUrl, 'https://smba.trafficmanager.net/emea/');
  });

  it('acknowledge records who; snooze silences the rule for that user for 24 h only', async () => {
    const { service, store, clock } = setup();
    await service.subscribe(ref(), 'Alex');
    const first = alert('a1', 'pat', clock.now());
    await queueAlert(store, first, clock.now());
    const acked = await service.acknowledge('a1', 'Megan');
    assert.equal(acked.kind === 'done' && acked.record.acknowledged?.by, 'Megan');
    assert.equal((await service.snooze('a1', 'Megan')).kind, 'done');
    assert.equal((await queueAlert(store, alert('a2', 'pat', clock.now()), clock.now())).kind, 'snoozed');
    assert.equal((await queueAlert(store, alert('a3', 'sam', clock.now()), clock.now())).kind, 'queued');
    clock.advance(24 * 3600_000 + 1);
    assert.equal((await queueAlert(store, alert('a4', 'pat', clock.now()), clock.now())).kind, 'queued');
    assert.equal((await service.acknowledge('missing', 'Megan')).kind, 'not-found');
  });

  it('the suppression window folds a repeat with the same dedupe key; a re-run of the same alert is idempotent', async () => {
    const { store, clock } = setup();
    await store.subscribe(ref(), 'Alex', clock.now());
    const a = { ...alert('b1', 'pat', clock.now()), dedupeKey: 'same' };
    const b = { ...alert('b2', 'pat', clock.now() + 1000), dedupeKey: 'same' };
    assert.equal((await queueAlert(store, a, clock.now())).kind, 'queued');
    assert.equal((await queueAlert(store, a, clock.now())).kind, 'already-queued');
    assert.equal((await queueAlert(store, b, clock.now())).kind, 'suppressed');
    const [sub] = await store.subscriptions();
    assert.equal((await store.outbox(sub?.key ?? '')).length, 1);
  });

  it('status shows the poller state, the lag and per-channel queue counts', async () => {
    const { service, store, clock } = setup();
    await service.subscribe(ref(), 'Alex');
    await store.updatePollerState((s) => ({ ...s, watermark: new Date(clock.now() - 7000).toISOString() }));
    await queueAlert(store, alert('c1', 'pat', clock.now()), clock.now());
    const status = await service.status();
    assert.equal(status.lagMs, 7000);
    assert.equal(status.subscriptions[0]?.queued, 1);
  });
});
