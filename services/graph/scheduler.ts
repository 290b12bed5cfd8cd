import type { Clock } from '../clock';
import { CodedError } from '../errors';
import type { ThrottlePolicy } from './throttle-policies';

/** Interactive requests (someone is waiting in chat) are served before background ones (pollers, sweeps). */
export type Priority = 'interactive' | 'background';

/** Call once when the request has finished (frees a concurrency slot). */
export type Release = () => void;

/** One queue per throttling class: admits requests under its policy, by priority, and pauses while a Retry-After is in force. */
export interface ClassScheduler {
  acquire(weight: number, priority: Priority, signal?: AbortSignal): Promise<Release>;
  /** Hold every request of the class until `untilMs` (clock time). Later deadlines win. */
  pauseUntil(untilMs: number): void;
  readonly pausedUntil: number;
  readonly queued: number;
  /** Roughly how long a request joining the queue now waits (null when the class has no rate to estimate from). */
  readonly estimatedWaitMs: number | null;
}

/** Bounds of one class's queue. */
export interface SchedulerOptions {
  /** Interactive requests beyond this many queued are refused with graph_busy (background work is bounded elsewhere). */
  maxQueued?: number;
  /** Time one request holds the class at the published rate (reports: 10 s / 5), for wait estimates. */
  perRequestMs?: number;
}

// At the reports rate (one per 2 s) a full queue is about 100 s of waiting: past that, "busy, try later" is kinder.
export const DEFAULT_MAX_QUEUED = 50;

interface Waiter {
  weight: number;
  priority: Priority;
  resolve: (release: Release) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Create a scheduler for one class. */
export function createClassScheduler(
  policy: ThrottlePolicy,
  clock: Clock,
  options: SchedulerOptions = {},
): ClassScheduler {
  const queue: Waiter[] = [];
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  let pausedUntil = 0;
  let pumping = false;

  const estimatedWaitMs = (): number | null => {
    if (options.perRequestMs === undefined) return null;
    const paused = Math.max(0, pausedUntil - clock.now());
    return paused + queue.reduce((ms, w) => ms + w.weight * (options.perRequestMs ?? 0), 0);
  };

  const insert = (w: Waiter): void => {
    // Interactive work goes ahead of every queued background request; FIFO within a priority.
    const rank = (x: Waiter): number => (x.priority === 'interactive' ? 0 : 1);
    let i = queue.length;
    while (i > 0 && rank(queue[i - 1] as Waiter) > rank(w)) i -= 1;
    queue.splice(i, 0, w);
  };

  const admit = (w: Waiter): void => {
    const weight = w.weight;
    policy.take(weight, clock.now());
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    let released = false;
    w.resolve(() => {
      if (released) return;
      released = true;
      policy.release(weight, clock.now());
      void pump();
    });
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const head = queue[0];
        if (!head) return;
        const now = clock.now();
        if (pausedUntil > now) {
          await clock.sleep(pausedUntil - now);
          continue;
        }
        const delay = policy.delayFor(head.weight, now);
        if (delay === 0) {
          queue.shift();
          admit(head);
          continue;
        }
        if (!Number.isFinite(delay)) return;
        await clock.sleep(delay);
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(weight, priority, signal) {
      const clamped = Math.max(1, Math.min(weight, policy.capacity));
      return new Promise<Release>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          return;
        }
        if (priority === 'interactive' && queue.length >= maxQueued) {
          const wait = estimatedWaitMs();
          reject(
            new CodedError('graph_busy', 'the throttling queue of this class is full', {
              queued: queue.length,
              ...(wait !== null ? { retryAfterMs: wait } : {}),
            }),
          );
          return;
        }
        const waiter: Waiter = { weight: clamped, priority, resolve, reject, signal, onAbort: undefined };
        if (signal) {
          waiter.onAbort = () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        insert(waiter);
        void pump();
      });
    },
    pauseUntil(untilMs) {
      policy.throttled?.(clock.now());
      if (untilMs > pausedUntil) pausedUntil = untilMs;
    },
    get pausedUntil() {
      return pausedUntil;
    },
    get queued() {
      return queue.length;
    },
    get estimatedWaitMs() {
      return estimatedWaitMs();
    },
  };
}
