import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import type { ApprovalStore } from './approval-store';
import type { ApprovalNotifier } from './ports';
import type { ApprovalRecord } from './types';

/** Where each running instance keeps its heartbeat (removed when it stops cleanly). */
export const INSTANCES = 'approvals/instance/';

/** A request's card is owed by the instance that stored it; after this long anyone posts it (that turn failed). */
export const CARD_GRACE_MS = 2 * 60_000;

export interface CardRecoveryOptions {
  storage: Storage;
  store: ApprovalStore;
  notifier: ApprovalNotifier;
  clock: Clock;
  logger: Logger;
  /** This instance (the `createdBy` of the requests it stores). */
  owner: string;
  /** How long an instance counts as alive after its last heartbeat. */
  ttlMs: number;
}

/**
 * Posts the card of a pending request that has none: the turn that stored it died (a crash or kill between the
 * store and the post, issue 10 item 14) or failed to post. Each instance heartbeats; a request is recovered when its
 * creator's heartbeat has lapsed (at once after a restart), or after CARD_GRACE_MS whoever created it. A claim on the
 * record (a conditional write) makes one instance post it, once.
 */
export function createCardRecovery(options: CardRecoveryOptions) {
  const { storage, store, clock, owner, ttlMs } = options;

  async function alive(instance: string | undefined): Promise<boolean> {
    if (instance === undefined) return false;
    if (instance === owner) return true;
    const beat = await storage.get<{ expiresAt: number }>(INSTANCES + instance);
    return beat !== undefined && beat.value.expiresAt > clock.now();
  }

  return {
    /** Says this instance is alive; called on every worker pass. */
    async heartbeat(): Promise<void> {
      await storage.put(INSTANCES + owner, { expiresAt: clock.now() + ttlMs }, { overwrite: true });
    },
    /** Clean shutdown: the requests this instance stored are recoverable at once. */
    async retire(): Promise<void> {
      await storage.delete(INSTANCES + owner);
    },
    /** Removes heartbeats of instances gone for an hour (a killed process leaves one small key). */
    async prune(): Promise<void> {
      for (const beat of await storage.list<{ expiresAt: number }>(INSTANCES, { limit: 1000 })) {
        if (beat.value.expiresAt < clock.now() - 60 * 60_000)
          await storage.delete(beat.key, { ifVersion: beat.version });
      }
    },
    /** For a pending request: posts its card if it is owed and nobody else is posting it. */
    async recover(record: ApprovalRecord, version: string): Promise<void> {
      const now = clock.now();
      if (record.card || now >= record.expiresAt) return;
      if (record.claim && record.claim.expiresAt > now) return;
      if (now - record.createdAt < CARD_GRACE_MS && (await alive(record.createdBy))) return;
      const designated = await store.conversation();
      if (!designated) {
        options.logger.warn({ approvalId: record.id }, 'a request has no card and no approvals conversation is set');
        return;
      }
      const claimed: ApprovalRecord = { ...record, claim: { owner, expiresAt: now + ttlMs } };
      const written = await store.replace(claimed, version);
      if (!written.ok) return;
      const { activityId } = await options.notifier.post(designated.conversation, claimed);
      // Recorded only while still pending: a write on an executing record would fence its worker out.
      const current = await store.get(record.id);
      if (!current || current.value.state !== 'pending' || current.value.card) return;
      const attached: ApprovalRecord = {
        ...current.value,
        card: { conversation: designated.conversation, activityId },
      };
      delete attached.claim;
      const done = await store.replace(attached, current.version);
      if (!done.ok) options.logger.warn({ approvalId: record.id }, 'recovered card posted but not recorded');
      else options.logger.info({ approvalId: record.id }, 'posted the card of a request stored without one');
    },
  };
}

export type CardRecovery = ReturnType<typeof createCardRecovery>;
