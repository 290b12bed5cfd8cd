import assert from 'node:assert/strict';
import { createSendQueue } from '../../../../bot/proactive/send-queue';
import { CodedError } from '../../../../services/errors';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef, Messenger } from '../../../../services/messaging/port';
import { ManualClock } from '../../../fakes/manual-clock';

// Once-only and in order per thread, the exact pacing window, and what a final failure turns into — against a
// hand-written Messenger whose posts the test completes one by one, on a manual clock.
const ref = (conversationId: string): ConversationRef => ({
  conversationId,
  conversationType: 'channel',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

/** A Messenger whose posts stay in flight until the test finishes them. */
function held(clock: ManualClock) {
  const started: { what: string; at: number; finish: (error?: Error) => void }[] = [];
  const start = <T>(what: string, value: T): Promise<T> =>
    new Promise<T>((resolve, reject) =>
      started.push({ what, at: clock.now(), finish: (error) => (error ? reject(error) : resolve(value)) }),
    );
  const messenger: Messenger = {
    send: (to, message) => start(`send:${to.conversationId}:${message.text ?? ''}`, { activityId: message.text ?? '' }),
    update: (to, id, message) => start(`update:${to.conversationId}:${id}:${message.text ?? ''}`, undefined),
    personalChat: (via, user) => Promise.resolve({ ...via, conversationId: `chat-with-${user.aadObjectId}` }),
  };
  return { messenger, started };
}

describe('send queue: one thread, one post at a time, each once', () => {
  it("a thread's posts and updates start one after the other, in the order given, even while one is slow", async () => {
    const clock = new ManualClock();
    const { messenger, started } = held(clock);
    const queue = createSendQueue({ messenger, clock, logger: silentLogger, limits: [] });
    const a = queue.messenger.send(ref('19:a'), { text: '1' });
    const b = queue.messenger.update(ref('19:a'), 'act-1', { text: '2' });
    const c = queue.messenger.send(ref('19:a;messageid=9'), { text: '3' });
    const other = queue.messenger.send(ref('19:other'), { text: 'x' });
    await settle();
    assert.deepEqual(
      started.map((s) => s.what),
      ['send:19:a:1', 'send:19:other:x'],
      "another thread does not wait; the thread's second post waits for its first",
    );
    started[0]?.finish();
    await settle();
    assert.deepEqual(started.map((s) => s.what).slice(2), ['update:19:a:act-1:2']);
    // The first post ended; a post queued now still waits behind the second, which is in flight.
    const d = queue.messenger.send(ref('19:a'), { text: '4' });
    await settle();
    assert.equal(started.length, 3);
    started[2]?.finish(new CodedError('teams_failed', 'Teams answered 500', { status: 500 }));
    await settle();
    // A failed post (not retried: 500) does not stop the thread: the next one goes, exactly once.
    assert.deepEqual(started.map((s) => s.what).slice(3), ['send:19:a;messageid=9:3']);
    started[3]?.finish();
    await settle();
    assert.deepEqual(started.map((s) => s.what).slice(4), ['send:19:a:4']);
    started[4]?.finish();
    started[1]?.finish();
    assert.deepEqual(await a, { activityId: '1' });
    await assert.rejects(b, (e: CodedError) => e.code === 'teams_failed');
    assert.deepEqual(await c, { activityId: '3' });
    assert.deepEqual(await d, { activityId: '4' });
    assert.deepEqual(await other, { activityId: 'x' });
    assert.equal(started.length, 5, 'each post started once');
  });

  it('idle() waits for what is queued and in flight (shutdown drains), then resolves', async () => {
    const clock = new ManualClock();
    const { messenger, started } = held(clock);
    const queue = createSendQueue({ messenger, clock, logger: silentLogger, limits: [] });
    void queue.messenger.send(ref('19:a'), { text: '1' });
    void queue.messenger.send(ref('19:a'), { text: '2' });
    let idle = false;
    void queue.idle().then(() => (idle = true));
    await settle();
    assert.equal(idle, false);
    started[0]?.finish();
    await settle();
    assert.equal(idle, false, 'the second post is still in flight');
    started[1]?.finish();
    await settle();
    assert.equal(idle, true);
  });

  it('personalChat is not a post in a thread: it goes straight to the messenger', async () => {
    const clock = new ManualClock();
    const { messenger, started } = held(clock);
    const queue = createSendQueue({ messenger, clock, logger: silentLogger });
    void queue.messenger.send(ref('19:a'), { text: 'slow' });
    const chat = await queue.messenger.personalChat(ref('19:a'), { aadObjectId: 'u1' });
    assert.equal(chat.conversationId, 'chat-with-u1');
    assert.equal(started.length, 1);
  });
});

describe('send queue: the pacing window, to the millisecond', () => {
  function paced(marginMs: number) {
    const clock = new ManualClock(1_000_000);
    const { messenger, started } = held(clock);
    const queue = createSendQueue({
      messenger,
      clock,
      logger: silentLogger,
      limits: [{ count: 1, windowMs: 1_000 }],
      marginMs,
    });
    return { clock, queue, started };
  }

  it('a post after a pause waits only for the rest of the window', async () => {
    const { clock, queue, started } = paced(0);
    void queue.messenger.send(ref('19:a'), { text: '1' });
    await settle();
    started[0]?.finish();
    clock.advance(600);
    void queue.messenger.send(ref('19:a'), { text: '2' });
    await settle();
    assert.equal(started.length, 1);
    clock.advance(399);
    await settle();
    assert.equal(started.length, 1, 'not before the window ends');
    clock.advance(1);
    await settle();
    assert.equal(started[1]?.at, 1_001_000);
  });

  it('the margin widens every window (our time is taken before the post leaves)', async () => {
    const { clock, queue, started } = paced(250);
    void queue.messenger.send(ref('19:a'), { text: '1' });
    await settle();
    started[0]?.finish();
    clock.advance(900);
    void queue.messenger.send(ref('19:a'), { text: '2' });
    await settle();
    assert.equal(started.length, 1, 'at 900 ms the window (1 s + 250 ms) is still full');
    clock.advance(350);
    await settle();
    assert.equal(started[1]?.at, 1_001_250);
  });
});

describe('send queue as the alert sender: the outcome of a final failure', () => {
  function failingWith(error: Error) {
    const messenger: Messenger = {
      send: () => Promise.reject(error),
      update: () => Promise.reject(error),
      personalChat: () => Promise.reject(error),
    };
    return createSendQueue({ messenger, clock: new ManualClock(), logger: silentLogger });
  }

  it('gone without a Teams code says null; a failure without a status says 0', async () => {
    assert.deepEqual(
      await failingWith(new CodedError('teams_gone', 'gone', { status: 403 })).send(ref('19:a'), { text: 'x' }),
      {
        kind: 'gone',
        status: 403,
        teamsCode: null,
      },
    );
    assert.deepEqual(
      await failingWith(new CodedError('teams_failed', 'no conversation', {})).send(ref('19:a'), { text: 'x' }),
      {
        kind: 'failed',
        status: 0,
      },
    );
  });
});
