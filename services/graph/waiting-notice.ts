/** Notices that a check is waiting on Graph throttling, so the command can tell the user before the answer arrives. */
import type { ThrottleClass } from './classify';
import type { GraphClient } from './client';

/** Which throttling classes hold the work back, and until when if Graph said (Retry-After). */
export interface WaitNotice {
  classes: ThrottleClass[];
  untilMs: number | null;
  /** The client clock's time when the notice was raised. */
  nowMs: number;
}

const WATCHED: readonly ThrottleClass[] = ['reports', 'identity', 'identityProtection'];

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
      const paused = WATCHED.filter((c) => client.scheduler(c).pausedUntil > now);
      const queued = WATCHED.filter((c) => client.scheduler(c).queued > 0);
      if (queued.length === 0) queuedSince = null;
      else queuedSince ??= now;
      if (paused.length > 0 || (queuedSince !== null && now - queuedSince >= queuedMs)) {
        const until = Math.max(...paused.map((c) => client.scheduler(c).pausedUntil));
        onWaiting({
          classes: paused.length > 0 ? paused : queued,
          untilMs: paused.length > 0 ? until : null,
          nowMs: now,
        });
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
