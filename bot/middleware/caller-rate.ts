import type { Clock } from '../../services/clock';

/** Whether a caller may run one more command now, or in how long. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** At most `perMinute` commands per caller in any 60 s (a sliding window), per bot process. */
export interface CallerRateLimiter {
  take(callerId: string): RateDecision;
}

const WINDOW_MS = 60_000;
// Callers are people of one tenant, so this is a bound on memory, not a limit anyone reaches.
const MAX_TRACKED = 10_000;

export function createCallerRateLimiter(options: { perMinute: number; clock: Clock }): CallerRateLimiter {
  const starts = new Map<string, number[]>();

  function forgetIdle(now: number): void {
    for (const [caller, times] of starts) if ((times.at(-1) ?? 0) <= now - WINDOW_MS) starts.delete(caller);
  }

  return {
    take(callerId) {
      const now = options.clock.now();
      const recent = (starts.get(callerId) ?? []).filter((t) => t > now - WINDOW_MS);
      if (recent.length >= options.perMinute) {
        starts.set(callerId, recent);
        return { ok: false, retryAfterMs: (recent[0] ?? now) + WINDOW_MS - now };
      }
      recent.push(now);
      starts.set(callerId, recent);
      if (starts.size > MAX_TRACKED) forgetIdle(now);
      return { ok: true };
    },
  };
}
