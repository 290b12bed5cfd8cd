import assert from 'node:assert/strict';
import sinon from 'sinon';
import { systemClock } from '../../../../services/clock';
import { isCodedError } from '../../../../services/errors';
import { createClassScheduler } from '../../../../services/graph/scheduler';
import type { Priority } from '../../../../services/graph/scheduler';
import {
  concurrencyPolicy,
  slidingWindowPolicy,
  tokenBucketPolicy,
} from '../../../../services/graph/throttle-policies';

describe('per-class schedulers (fake timers)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ now: 0 });
  });
  afterEach(() => timers.restore());

  it('reports: never more than 5 starts in any 10 s window', async () => {
    const s = createClassScheduler(slidingWindowPolicy(5, 10_000), systemClock);
    const starts: number[] = [];
    const all = Array.from({ length: 23 }, () =>
      s.acquire(1, 'background').then((release) => {
        starts.push(Date.now());
        release();
      }),
    );
    await timers.tickAsync(60_000);
    await Promise.all(all);
    assert.equal(starts.length, 23);
    for (const t of starts) {
      const inWindow = starts.filter((u) => u > t - 10_000 && u <= t).length;
      assert.ok(inWindow <= 5, `at ${t}: ${inWindow} starts in the preceding 10 s`);
    }
    assert.deepEqual(starts.slice(0, 6), [0, 0, 0, 0, 0, 10_000]);
  });

  it('outlook: never more than 4 in flight', async () => {
    const s = createClassScheduler(concurrencyPolicy(4), systemClock);
    let inFlight = 0;
    let peak = 0;
    const all = Array.from({ length: 20 }, (_, i) =>
      s.acquire(1, 'background').then(async (release) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await systemClock.sleep(100 + (i % 3) * 50);
        inFlight -= 1;
        release();
      }),
    );
    await timers.tickAsync(5_000);
    await Promise.all(all);
    assert.equal(peak, 4);
  });

  it('interactive work overtakes queued background work', async () => {
    const s = createClassScheduler(concurrencyPolicy(1), systemClock);
    const order: string[] = [];
    const run = (name: string, priority: Priority) =>
      s.acquire(1, priority).then(async (release) => {
        order.push(name);
        await systemClock.sleep(10);
        release();
      });
    const jobs = [
      run('bg1', 'background'),
      run('bg2', 'background'),
      run('bg3', 'background'),
      run('chat', 'interactive'),
    ];
    await timers.tickAsync(1_000);
    await Promise.all(jobs);
    assert.deepEqual(order, ['bg1', 'chat', 'bg2', 'bg3']);
  });

  it('identity: the resource-unit bucket refills over the window', async () => {
    const s = createClassScheduler(tokenBucketPolicy(10, 10_000, 0), systemClock);
    const starts: number[] = [];
    const all = Array.from({ length: 4 }, () =>
      s.acquire(4, 'interactive').then((r) => (starts.push(Date.now()), r())),
    );
    await timers.tickAsync(20_000);
    await Promise.all(all);
    // 10 RU: two 4-RU calls at once, then one per 4 s of refill.
    assert.deepEqual(starts, [0, 0, 2_000, 6_000]);
  });

  it('a pause holds every request of the class until it ends', async () => {
    const s = createClassScheduler(slidingWindowPolicy(100, 1_000), systemClock);
    s.pauseUntil(3_000);
    const started: number[] = [];
    const p = s.acquire(1, 'interactive').then((r) => (started.push(Date.now()), r()));
    await timers.tickAsync(2_999);
    assert.deepEqual(started, []);
    await timers.tickAsync(1);
    await p;
    assert.deepEqual(started, [3_000]);
  });

  it('an aborted waiter leaves the queue', async () => {
    const s = createClassScheduler(concurrencyPolicy(1), systemClock);
    const hold = await s.acquire(1, 'interactive');
    const ctl = new AbortController();
    const waiting = s.acquire(1, 'interactive', ctl.signal);
    ctl.abort(new Error('caller gave up'));
    await assert.rejects(waiting, /caller gave up/);
    assert.equal(s.queued, 0);
    hold();
  });

  it('refuses interactive work past the queue cap with graph_busy and an estimated wait; background still queues', async () => {
    const s = createClassScheduler(slidingWindowPolicy(5, 10_000), systemClock, { maxQueued: 3, perRequestMs: 2_000 });
    const held = Array.from({ length: 5 }, () => s.acquire(1, 'interactive'));
    await timers.tickAsync(0);
    const queued = Array.from({ length: 3 }, () => s.acquire(1, 'interactive'));
    assert.equal(s.queued, 3);
    assert.equal(s.estimatedWaitMs, 6_000);
    await assert.rejects(s.acquire(1, 'interactive'), (error: unknown) => {
      assert.ok(isCodedError(error, 'graph_busy'));
      assert.deepEqual(error.details, { queued: 3, retryAfterMs: 6_000 });
      return true;
    });
    const background = s.acquire(1, 'background');
    assert.equal(s.queued, 4);
    for (const release of await Promise.all(held)) release();
    await timers.tickAsync(60_000);
    await Promise.all([...queued, background]);
  });
});
