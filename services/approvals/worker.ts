import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import { isCodedError } from '../errors';
import { persistenceKey } from '../identity/persistence';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import type { Telemetry } from '../telemetry/port';
import { auditDetails } from './approval-service';
import type { ApprovalStore } from './approval-store';
import { createLoop } from '../loop';
import { createCardRecovery } from './card-recovery';
import { claimLapsed, claimRequest, withoutClaim, type HeldClaim } from './claim';
import { executeRequest, type ExecutionOutcome, type ExecutorDeps } from './executor';
import type { ApprovalNotifier } from './ports';
import { reconcile } from './reconcile';
import { TERMINAL_STATES, type ApprovalRecord, type RetryNote, type StepResult } from './types';

export interface WorkerOptions extends ExecutorDeps {
  storage: Storage;
  store: ApprovalStore;
  notifier: ApprovalNotifier;
  audit: AuditLog;
  logger: Logger;
  owner?: string;
  pollMs?: number;
  /** How long a claim lives without renewal; renewed every third of it and before every Graph write. */
  claimTtlMs?: number;
  /** How long this instance counts as alive after a pass (for the cards of requests it stored). */
  instanceTtlMs?: number;
  /** Records the time from the approval to the end of its execution. */
  telemetry?: Telemetry;
}

/** An approved request that has not started this long after its approval is failed, not left queued. */
export const START_DEADLINE_MS = 15 * 60_000;

function summary(results: readonly StepResult[], retries: readonly RetryNote[]): Record<string, string | number> {
  return {
    steps: results
      .map(
        (r) =>
          `${r.step.kind}${r.step.ruleId ? `(${r.step.ruleId})` : ''}${r.step.item ? `(${persistenceKey(r.step.item)})` : ''}:${r.reasons.join('+')}`,
      )
      .join('; '),
    // What each removed item of persistence was, so it can be put back by hand where Graph allows.
    persistenceBefore: JSON.stringify(results.flatMap((r) => (r.before?.item ? [r.before.item] : []))),
    graphRequestIds: results.flatMap((r) => r.requestIds).join(','),
    graphRetries: retries.length,
    graphRetryWaitMs: retries.reduce((sum, r) => sum + r.waitMs, 0),
    graphRetryLog: retries
      .map((r) => `${r.step ?? 'read'}:${r.reason}${r.status ? `(${r.status})` : ''} ${r.waitMs}ms`)
      .join('; '),
  };
}

/** Every step failed with one reason: for requests that never reached their steps. */
function unstarted(record: ApprovalRecord, reason: StepResult['reasons'][number], errorCode?: string): StepResult[] {
  const done = record.execution?.results ?? [];
  return [
    ...done,
    ...record.steps.slice(done.length).map((step) => ({
      step,
      ok: false,
      reasons: [reason],
      requestIds: [],
      ...(errorCode ? { errorCode } : {}),
    })),
  ];
}

/**
 * Drains the durable queue (`approvals/open/`) on every instance at once: executes each approved request exactly
 * once, expires stale ones, and settles by reading those whose worker died. Nothing global serialises unrelated
 * requests: each request has its own claim (claim.ts), won by a conditional write and fenced before every Graph write.
 */
export function createApprovalWorker(options: WorkerOptions) {
  const { store, clock, logger } = options;
  const owner = options.owner ?? randomUUID();
  const pollMs = options.pollMs ?? 2_000;
  // Generous lifetimes: a process must stall for most of one before another instance steps in.
  const claims = { store, clock, owner, ttlMs: options.claimTtlMs ?? 30_000 };
  const cards = createCardRecovery({ ...options, owner, ttlMs: options.instanceTtlMs ?? 30_000 });
  const running = new Map<string, Promise<void>>();

  /** After a terminal state is stored: the audit record, the queue entry closed, the card updated for everyone. */
  async function announce(record: ApprovalRecord, action: string): Promise<void> {
    await options.audit.append({
      actor: { aadObjectId: null, name: 'approval worker' },
      action,
      target: record.target.id,
      outcome: record.state,
      correlationId: record.id,
      details: {
        ...auditDetails(record),
        ...summary(record.execution?.results ?? [], record.execution?.retries ?? []),
      },
    });
    await store.close(record.id);
    const { decision, execution } = record;
    if (decision?.kind === 'approved' && execution?.finishedAt !== undefined)
      options.telemetry?.record('approvalDecisionToDone', execution.finishedAt - decision.at, { state: record.state });
    await options.notifier.updated(record).catch((error: unknown) => {
      logger.warn({ err: error, approvalId: record.id }, 'approval card could not be updated');
    });
  }

  /** A terminal write for a request nobody holds a claim on (expired, never started, reconciled). */
  async function settle(record: ApprovalRecord, version: string, action: string): Promise<void> {
    const written = await store.replace(record, version);
    if (!written.ok) {
      logger.warn({ approvalId: record.id }, 'approval changed under the worker; leaving it to the next pass');
      return;
    }
    await announce(record, action);
  }

  async function execute(held: HeldClaim): Promise<void> {
    const claimed = held.record;
    await options.audit.append({
      actor: { aadObjectId: null, name: 'approval worker' },
      action: 'approval.executing',
      target: claimed.target.id,
      outcome: 'executing',
      correlationId: claimed.id,
      details: { ...auditDetails(claimed), worker: owner },
    });
    let outcome: ExecutionOutcome;
    try {
      outcome = await executeRequest(claimed, options, {
        fence: () => held.fence(),
        persist: (results, retries) =>
          held.save((r) => ({
            ...r,
            execution: { startedAt: r.execution?.startedAt ?? clock.now(), results, retries },
          })),
      });
    } catch (error) {
      if (isCodedError(error, 'approval_claim_lost') || isCodedError(error, 'storage_unavailable')) {
        logger.warn(
          { err: error, approvalId: claimed.id },
          'stopped before the next Graph write: the claim is no longer ours; the request is settled by reading',
        );
        return;
      }
      logger.warn({ err: error, approvalId: claimed.id }, 'approval execution failed before its steps');
      const code = isCodedError(error) ? error.code : 'unexpected_error';
      outcome = { state: 'failed', results: unstarted(held.record, 'graph-error', code) };
    }
    const current = held.record;
    const final: ApprovalRecord = {
      ...current,
      state: outcome.state,
      execution: {
        startedAt: current.execution?.startedAt ?? clock.now(),
        finishedAt: clock.now(),
        results: outcome.results,
        retries: outcome.retries ?? current.execution?.retries ?? [],
        ...(outcome.refused ? { refused: outcome.refused } : {}),
      },
    };
    if (!(await held.finish(final))) {
      logger.warn({ approvalId: final.id }, 'the claim was lost before the outcome was stored; settled by reading');
      return;
    }
    await announce(final, `approval.${final.state}`);
  }

  async function settleInterrupted(record: ApprovalRecord, version: string): Promise<void> {
    const results = await reconcile(record, options.tenant, options);
    const final: ApprovalRecord = {
      ...withoutClaim(record),
      state: results.every((r) => r.ok) ? 'done' : 'failed',
      execution: {
        ...record.execution,
        startedAt: record.execution?.startedAt ?? clock.now(),
        finishedAt: clock.now(),
        results,
        interrupted: true,
      },
    };
    logger.warn({ approvalId: record.id, state: final.state }, 'reconciled an execution whose claim lapsed');
    await settle(final, version, 'approval.reconciled');
  }

  async function handle(id: string): Promise<void> {
    const item = await store.get(id);
    if (!item || TERMINAL_STATES.includes(item.value.state)) {
      await store.close(id);
      return;
    }
    const record = item.value;
    const now = clock.now();
    if (record.state === 'pending') {
      if (now >= record.expiresAt) await settle({ ...record, state: 'expired' }, item.version, 'approval.expired');
      else if (!record.card) await cards.recover(record, item.version);
      return;
    }
    if (record.state === 'executing') {
      // Never settle a request another live worker is executing: only a lapsed claim means its worker is gone.
      if (claimLapsed(record, now)) await settleInterrupted(record, item.version);
      return;
    }
    if (now - (record.decision?.at ?? record.createdAt) >= START_DEADLINE_MS) {
      const results = unstarted(record, 'not-started-in-time');
      const final: ApprovalRecord = {
        ...record,
        state: 'failed',
        execution: { startedAt: now, finishedAt: now, results },
      };
      await settle(final, item.version, 'approval.failed');
      return;
    }
    const held = await claimRequest(claims, record, item.version);
    // Whatever ends the execution, its claim stops being renewed, so it lapses and another pass can settle it.
    if (held) await execute(held).finally(() => held.release());
  }

  /** One pass over the queue. Executions run concurrently and are tracked so a pass never reconciles its own. */
  async function runOnce(): Promise<void> {
    await cards.heartbeat();
    for (const id of await store.openIds()) {
      if (running.has(id)) continue;
      const work = handle(id)
        .catch((error: unknown) => logger.error({ err: error, approvalId: id }, 'approval worker step failed'))
        .finally(() => running.delete(id));
      running.set(id, work);
    }
  }

  // A failed pass (storage unreachable) is logged and retried after a backoff; kick() starts the next pass at once.
  const loop = createLoop({ name: 'approval worker', clock, logger, intervalMs: pollMs, jitter: 0.1, tick: runOnce });

  return {
    owner,
    runOnce,
    /** Waits for executions started by runOnce (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
    kick(): void {
      loop.wake();
    },
    start(): void {
      if (loop.running) return;
      cards.prune().catch((error: unknown) => logger.warn({ err: error }, 'old instance heartbeats not pruned'));
      loop.start();
    },
    async stop(): Promise<void> {
      await loop.stop();
      await Promise.all([...running.values()]);
      await cards.retire().catch((error: unknown) => logger.warn({ err: error }, 'instance heartbeat not removed'));
    },
  };
}

export type ApprovalWorker = ReturnType<typeof createApprovalWorker>;
