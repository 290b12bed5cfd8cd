/**
 * The one background loop: run a tick, wait an interval on the injected clock (with jitter so instances do not align),
 * wait longer after failures (doubling up to a cap), log what failed and when it runs again, and stop cleanly.
 * The alert poller, alert delivery, the approval worker and the background jobs' progress ticker run on it.
 */
import type { Clock } from './clock';
import type { Logger } from './log';

export interface LoopOptions {
  /** Names the loop in logs. */
  name: string;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  /** The share of the interval added or taken at random on each wait (0 to 1; default 0). */
  jitter?: number;
  /** After consecutive failures the wait doubles from the interval up to this (default 8 × the interval). */
  maxBackoffMs?: number;
  /** Tick at once on start (default), or first wait one interval. */
  immediate?: boolean;
  random?: () => number;
  /** One pass of the work; `signal` aborts when the loop stops. A rejection is logged and backed off. */
  tick: (signal: AbortSignal) => Promise<unknown>;
}

export interface Loop {
  start(): void;
  /** Stop: no new tick starts, the wait is cut short, and this resolves once the tick in progress has finished. */
  stop(): Promise<void>;
  /** Tick now instead of at the end of the wait (or right after the tick in progress). */
  wake(): void;
  readonly running: boolean;
}

export function createLoop(options: LoopOptions): Loop {
  const random = options.random ?? Math.random;
  const maxBackoffMs = options.maxBackoffMs ?? 8 * options.intervalMs;
  const log = options.logger.child({ loop: options.name });
  let controller: AbortController | null = null;
  let done: Promise<void> | null = null;
  let interrupt: (() => void) | null = null;
  let woken = false;

  const delay = (failures: number): number => {
    const base = failures === 0 ? options.intervalMs : Math.min(maxBackoffMs, options.intervalMs * 2 ** failures);
    const spread = Math.min(1, Math.max(0, options.jitter ?? 0)) * base;
    return Math.max(0, Math.round(base - spread + 2 * spread * random()));
  };

  // Ends at the deadline, on wake() or on stop(); the clock's own sleep is cancelled either way.
  const wait = async (ms: number, signal: AbortSignal): Promise<void> => {
    if (woken || signal.aborted) {
      woken = false;
      return;
    }
    const cancel = new AbortController();
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    await Promise.race([options.clock.sleep(ms, cancel.signal).catch(() => undefined), interrupted]);
    cancel.abort();
    interrupt = null;
    woken = false;
  };

  const run = async (signal: AbortSignal): Promise<void> => {
    let failures = 0;
    if (options.immediate === false) await wait(delay(0), signal);
    while (!signal.aborted) {
      try {
        await options.tick(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        const retryInMs = delay(failures);
        log.error({ err: error, failures, retryInMs }, `${options.name} failed; retrying after a backoff`);
        await wait(retryInMs, signal);
        continue;
      }
      await wait(delay(0), signal);
    }
  };

  return {
    start() {
      if (controller) return;
      controller = new AbortController();
      done = run(controller.signal);
    },
    async stop() {
      controller?.abort();
      interrupt?.();
      await done;
      controller = null;
      done = null;
    },
    wake() {
      if (interrupt) interrupt();
      else woken = true;
    },
    get running() {
      return controller !== null;
    },
  };
}
