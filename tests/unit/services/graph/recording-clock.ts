import type { Clock } from '../../../../services/clock';

/** A virtual clock: sleep returns at once (after a macrotask) but is recorded and advances now(). */
export interface RecordingClock extends Clock {
  readonly waits: number[];
}

export function createRecordingClock(start = Date.UTC(2025, 0, 1)): RecordingClock {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += Math.max(0, ms);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/** A clock whose sleeps resolve only when the test advances time, for "nothing happens until …" assertions. */
export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  readonly sleepers: number;
}

export function createManualClock(start = Date.UTC(2025, 0, 1)): ManualClock {
  let now = start;
  let sleepers: { until: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ until: now + Math.max(0, ms), resolve });
      }),
    async advance(ms) {
      now += ms;
      const due = sleepers.filter((s) => s.until <= now);
      sleepers = sleepers.filter((s) => s.until > now);
      for (const s of due) s.resolve();
      await new Promise<void>((resolve) => setTimeout(resolve, 30));
    },
    get sleepers() {
      return sleepers.length;
    },
  };
}
