import type { Clock } from '../clock';
import { isCodedError, type CodedError } from '../errors';
import { backoffDelay } from '../graph/retry-timing';
import type { RetryNote } from './types';

/** How one Graph write of an approved step ended. */
export type WriteOutcome<T> =
  /** Graph answered 2xx; `value` is what the write returned. */
  | { kind: 'written'; value: T }
  /** Graph's answer was lost (timeout, 5xx, 429), but a re-read shows the change took effect: not sent again. */
  | { kind: 'confirmed-by-read'; error: CodedError }
  /** Every attempt's outcome was unknown and each re-read showed nothing changed: safe to request again. */
  | { kind: 'not-applied'; error: CodedError };

export interface GuardedWriteOptions<T> {
  write: () => Promise<T>;
  /** Re-reads the target: true when the change is in place (so an unknown outcome was in fact applied). */
  applied: () => Promise<boolean>;
  /** Immediately before every attempt: throws when this worker's claim is gone (claim.ts). */
  fence: () => Promise<void>;
  clock: Clock;
  onRetry: (note: Omit<RetryNote, 'step'>) => void;
  /** Attempts in all (the first and the retries); reliability-security.md §8 row 27 asks for four. */
  attempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
}

/**
 * One logical Graph write, made at most once per re-read: the Graph client never replays a write whose outcome
 * it cannot know (timeout, 5xx, 429 — a throttled write inside $batch has been seen to execute), so here, after
 * the wait Graph asked for, the target is re-read, and the write is sent again only if the change is not there
 * (reliability-security.md §8 rows 26–28). Other errors (403, 400, …) are thrown unchanged.
 */
export async function guardedWrite<T>(options: GuardedWriteOptions<T>): Promise<WriteOutcome<T>> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    await options.fence();
    let error: CodedError;
    try {
      return { kind: 'written', value: await options.write() };
    } catch (err) {
      if (!isCodedError(err, 'graph_outcome_unknown')) throw err;
      error = err;
    }
    const status = typeof error.details.status === 'number' ? error.details.status : null;
    const suggested = typeof error.details.retryAfterMs === 'number' ? error.details.retryAfterMs : null;
    const waitMs =
      suggested ??
      backoffDelay(attempt - 1, options.backoffBaseMs ?? 2_000, options.backoffMaxMs ?? 16_000, options.random);
    const reason = status === 429 ? 'throttled' : status === null ? timeoutOrNetwork(error) : 'unavailable';
    options.onRetry({ reason, status, waitMs });
    await options.clock.sleep(waitMs);
    if (await options.applied()) return { kind: 'confirmed-by-read', error };
    if (attempt >= attempts) return { kind: 'not-applied', error };
  }
}

function timeoutOrNetwork(error: CodedError): 'timeout' | 'network' {
  return error.details.reason === 'timeout' ? 'timeout' : 'network';
}
