/** Admission policies for the per-class schedulers: sliding window, token bucket, concurrency, unlimited. */

/** How a scheduler decides whether the request at the head of its queue may start now. */
export interface ThrottlePolicy {
  /** The largest weight one acquisition may ask for (callers clamp to it). */
  readonly capacity: number;
  /** 0: may start now; a positive number: ms until it may; Infinity: only a release can make room. */
  delayFor(weight: number, now: number): number;
  take(weight: number, now: number): void;
  release(weight: number): void;
}

/** At most `max` starts in any window of `windowMs` (reports, identity protection). */
export function slidingWindowPolicy(max: number, windowMs: number): ThrottlePolicy {
  const starts: number[] = [];
  const prune = (now: number): void => {
    while (starts.length > 0 && (starts[0] ?? 0) <= now - windowMs) starts.shift();
  };
  return {
    capacity: max,
    delayFor(weight, now) {
      prune(now);
      if (starts.length + weight <= max) return 0;
      const blocking = starts[starts.length + weight - max - 1] ?? now;
      return Math.max(1, blocking + windowMs - now);
    },
    take(weight, now) {
      for (let i = 0; i < weight; i += 1) starts.push(now);
    },
    release: () => undefined,
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
