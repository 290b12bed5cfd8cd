import type { AlertSender, SendOutcome } from '../../services/alerts/ports';
import type { Clock } from '../../services/clock';
import { isCodedError } from '../../services/errors';
import type { Logger } from '../../services/log';
import type { ConversationRef, Messenger, OutgoingMessage } from '../../services/messaging/port';
import { noopTelemetry, type Telemetry } from '../../services/telemetry/port';

/** A sliding-window limit: at most `count` sends in any `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

// Teams, per bot per thread (rate-limit.md): 7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour.
export const TEAMS_THREAD_LIMITS: readonly RateLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];

export interface SendQueueOptions {
  messenger: Pick<Messenger, 'send'>;
  clock: Clock;
  logger: Logger;
  limits?: readonly RateLimit[];
  /** Retries after the first attempt for 412/429/502/503/504 (the docs' example: 3). */
  maxRetries?: number;
  /** Backoff bounds (the docs' example: 2–20 s with ±1 s jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  jitterMs?: number;
  random?: () => number;
  /** Added to every window: our timestamp is taken before the post leaves, Teams counts when it arrives. */
  marginMs?: number;
  /** Reports the queue depth (messages waiting or in flight). */
  telemetry?: Telemetry;
}

/** Per-thread key: replies in a channel thread share the channel's limits. */
function threadKey(to: ConversationRef): string {
  return to.conversationId.split(';')[0] ?? to.conversationId;
}

/**
 * The per-conversation send queue: sends to one thread go one at a time, inside Teams' per-thread limits
 * (attempts count, as throttled calls do), retrying only 412/429/502/503/504 with backoff, jitter and Retry-After.
 */
export function createSendQueue(options: SendQueueOptions): AlertSender & { attempts(key: string): number[] } {
  const limits = options.limits ?? TEAMS_THREAD_LIMITS;
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 2_000;
  const max = options.maxDelayMs ?? 20_000;
  const jitter = options.jitterMs ?? 1_000;
  const random = options.random ?? Math.random;
  const history = new Map<string, number[]>();
  const chains = new Map<string, Promise<unknown>>();
  const margin = options.marginMs ?? 250;
  const longest = Math.max(...limits.map((l) => l.windowMs)) + margin;
  const telemetry = options.telemetry ?? noopTelemetry;

  /** How long until one more send fits every window. */
  function waitFor(key: string, now: number): number {
    const times = (history.get(key) ?? []).filter((t) => t > now - longest);
    history.set(key, times);
    let wait = 0;
    for (const limit of limits) {
      const windowMs = limit.windowMs + margin;
      const inWindow = times.filter((t) => t > now - windowMs);
      if (inWindow.length >= limit.count) {
        const oldest = inWindow[inWindow.length - limit.count] ?? now;
        wait = Math.max(wait, oldest + windowMs - now);
      }
    }
    return wait;
  }

  async function attempt(key: string, to: ConversationRef, message: OutgoingMessage): Promise<SendOutcome> {
    for (let retry = 0; ; retry++) {
      for (let wait = waitFor(key, options.clock.now()); wait > 0; wait = waitFor(key, options.clock.now())) {
        await options.clock.sleep(wait);
      }
      const sent = history.get(key) ?? [];
      sent.push(options.clock.now());
      history.set(key, sent);
      try {
        const { activityId } = await options.messenger.send(to, message);
        return { kind: 'sent', activityId };
      } catch (error) {
        if (!isCodedError(error)) throw error;
        const status = typeof error.details.status === 'number' ? error.details.status : 0;
        if (error.code === 'teams_service_url_not_allowed') return { kind: 'refused' };
        if (error.code === 'teams_gone') {
          const teamsCode = typeof error.details.teamsCode === 'string' ? error.details.teamsCode : null;
          return { kind: 'gone', status, teamsCode };
        }
        if (error.code !== 'teams_throttled' && error.code !== 'teams_retryable') return { kind: 'failed', status };
        const backoff = Math.min(max, base * 2 ** retry) + (random() * 2 - 1) * jitter;
        const retryAfter = typeof error.details.retryAfterMs === 'number' ? error.details.retryAfterMs : 0;
        const delay = Math.max(retryAfter, backoff, 0);
        if (retry >= maxRetries) return { kind: 'deferred', retryAfterMs: delay };
        options.logger.warn({ status, retry: retry + 1, delayMs: Math.round(delay) }, 'Teams asked to retry a post');
        await options.clock.sleep(delay);
      }
    }
  }

  return {
    send(to, message) {
      const key = threadKey(to);
      telemetry.add('sendQueueDepth', 1);
      const previous = chains.get(key) ?? Promise.resolve();
      const run = previous.then(
        () => attempt(key, to, message),
        () => attempt(key, to, message),
      );
      chains.set(key, run);
      const cleanup = (): void => {
        telemetry.add('sendQueueDepth', -1);
        if (chains.get(key) === run) chains.delete(key);
      };
      run.then(cleanup, cleanup);
      return run;
    },
    attempts: (key) => [...(history.get(key) ?? [])],
  };
}
