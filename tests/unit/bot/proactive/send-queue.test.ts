import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createMessenger } from '../../../../bot/proactive/messenger';
import { createSendQueue } from '../../../../bot/proactive/send-queue';
import { systemClock } from '../../../../services/clock';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createFakeConnector, type ConnectorAnswer } from './fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const channel = (serviceUrl = 'https://smba.trafficmanager.net/emea/'): ConversationRef => ({
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: TENANT,
  serviceUrl,
  reference: { serviceUrl, conversation: { id: '19:general@thread.tacv2' } },
});

function queueWith(script: (attempt: number) => ConnectorAnswer) {
  const connector = createFakeConnector(script);
  const messenger = createMessenger({
    adapter: connector.adapter,
    appId: 'app',
    allowedTenantId: TENANT,
    allowedServiceUrlHosts: ['smba.trafficmanager.net'],
    logger: silentLogger,
  });
  const queue = createSendQueue({ messenger, clock: systemClock, logger: silentLogger, random: () => 0.5 });
  return { queue, posts: connector.posts };
}

describe('per-thread send queue over the messenger (rows 36–39)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-11-22T12:00:00Z') });
  });
  afterEach(() => clock.restore());

  it('row 36: Teams 429 then 201 → sent once, after the Retry-After', async () => {
    const { queue, posts } = queueWith((n) => (n === 1 ? { status: 429, retryAfter: '3' } : null));
    const sending = queue.send(channel(), { text: 'alert' });
    await clock.tickAsync(60_000);
    assert.deepEqual(await sending, { kind: 'sent', activityId: 'msg-2' });
    assert.equal(posts.length, 2);
    assert.ok((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0) >= 3_000);
  });

  for (const status of [412, 502, 503, 504]) {
    it(`row 37: ${status} is retried with backoff and then succeeds`, async () => {
      const { queue, posts } = queueWith((n) => (n <= 2 ? { status } : null));
      const sending = queue.send(channel(), { text: 'alert' });
      await clock.tickAsync(120_000);
      assert.equal((await sending).kind, 'sent');
      assert.equal(posts.length, 3);
      // Exponential: the second wait is longer than the first (2 s, then 4 s, ± jitter).
      const gaps = [posts[1]!.at - posts[0]!.at, posts[2]!.at - posts[1]!.at];
      assert.ok(gaps[0]! >= 1_000 && gaps[1]! > gaps[0]!, JSON.stringify(gaps));
    });
  }

  it('row 37: 500 is surfaced and not retried', async () => {
    const { queue, posts } = queueWith(() => ({ status: 500 }));
    const sending = queue.send(channel(), { text: 'alert' });
    await clock.tickAsync(60_000);
    assert.deepEqual(await sending, { kind: 'failed', status: 500 });
    assert.equal(posts.length, 1);
  });

  it('a retryable answer that never ends is deferred after the retries, not dropped', async () => {
    const { queue, posts } = queueWith(() => ({ status: 503 }));
    const sending = queue.send(channel(), { text: 'alert' });
    await clock.tickAsync(300_000);
    const outcome = await sending;
    assert.equal(outcome.kind, 'deferred');
    assert.equal(posts.length, 4);
  });

  for (const [status, code] of [
    [403, 'BotNotInConversationRoster'],
    [403, 'ConversationBlockedByUser'],
    [404, 'ConversationNotFound'],
  ] as const) {
    it(`row 38: ${status} ${code} stops: one attempt, outcome gone`, async () => {
      const { queue, posts } = queueWith(() => ({ status, code }));
      const sending = queue.send(channel(), { text: 'alert' });
      await clock.tickAsync(60_000);
      assert.deepEqual(await sending, { kind: 'gone', status, teamsCode: code });
      assert.equal(posts.length, 1);
    });
  }

  it('row 39: a stored reference with a foreign serviceUrl host → refused, no outbound request', async () => {
    const { queue, posts } = queueWith(() => null);
    const outcome = await queue.send(channel('https://smba.trafficmanager.net.evil.example/emea/'), { text: 'x' });
    assert.deepEqual(outcome, { kind: 'refused' });
    assert.equal(posts.length, 0);
  });

  it('row 36: 100 posts to one thread stay within 7 per second and 60 per 30 s, in order, none dropped', async () => {
    const { queue, posts } = queueWith((n) => (n % 25 === 0 ? { status: 429, retryAfter: '1' } : null));
    const all = Array.from({ length: 100 }, (_, i) => queue.send(channel(), { text: `alert ${i}` }));
    await clock.tickAsync(600_000);
    const outcomes = await Promise.all(all);
    assert.ok(outcomes.every((o) => o.kind === 'sent'));
    const times = posts.map((p) => p.at);
    for (const t of times) {
      assert.ok(times.filter((u) => u >= t && u < t + 1_000).length <= 7);
      assert.ok(times.filter((u) => u >= t && u < t + 30_000).length <= 60);
    }
    const texts = posts.map((p) => (p.activity as { text?: string }).text);
    assert.deepEqual(
      [...new Set(texts)],
      outcomes.map((_, i) => `alert ${i}`),
    );
  });
});
