/** Notices that a check is waiting on Graph throttling, so the command can tell the user before the answer arrives. */
import type { ThrottleClass } from './classify';
import type { GraphClient } from './client';

/**
 * Which throttling classes hold the work back and until when: Graph's Retry-After while `throttled`, else our own
 * estimate from the queue (null when there is none).
 */
export interface WaitNotice {
  classes: ThrottleClass[];
  untilMs: number | null;
  /** The client clock's time when the notice was raised. */
  nowMs: number;
  /** Graph answered 429 (a pause is in force), rather than our queue holding requests back to stay under the limit. */
  throttled?: boolean;
  /** Requests waiting in those classes' queues. */
  queued?: number;
}

const WATCHED: readonly ThrottleClass[] = ['reports', 'identity', 'identityProtection'];

/** Where the client's interactive work waits right now (paused or queued classes), or null when nothing waits. */
export function currentWait(client: Pick<GraphClient, 'scheduler' | 'clock'>): WaitNotice | null {
  const now = client.clock.now();
  const paused = WATCHED.filter((c) => client.scheduler(c).pausedUntil > now);
  const queued = WATCHED.filter((c) => client.scheduler(c).queued > 0);
  const classes = paused.length > 0 ? paused : queued;
  if (classes.length === 0) return null;
  const estimates = classes.map((c) => client.scheduler(c).estimatedWaitMs).filter((ms) => ms !== null);
  const until =
    paused.length > 0
      ? Math.max(...paused.map((c) => client.scheduler(c).pausedUntil))
      : estimates.length > 0
        ? now + Math.max(...estimates)
        : null;
  return {
    classes,
    untilMs: until,
    nowMs: now,
    throttled: paused.length > 0,
    queued: classes.reduce((n, c) => n + client.scheduler(c).queued, 0),
  };
}

/**
 * Runs `work`, polling the client's schedulers every `pollMs`: the first time a class is paused by a 429, or has
 * requests queued for longer than `queuedMs`, `onWaiting` is called once. The result of `work` is returned as is.
 */
export async function withWaitingNotice<T>(
  client: GraphClient,
  work: () => Promise<T>,
  onWaiting: ((notice: WaitNotice) => void) | undefined,
  opts: { pollMs?: number; queuedMs?: number } = {},
): Promise<T> {
  if (!onWaiting) return work();
  const pollMs = opts.pollMs ?? 200;
  const queuedMs = opts.queuedMs ?? 1_000;
  const stop = new AbortController();
  const watcher = (async () => {
    let queuedSince: number | null = null;
    while (!stop.signal.aborted) {
      await client.clock.sleep(pollMs, stop.signal).catch(() => undefined);
      if (stop.signal.aborted) return;
      const now = client.clock.now();
      const wait = currentWait(client);
      if (!wait || wait.throttled) queuedSince = null;
      else queuedSince ??= now;
      if (wait && (wait.throttled || (queuedSince !== null && now - queuedSince >= queuedMs))) {
        onWaiting(wait);
        return;
      }
    }
  })();
  try {
    return await work();
  } finally {
    stop.abort();
    await watcher;
  }
}
