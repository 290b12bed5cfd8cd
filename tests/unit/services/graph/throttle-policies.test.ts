import assert from 'node:assert/strict';
import { slidingWindowPolicy } from '../../../../services/graph/throttle-policies';

describe('services/graph/throttle-policies: sliding window', () => {
  it('keeps a slot while the request is in flight and for a full window after it completes', () => {
    const policy = slidingWindowPolicy(2, 1_000);
    policy.take(1, 0);
    policy.take(1, 0);
    assert.equal(
      policy.delayFor(1, 5_000),
      Number.POSITIVE_INFINITY,
      'both still in flight: only a release frees a slot',
    );
    policy.release(1, 5_000);
    assert.equal(policy.delayFor(1, 5_000), 1_000, 'the completed one frees its slot a window after completion');
    assert.equal(policy.delayFor(1, 6_001), 0);
  });

  it('admits up to the limit at once', () => {
    const policy = slidingWindowPolicy(5, 10_000);
    for (let i = 0; i < 5; i += 1) {
      assert.equal(policy.delayFor(1, 0), 0);
      policy.take(1, 0);
      policy.release(1, 10);
    }
    assert.equal(policy.delayFor(1, 10), 10_000);
  });
});

describe('services/graph/throttle-policies: slowing down after a 429', () => {
  it('halves the allowance on a 429 and recovers one slot per quiet window', () => {
    const policy = slidingWindowPolicy(4, 1_000);
    policy.throttled?.(0);
    policy.take(1, 0);
    policy.release(1, 0);
    policy.take(1, 0);
    policy.release(1, 0);
    assert.equal(policy.delayFor(1, 10), 990, 'two slots after halving four');
    assert.equal(policy.delayFor(1, 1_000), 0, 'a window later the old slots expired');
    policy.take(1, 1_000);
    policy.take(1, 1_000);
    policy.take(1, 1_000);
    assert.equal(
      policy.delayFor(1, 1_000),
      Number.POSITIVE_INFINITY,
      'three in flight: at most 2 + 1 after one quiet window',
    );
  });
});
