import { createHash } from 'node:crypto';
import type { Clock } from '../../services/clock';
import type { Logger } from '../../services/log';
import type { Storage, StoredItem } from '../../services/storage/port';

/** What an invoke answered, kept so a re-delivered copy gets the same answer. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

interface Seen {
  at: number;
  answer: StoredAnswer | null;
}

/** The first copy runs and completes the claim; a copy of an activity already claimed gets the first one's answer. */
export type Claim =
  | { kind: 'first'; complete(answer: StoredAnswer | null): Promise<void> }
  | { kind: 'duplicate'; answer(waitMs: number): Promise<StoredAnswer | null> };

/** Dedupe of inbound activities by conversation and activity id, durable in storage (all instances share it). */
export interface InboundDedupe {
  claim(conversationId: string, activityId: string): Promise<Claim>;
}

const PREFIX = 'inbound/';
// Teams re-delivers after about 15 s and gives up within a minute; ten minutes is far past any retry.
export const DEDUPE_TTL_MS = 10 * 60_000;
const CLEANUP_EVERY_MS = 60_000;
const CLEANUP_PAGE = 500;
const POLL_MS = 100;

function keyOf(conversationId: string, activityId: string): string {
  return PREFIX + createHash('sha256').update(`${conversationId}\u0000${activityId}`).digest('hex').slice(0, 40);
}

export function createInboundDedupe(deps: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Runs the periodic clean-up as tracked background work. */
  background: (work: Promise<void>) => void;
  ttlMs?: number;
}): InboundDedupe {
  const ttl = deps.ttlMs ?? DEDUPE_TTL_MS;
  let lastCleanup = deps.clock.now();
  // Copies arriving at this process while the first still runs wait on it here instead of polling storage.
  const running = new Map<string, Promise<StoredAnswer | null>>();

  async function cleanup(): Promise<void> {
    const cutoff = deps.clock.now() - ttl;
    let after: string | undefined;
    for (;;) {
      const page = await deps.storage.list<Seen>(PREFIX, { limit: CLEANUP_PAGE, ...(after ? { after } : {}) });
      for (const item of page)
        if (item.value.at < cutoff) await deps.storage.delete(item.key, { ifVersion: item.version });
      if (page.length < CLEANUP_PAGE) return;
      after = page.at(-1)?.key;
    }
  }

  async function take(key: string): Promise<boolean> {
    const now = deps.clock.now();
    const created = await deps.storage.put<Seen>(key, { at: now, answer: null }, { ifAbsent: true });
    if (created.ok) return true;
    const current = (created.current as StoredItem<Seen> | undefined) ?? (await deps.storage.get<Seen>(key));
    // A record past the retry window is a new activity that happens to reuse an id; clean-up may not have run yet.
    if (current && current.value.at < now - ttl) {
      const gone = await deps.storage.delete(key, { ifVersion: current.version });
      if (gone) return (await deps.storage.put<Seen>(key, { at: now, answer: null }, { ifAbsent: true })).ok;
    }
    return false;
  }

  async function storedAnswer(key: string, waitMs: number): Promise<StoredAnswer | null> {
    const local = running.get(key);
    const deadline = deps.clock.now() + waitMs;
    if (local) {
      let timedOut = false;
      const result = await Promise.race([
        local,
        deps.clock.sleep(waitMs).then(() => {
          timedOut = true;
          return null;
        }),
      ]);
      if (!timedOut) return result;
    }
    for (;;) {
      const seen = await deps.storage.get<Seen>(key);
      if (seen?.value.answer || deps.clock.now() >= deadline) return seen?.value.answer ?? null;
      await deps.clock.sleep(POLL_MS);
    }
  }

  return {
    async claim(conversationId, activityId) {
      const key = keyOf(conversationId, activityId);
      if (deps.clock.now() - lastCleanup >= CLEANUP_EVERY_MS) {
        lastCleanup = deps.clock.now();
        deps.background(
          cleanup().catch((error: unknown) => deps.logger.warn({ err: error }, 'inbound dedupe clean-up failed')),
        );
      }
      if (!(await take(key))) return { kind: 'duplicate', answer: (waitMs) => storedAnswer(key, waitMs) };
      let settle: (answer: StoredAnswer | null) => void = () => undefined;
      running.set(
        key,
        new Promise((resolve) => {
          settle = resolve;
        }),
      );
      return {
        kind: 'first',
        async complete(answer) {
          running.delete(key);
          settle(answer);
          if (answer === null) return;
          try {
            const seen = await deps.storage.get<Seen>(key);
            if (seen) await deps.storage.put<Seen>(key, { ...seen.value, answer }, { ifVersion: seen.version });
          } catch (error) {
            // The first copy was answered; a re-delivery then gets "still working" instead of this answer.
            deps.logger.warn({ err: error }, 'could not keep the answer for re-deliveries');
          }
        },
      };
    },
  };
}
