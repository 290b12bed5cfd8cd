/** Admission policies for the per-class schedulers: sliding window, token bucket, concurrency, unlimited. */

/** How a scheduler decides whether the request at the head of its queue may start now. */
export interface ThrottlePolicy {
  /** The largest weight one acquisition may ask for (callers clamp to it). */
  readonly capacity: number;
  /** 0: may start now; a positive number: ms until it may; Infinity: only a release can make room. */
  delayFor(weight: number, now: number): number;
  take(weight: number, now: number): void;
  /** Called when the request completes (response, error or abort). */
  release(weight: number, now: number): void;
  /** Graph answered 429 although we kept to the configured limit: the real budget is smaller (shared, or tighter). */
  throttled?(now: number): void;
}

/**
 * At most `max` requests in any window of `windowMs` (reports, identity protection). Graph counts a request when
 * it arrives, which is somewhere between our send and its response; so a request holds its slot while in flight
 * and for a full window after it completes. That stays under the limit whatever the network or event-loop delay.
 */
export function slidingWindowPolicy(max: number, windowMs: number): ThrottlePolicy {
  // End time of each slot in use; Infinity while the request is in flight.
  let ends: number[] = [];
  // After a 429 the allowance halves, then grows back by one per quiet window (additive increase,
  // multiplicative decrease), so a tenant tighter than configured is met by slowing down, not by retry storms.
  let reduced = max;
  let throttledAt = Number.NEGATIVE_INFINITY;
  const allowance = (now: number): number => Math.min(max, reduced + Math.floor((now - throttledAt) / windowMs));
  const prune = (now: number): void => {
    ends = ends.filter((end) => end > now - windowMs);
  };
  return {
    capacity: max,
    delayFor(weight, now) {
      prune(now);
      const limit = Math.max(weight, allowance(now));
      if (ends.length + weight <= limit) return 0;
      const blocking = [...ends].sort((a, b) => a - b)[ends.length + weight - limit - 1] ?? Number.POSITIVE_INFINITY;
      return Number.isFinite(blocking) ? Math.max(1, blocking + windowMs - now) : Number.POSITIVE_INFINITY;
    },
    take(weight) {
      for (let i = 0; i < weight; i += 1) ends.push(Number.POSITIVE_INFINITY);
    },
    release(weight, now) {
      for (let i = 0; i < weight; i += 1) {
        const open = ends.indexOf(Number.POSITIVE_INFINITY);
        if (open >= 0) ends[open] = now;
      }
    },
    throttled(now) {
      reduced = Math.max(1, Math.floor(allowance(now) / 2));
      throttledAt = now;
    },
  };
}

/** A bucket of `capacity` units refilled continuously over `windowMs` (identity resource units). */
export function tokenBucketPolicy(capacity: number, windowMs: number, startAt: number): ThrottlePolicy {
  let tokens = capacity;
  let updatedAt = startAt;
  const refill = (now: number): void => {
    if (now > updatedAt) {
      tokens = Math.min(capacity, tokens + ((now - updatedAt) * capacity) / windowMs);
      updatedAt = now;
    }
  };
  return {
    capacity,
    delayFor(weight, now) {
      refill(now);
      if (tokens >= weight) return 0;
      return Math.max(1, Math.ceil(((weight - tokens) * windowMs) / capacity));
    },
    take(weight, now) {
      refill(now);
      tokens -= weight;
    },
    release: () => undefined,
  };
}

/** At most `max` requests in flight (Outlook). */
export function concurrencyPolicy(max: number): ThrottlePolicy {
  let inFlight = 0;
  return {
    capacity: max,
    delayFor: (weight) => (inFlight + weight <= max ? 0 : Number.POSITIVE_INFINITY),
    take(weight) {
      inFlight += weight;
    },
    release(weight) {
      inFlight = Math.max(0, inFlight - weight);
    },
  };
}

/** No limit (requests outside the four classes; Graph's global limit is far above what one bot sends). */
export function unlimitedPolicy(): ThrottlePolicy {
  return { capacity: Number.MAX_SAFE_INTEGER, delayFor: () => 0, take: () => undefined, release: () => undefined };
}
