import assert from 'node:assert/strict';
import sinon from 'sinon';
import { systemClock } from '../../../services/clock';
import { createLoop, type LoopOptions } from '../../../services/loop';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger } from '../../fakes/recording-logger';

describe('services/loop: the background loop on the injected clock', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  function loop(tick: LoopOptions['tick'], options: Partial<LoopOptions> = {}) {
    const logger = createRecordingLogger();
    const at: number[] = [];
    const l = createLoop({
      name: 'test loop',
      clock: systemClock,
      logger,
      intervalMs: 1_000,
      tick: async (signal) => {
        at.push(Date.now());
        await tick(signal);
      },
      ...options,
    });
    return { loop: l, at, logger };
  }

  it('ticks at start, then once per interval until stopped', async () => {
    const { loop: l, at } = loop(() => Promise.resolve());
    l.start();
    await clock.tickAsync(3_500);
    await l.stop();
    await clock.tickAsync(5_000);
    assert.deepEqual(at, [0, 1_000, 2_000, 3_000]);
    assert.equal(l.running, false);
  });

  it('waits on the injected clock, not on timers: only moving that clock brings the next tick', async () => {
    const injected = new ManualClock(0);
    const { loop: l, at } = loop(() => Promise.resolve(), { clock: injected });
    l.start();
    await clock.tickAsync(10_000);
    assert.equal(at.length, 1, 'ten seconds of timers, and the injected clock has not moved');
    injected.advance(1_000);
    await clock.tickAsync(0);
    assert.equal(at.length, 2);
    assert.deepEqual(injected.sleeps, [1_000, 1_000]);
    await l.stop();
  });

  it('waits one interval first when not immediate, and spreads each wait by the jitter', async () => {
    const low = loop(() => Promise.resolve(), { immediate: false, jitter: 0.2, random: () => 0 });
    low.loop.start();
    await clock.tickAsync(2_500);
    await low.loop.stop();
    assert.deepEqual(low.at, [800, 1_600, 2_400]);
    const high = loop(() => Promise.resolve(), { jitter: 0.2, random: () => 1 });
    high.loop.start();
    await clock.tickAsync(2_500);
    await high.loop.stop();
    assert.deepEqual(high.at, [2_500, 3_700, 4_900]);
  });

  it('backs off after failures (doubling up to the cap), logs each, and returns to the interval after a success', async () => {
    let failing = 4;
    const {
      loop: l,
      at,
      logger,
    } = loop(() => (failing-- > 0 ? Promise.reject(new Error('storage down')) : Promise.resolve()), {
      maxBackoffMs: 6_000,
    });
    l.start();
    await clock.tickAsync(20_000);
    await l.stop();
    // Fails at 0, 2 s, 6 s (after 4 s), 12 s (after the 6 s cap); succeeds at 18 s, then every second.
    assert.deepEqual(at.slice(0, 7), [0, 2_000, 6_000, 12_000, 18_000, 19_000, 20_000]);
    const errors = logger.lines.filter((l) => l.level === 'error');
    assert.deepEqual(
      errors.map((e) => [e.fields.failures, e.fields.retryInMs, e.fields.loop]),
      [
        [1, 2_000, 'test loop'],
        [2, 4_000, 'test loop'],
        [3, 6_000, 'test loop'],
        [4, 6_000, 'test loop'],
      ],
    );
  });

  it('wake() cuts the wait short; a wake during a tick runs the next tick right after it', async () => {
    let release = (): void => undefined;
    let hold = false;
    const { loop: l, at } = loop(() => (hold ? new Promise<void>((r) => (release = r)) : Promise.resolve()));
    l.start();
    await clock.tickAsync(300);
    l.wake();
    await clock.tickAsync(0);
    assert.deepEqual(at, [0, 300]);
    hold = true;
    l.wake();
    await clock.tickAsync(0);
    assert.deepEqual(at, [0, 300, 300]);
    hold = false;
    l.wake();
    release();
    await clock.tickAsync(0);
    assert.deepEqual(at, [0, 300, 300, 300], 'the wake during the tick is not lost');
    await l.stop();
  });

  it('stop() aborts the tick signal, starts no new tick, and resolves once the tick in flight has finished', async () => {
    let release = (): void => undefined;
    let aborted = false;
    const { loop: l, at } = loop(
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => (aborted = true));
          release = resolve;
        }),
    );
    l.start();
    await clock.tickAsync(0);
    let stopped = false;
    const stopping = l.stop().then(() => (stopped = true));
    await clock.tickAsync(0);
    assert.equal(aborted, true);
    assert.equal(stopped, false, 'waits for the tick in flight');
    release();
    await stopping;
    await clock.tickAsync(10_000);
    assert.deepEqual(at, [0]);
  });
});
