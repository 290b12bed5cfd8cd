import type { Clock } from '../clock';
import { CodedError, isCodedError } from '../errors';
import type { ApprovalStore } from './approval-store';
import type { ApprovalRecord } from './types';

/** Whether another worker may settle this executing request: its claim has lapsed (or it predates claims). */
export function claimLapsed(record: ApprovalRecord, now: number): boolean {
  return !record.claim || record.claim.expiresAt <= now;
}

/** The record as stored once nobody holds it (a terminal state). */
export function withoutClaim(record: ApprovalRecord): ApprovalRecord {
  const rest = { ...record };
  delete rest.claim;
  return rest;
}

/** An approved request this worker has claimed; every change to its record goes through here. */
export interface HeldClaim {
  readonly record: ApprovalRecord;
  /**
   * Called immediately before every Graph write: renews the claim with a write conditional on the version this
   * worker last wrote. Throws approval_claim_lost when the claim lapsed or another worker changed the record, so a
   * worker that lost its claim stops before its next write.
   */
  fence(): Promise<void>;
  /** Saves progress (same condition and renewal as fence). */
  save(change: (record: ApprovalRecord) => ApprovalRecord): Promise<void>;
  /** The last write: the terminal record, without a claim. False when the claim was lost first. */
  finish(final: ApprovalRecord): Promise<boolean>;
  /** Stops the background renewal. */
  release(): void;
}

export interface ClaimOptions {
  store: ApprovalStore;
  clock: Clock;
  owner: string;
  ttlMs: number;
}

function lost(record: ApprovalRecord, why: string): CodedError {
  return new CodedError('approval_claim_lost', `the claim on approval ${record.id} was lost (${why})`, {
    approvalId: record.id,
  });
}

/**
 * Claims an approved request (`approved → executing`) with a write conditional on the version read, so of two
 * workers racing for it exactly one wins; null for the loser. The claim is renewed in the background every third
 * of its lifetime while this process runs, and by every fence.
 */
export async function claimRequest(
  options: ClaimOptions,
  record: ApprovalRecord,
  version: string,
): Promise<HeldClaim | null> {
  const { store, clock, owner, ttlMs } = options;
  const now = clock.now();
  const claimed: ApprovalRecord = {
    ...record,
    state: 'executing',
    claim: { owner, expiresAt: now + ttlMs },
    execution: { startedAt: now, results: [] },
  };
  const written = await store.replace(claimed, version);
  if (!written.ok) return null;
  let current = claimed;
  let currentVersion = written.item.version;
  let gone: CodedError | null = null;
  // Record writes of one claim are serialised, so a renewal never races a progress write of the same worker.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  // A busy or briefly unreachable store is retried while the claim lives: giving up at once would turn a
  // healthy execution into one that another worker must settle by reading. A conflict is never retried.
  async function replaceRetrying(next: ApprovalRecord): ReturnType<ApprovalStore['replace']> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.replace(next, currentVersion);
      } catch (error) {
        const expiresAt = current.claim?.expiresAt ?? 0;
        if (!isCodedError(error, 'storage_unavailable') || attempt >= 3 || clock.now() + 1_000 >= expiresAt)
          throw error;
        await clock.sleep(500 * attempt);
      }
    }
  }

  const write = (change: (r: ApprovalRecord) => ApprovalRecord): Promise<void> =>
    serial(async () => {
      if (gone) throw gone;
      const at = clock.now();
      if (!current.claim || current.claim.expiresAt <= at) throw (gone = lost(current, 'lease lapsed'));
      const next: ApprovalRecord = { ...change(current), claim: { owner, expiresAt: at + ttlMs } };
      const result = await replaceRetrying(next);
      if (!result.ok) throw (gone = lost(current, 'record changed by another worker'));
      current = next;
      currentVersion = result.item.version;
    });

  const stop = new AbortController();
  void (async () => {
    while (!stop.signal.aborted && !gone) {
      await clock.sleep(ttlMs / 3, stop.signal).catch(() => undefined);
      if (stop.signal.aborted) return;
      // A failed renewal is remembered in `gone`; the execution stops at its next fence.
      await write((r) => r).catch(() => undefined);
    }
  })();

  return {
    get record() {
      return current;
    },
    fence: () => write((r) => r),
    save: write,
    finish: (final) =>
      serial(async () => {
        stop.abort();
        if (gone) return false;
        const rest = withoutClaim(final);
        const result = await store.replace(rest, currentVersion);
        if (!result.ok) return false;
        current = rest;
        return true;
      }),
    release: () => stop.abort(),
  };
}
