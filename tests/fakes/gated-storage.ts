import type { Storage } from '../../services/storage/port';

/**
 * A Storage over another whose reads of chosen keys can be held at a barrier: each read is made, then waits until
 * `count` such reads have arrived, so two instances are sure to act on the same version (the race of row 41).
 */
export interface GatedStorage {
  storage: Storage;
  /** The next `count` reads of keys that `match` wait for each other. */
  barrier(match: (key: string) => boolean, count: number): void;
  /** The next read of a key that `match`es is made, then held until `release()`; `reached` resolves when it is. */
  holdRead(match: (key: string) => boolean): { reached: Promise<void>; release(): void };
}

export function createGatedStorage(inner: Storage): GatedStorage {
  let gate: { match: (key: string) => boolean; left: number; arrived: (() => void)[] } | null = null;
  let hold: { match: (key: string) => boolean; reached: () => void; released: Promise<void> } | null = null;

  async function arrive(key: string): Promise<void> {
    const current = gate;
    if (!current || current.left === 0 || !current.match(key)) return;
    current.left -= 1;
    if (current.left === 0) {
      for (const release of current.arrived.splice(0)) release();
      gate = null;
      return;
    }
    await new Promise<void>((resolve) => current.arrived.push(resolve));
  }

  return {
    storage: {
      async get<T>(key: string) {
        const item = await inner.get<T>(key);
        await arrive(key);
        const held = hold;
        if (held?.match(key)) {
          hold = null;
          held.reached();
          await held.released;
        }
        return item;
      },
      put: (key, value, condition) => inner.put(key, value, condition),
      delete: (key, condition) => inner.delete(key, condition),
      list: (prefix, options) => inner.list(prefix, options),
      ping: () => inner.ping(),
      close: () => inner.close(),
    },
    barrier(match, count) {
      gate = { match, left: count, arrived: [] };
    },
    holdRead(match) {
      let reached = (): void => undefined;
      let release = (): void => undefined;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { match, reached, released };
      return { reached: reachedPromise, release };
    },
  };
}
