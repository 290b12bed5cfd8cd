import assert from 'node:assert/strict';
import { createSendQueue } from '../../../../bot/proactive/send-queue';
import { CodedError, isCodedError, type ErrorCode } from '../../../../services/errors';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef, Messenger } from '../../../../services/messaging/port';
import { noopTelemetry, type Telemetry } from '../../../../services/telemetry/port';
import { SkippingClock } from '../../../fakes/manual-clock';

// The retry and pacing policy of the one outbound path to Teams (rows 36–38), against a hand-written Messenger:
// exact waits (jitter fixed at 0), the final error, per-thread keys and queues.
const ref = (conversationId: string): ConversationRef => ({
  conversationId,
  conversationType: 'channel',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
});
const teams = (code: ErrorCode, details: Record<string, unknown> = {}) => new CodedError(code, code, details);

/** A Messenger whose n-th call (over send and update) throws what `script(n)` returns, else succeeds. */
function scripted(script: (n: number) => Error | null) {
  let n = 0;
  const calls: string[] = [];
  const messenger: Messenger = {
    send: (to) => {
      calls.push(`send:${to.conversationId}`);
      const failure = script(++n);
      return failure ? Promise.reject(failure) : Promise.resolve({ activityId: `a${n}` });
    },
    update: (to, id) => {
      calls.push(`update:${to.conversationId}:${id}`);
      const failure = script(++n);
      return failure ? Promise.reject(failure) : Promise.resolve();
    },
    personalChat: () => Promise.resolve(ref('personal')),
  };
  return { messenger, calls };
}

function setup(script: (n: number) => Error | null, options: Partial<Parameters<typeof createSendQueue>[0]> = {}) {
  const clock = new SkippingClock(Date.parse('2026-11-22T12:00:00Z'));
  const { messenger, calls } = scripted(script);
  const depth: number[] = [];
  const telemetry: Telemetry = { ...noopTelemetry, add: (_m, v) => void depth.push(v) };
  const queue = createSendQueue({ messenger, clock, logger: silentLogger, random: () => 0.5, telemetry, ...options });
  return { clock, queue, calls, depth };
}

describe('send queue: retry and pacing policy', () => {
  it('backs off 2 s, 4 s, 8 s (jitter 0), capped at the maximum', async () => {
    const s = setup((n) => (n <= 3 ? teams('teams_retryable', { status: 503 }) : null));
    assert.deepEqual(await s.queue.send(ref('19:a'), { text: 'x' }), { kind: 'sent', activityId: 'a4' });
    assert.deepEqual(s.clock.sleeps, [2_000, 4_000, 8_000]);
    const capped = setup((n) => (n <= 3 ? teams('teams_retryable', { status: 502 }) : null), { maxDelayMs: 5_000 });
    await capped.queue.send(ref('19:a'), { text: 'x' });
    assert.deepEqual(capped.clock.sleeps, [2_000, 4_000, 5_000]);
  });

  it('jitter moves each wait by up to ±1 s', async () => {
    const low = setup((n) => (n === 1 ? teams('teams_retryable', { status: 503 }) : null), { random: () => 0 });
    await low.queue.send(ref('19:a'), { text: 'x' });
    assert.deepEqual(low.clock.sleeps, [1_000]);
    const high = setup((n) => (n === 1 ? teams('teams_retryable', { status: 503 }) : null), { random: () => 1 });
    await high.queue.send(ref('19:a'), { text: 'x' });
    assert.deepEqual(high.clock.sleeps, [3_000]);
  });

  it("Teams' Retry-After wins when it is longer than the backoff, and not when it is shorter", async () => {
    const long = setup((n) => (n === 1 ? teams('teams_throttled', { status: 429, retryAfterMs: 10_000 }) : null));
    await long.queue.send(ref('19:a'), { text: 'x' });
    assert.deepEqual(long.clock.sleeps, [10_000]);
    const short = setup((n) => (n === 1 ? teams('teams_throttled', { status: 429, retryAfterMs: 500 }) : null));
    await short.queue.send(ref('19:a'), { text: 'x' });
    assert.deepEqual(short.clock.sleeps, [2_000]);
  });

  it('after three retries the connector error is thrown with the attempts made and the wait to ask for', async () => {
    const s = setup(() => teams('teams_retryable', { status: 503, teamsCode: null }));
    const error = await s.queue.messenger.send(ref('19:a'), { text: 'x' }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(isCodedError(error, 'teams_retryable'));
    assert.equal(error.details.attempts, 4);
    assert.equal(error.details.retryAfterMs, 16_000);
    assert.equal(error.details.status, 503);
    assert.equal(s.calls.length, 4);
    const deferred = setup(() => teams('teams_throttled', { status: 429, retryAfterMs: 30_000 }));
    assert.deepEqual(await deferred.queue.send(ref('19:a'), { text: 'x' }), { kind: 'deferred', retryAfterMs: 30_000 });
  });

  it('other errors are not retried: a refused serviceUrl is "refused", a plain error is thrown', async () => {
    const refused = setup(() => teams('teams_service_url_not_allowed'));
    assert.deepEqual(await refused.queue.send(ref('19:a'), { text: 'x' }), { kind: 'refused' });
    assert.equal(refused.calls.length, 1);
    const plain = setup(() => new Error('bug'));
    await assert.rejects(plain.queue.send(ref('19:a'), { text: 'x' }), /bug/);
    assert.equal(plain.calls.length, 1);
    const failed = setup(() => teams('teams_failed', { status: 500 }));
    assert.deepEqual(await failed.queue.send(ref('19:a'), { text: 'x' }), { kind: 'failed', status: 500 });
  });

  it('card updates go through the same queue and retries; personalChat does not use the thread budget', async () => {
    const s = setup((n) => (n === 1 ? teams('teams_retryable', { status: 412 }) : null));
    await s.queue.messenger.update(ref('19:a'), 'act-1', { text: 'x' });
    assert.deepEqual(s.calls, ['update:19:a:act-1', 'update:19:a:act-1']);
    assert.equal(s.queue.attempts('19:a').length, 2);
    await s.queue.messenger.personalChat(ref('19:a'), { aadObjectId: 'u' });
    assert.equal(s.queue.attempts('19:a').length, 2);
  });

  it('replies in a channel thread share the channel thread key and its limits', async () => {
    const s = setup(() => null);
    await s.queue.messenger.send(ref('19:a'), { text: '1' });
    await s.queue.messenger.send(ref('19:a;messageid=42'), { text: '2' });
    assert.equal(s.queue.attempts('19:a').length, 2);
    assert.equal(s.queue.attempts('19:a;messageid=42').length, 0);
  });

  it('a send that failed for good does not hold up the next one on the thread; idle waits for both', async () => {
    const s = setup((n) => (n === 1 ? teams('teams_failed', { status: 500 }) : null));
    const first = s.queue.messenger.send(ref('19:a'), { text: '1' });
    const second = s.queue.messenger.send(ref('19:a'), { text: '2' });
    await s.queue.idle();
    await assert.rejects(first, (e: unknown) => isCodedError(e, 'teams_failed'));
    assert.deepEqual(await second, { activityId: 'a2' });
    assert.deepEqual(s.depth, [1, 1, -1, -1]);
  });

  it('paces a thread inside its limit: the third post in a 2-per-second window waits for the first to leave it', async () => {
    const s = setup(() => null, { limits: [{ count: 2, windowMs: 1_000 }], marginMs: 0 });
    const start = s.clock.now();
    for (let i = 0; i < 3; i++) await s.queue.messenger.send(ref('19:a'), { text: String(i) });
    assert.deepEqual(s.clock.sleeps, [1_000], 'only the third post waited, exactly until the first left the window');
    assert.deepEqual(s.queue.attempts('19:a').at(-1), start + 1_000);
    const other = await s.queue.messenger.send(ref('19:b'), { text: 'b' });
    assert.ok(other.activityId, 'another thread has its own budget');
    assert.deepEqual(s.clock.sleeps, [1_000]);
  });
});
