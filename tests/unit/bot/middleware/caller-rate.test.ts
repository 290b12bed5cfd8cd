import assert from 'node:assert/strict';
import { createCallerRateLimiter } from '../../../../bot/middleware/caller-rate';
import { ManualClock } from '../../../fakes/manual-clock';

describe('bot/middleware/caller-rate', () => {
  it('lets 30 commands a minute through per caller, then says when the next one is allowed', () => {
    const clock = new ManualClock();
    const rate = createCallerRateLimiter({ perMinute: 30, clock });
    for (let i = 0; i < 30; i += 1) {
      assert.deepEqual(rate.take('a'), { ok: true });
      clock.advance(1_000);
    }
    assert.deepEqual(rate.take('a'), { ok: false, retryAfterMs: 30_000 });
    assert.deepEqual(rate.take('b'), { ok: true }, 'another caller has their own budget');
    clock.advance(30_000);
    assert.deepEqual(rate.take('a'), { ok: true }, 'the oldest command left the window');
    assert.deepEqual(rate.take('a'), { ok: false, retryAfterMs: 1_000 });
  });

  it('keeps memory bounded by forgetting idle callers only: a caller at the limit stays limited through a flood of others', () => {
    const clock = new ManualClock();
    const rate = createCallerRateLimiter({ perMinute: 3, clock });
    for (let i = 0; i < 3; i += 1) assert.deepEqual(rate.take('busy'), { ok: true });
    for (let i = 0; i < 10_050; i += 1) rate.take(`caller-${i}`);
    clock.advance(1_000);
    assert.deepEqual(rate.take('busy'), { ok: false, retryAfterMs: 59_000 });
  });

  it('a caller with a single command in the window is not forgotten either (limit 1)', () => {
    const clock = new ManualClock();
    const rate = createCallerRateLimiter({ perMinute: 1, clock });
    assert.deepEqual(rate.take('once'), { ok: true });
    for (let i = 0; i < 10_050; i += 1) rate.take(`caller-${i}`);
    clock.advance(1_000);
    assert.deepEqual(rate.take('once'), { ok: false, retryAfterMs: 59_000 });
  });
});
