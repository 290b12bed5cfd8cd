import type { Clock } from '../services/clock';
import type { Logger } from '../services/log';

/**
 * The phases of a shutdown, in order. `refuse`: stop taking work (readiness 503, new turns 503, loops stop claiming).
 * `drain`: let work in flight finish — turns, background turn work, send queues, outboxes — until the grace period
 * ends. `release`: give up leases so another instance takes over at once. `close`: listeners, storage, telemetry.
 */
export const SHUTDOWN_PHASES = ['refuse', 'drain', 'release', 'close'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

/** How long each phase other than `drain` may take before the shutdown goes on without it. */
const STEP_TIMEOUT_MS = 5_000;

export interface ShutdownOptions {
  /** The drain deadline, counted from the signal (SHUTDOWN_GRACE_SECONDS). */
  graceMs: number;
  clock: Clock;
  logger: Logger;
  stepTimeoutMs?: number;
}

/** What a shutdown did: the exit code, and the hooks that failed or were cut off by a deadline. */
export interface ShutdownReport {
  exitCode: 0 | 1;
  failed: string[];
  unfinished: string[];
}

export interface Shutdown {
  /** Adds a hook to a phase; the hooks of one phase run together. */
  on(phase: ShutdownPhase, name: string, hook: () => Promise<unknown> | void): void;
  /** True from the moment run() is first called. */
  readonly stopping: boolean;
  /** Runs every phase once; later calls return the same result. */
  run(reason: string): Promise<ShutdownReport>;
}

/**
 * The shutdown sequence that main.ts and the runtimes plug into. A hook that throws is logged and the sequence goes
 * on (exit code 1); a drain hook still running at the deadline is abandoned with a warning (exit code 0: what it
 * had not sent is in a durable outbox for the next instance), and leases are released and storage closed regardless.
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const log = options.logger.child({ component: 'shutdown' });
  const hooks = new Map<ShutdownPhase, { name: string; hook: () => Promise<unknown> | void }[]>(
    SHUTDOWN_PHASES.map((phase) => [phase, []]),
  );
  let result: Promise<ShutdownReport> | null = null;

  /** Runs the phase's hooks together until they settle or `ms` passes; returns the names failed and unfinished. */
  async function runPhase(phase: ShutdownPhase, ms: number): Promise<{ failed: string[]; unfinished: string[] }> {
    const pending = new Set<string>();
    const failed: string[] = [];
    const all = Promise.all(
      (hooks.get(phase) ?? []).map(async ({ name, hook }) => {
        pending.add(name);
        try {
          await hook();
        } catch (error) {
          failed.push(name);
          log.error({ err: error, phase, hook: name }, 'shutdown step failed');
        } finally {
          pending.delete(name);
        }
      }),
    );
    const timer = new AbortController();
    const deadline = options.clock.sleep(Math.max(0, ms), timer.signal).then(
      () => 'deadline' as const,
      () => 'cancelled' as const,
    );
    const outcome = await Promise.race([all.then(() => 'done' as const), deadline]);
    timer.abort();
    const unfinished = outcome === 'deadline' ? [...pending] : [];
    if (unfinished.length > 0) log.warn({ phase, unfinished, waitedMs: ms }, 'shutdown went on without these steps');
    return { failed, unfinished };
  }

  async function sequence(reason: string): Promise<ShutdownReport> {
    const started = options.clock.now();
    const stepMs = options.stepTimeoutMs ?? STEP_TIMEOUT_MS;
    log.info({ reason, graceMs: options.graceMs }, 'shutting down: refusing new work, draining');
    const failed: string[] = [];
    const unfinished: string[] = [];
    for (const phase of SHUTDOWN_PHASES) {
      const ms = phase === 'drain' ? options.graceMs - (options.clock.now() - started) : stepMs;
      const done = await runPhase(phase, ms);
      failed.push(...done.failed);
      unfinished.push(...done.unfinished);
    }
    const exitCode = failed.length > 0 ? 1 : 0;
    log.info({ reason, exitCode, failed, unfinished, ms: options.clock.now() - started }, 'shut down');
    return { exitCode, failed, unfinished };
  }

  return {
    on(phase, name, hook) {
      if (result) throw new Error(`shutdown already running; too late to add ${name}`);
      hooks.get(phase)?.push({ name, hook });
    },
    get stopping() {
      return result !== null;
    },
    run(reason) {
      result ??= sequence(reason);
      return result;
    },
  };
}
