import type { Logger } from '../services/log';

/** Work that outlives the turn that started it (a late answer, a clean-up), tracked so shutdown can wait for it. */
export interface BackgroundTasks {
  /** Keeps `work` until it settles. Callers handle their own errors; one that escapes is logged here. */
  track(work: Promise<unknown>): void;
  /** Resolves once every task tracked so far, and any they started meanwhile, has settled. */
  drain(): Promise<void>;
  readonly size: number;
}

export function createBackgroundTasks(logger: Logger): BackgroundTasks {
  const tasks = new Set<Promise<unknown>>();
  return {
    track(work) {
      const task = work.then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'background task failed'),
      );
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    },
    async drain() {
      while (tasks.size > 0) await Promise.all([...tasks]);
    },
    get size() {
      return tasks.size;
    },
  };
}
