import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import { isCodedError } from '../errors';
import type { Logger } from '../log';
import { acquireLease, releaseLease, renewLease, type Lease } from '../storage/lease';
import type { Storage } from '../storage/port';
import type { Telemetry } from '../telemetry/port';
import { auditDetails } from './approval-service';
import type { ApprovalStore } from './approval-store';
import { executeRequest, type ExecutorDeps } from './executor';
import type { ApprovalNotifier } from './ports';
import { reconcile } from './reconcile';
import { TERMINAL_STATES, type ApprovalRecord, type StepResult } from './types';

export interface WorkerOptions extends ExecutorDeps {
  storage: Storage;
  store: ApprovalStore;
  notifier: ApprovalNotifier;
  audit: AuditLog;
  logger: Logger;
  owner?: string;
  pollMs?: number;
  leaseTtlMs?: number;
  /** Records the time from the approval to the end of its execution. */
  telemetry?: Telemetry;
}

const LEASE_KEY = 'approvals/worker-lease';

function summary(results: readonly StepResult[]): { steps: string; graphRequestIds: string } {
  return {
    steps: results
      .map((r) => `${r.step.kind}${r.step.ruleId ? `(${r.step.ruleId})` : ''}:${r.reasons.join('+')}`)
      .join('; '),
    graphRequestIds: results.flatMap((r) => r.requestIds).join(','),
  };
}

/**
 * Drains the durable queue (`approvals/open/`): executes approved requests exactly once, expires stale ones,
 * and reconciles requests a dead worker left half-executed. One instance works at a time, by lease.
 */
export function createApprovalWorker(options: WorkerOptions) {
  const { store, clock, logger } = options;
  const owner = options.owner ?? randomUUID();
  const pollMs = options.pollMs ?? 2_000;
  const leaseTtlMs = options.leaseTtlMs ?? 10_000;
  const running = new Map<string, Promise<void>>();
  let lease: Lease | null = null;
  let stopped = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function finish(record: ApprovalRecord, version: string, action: string): Promise<void> {
    const written = await store.replace(record, version);
    if (!written.ok) {
      logger.warn({ approvalId: record.id }, 'approval changed under the worker; leaving it to the next pass');
      return;
    }
    await options.audit.append({
      actor: { aadObjectId: null, name: 'approval worker' },
      action,
      target: record.target.id,
      outcome: record.state,
      correlationId: record.id,
      details: { ...auditDetails(record), ...summary(record.execution?.results ?? []) },
    });
    await store.close(record.id);
    const { decision, execution } = record;
    if (decision?.kind === 'approved' && execution?.finishedAt !== undefined)
      options.telemetry?.record('approvalDecisionToDone', execution.finishedAt - decision.at, { state: record.state });
    await options.notifier.updated(record).catch((error: unknown) => {
      logger.warn({ err: error, approvalId: record.id }, 'approval card could not be updated');
    });
  }

  async function execute(claimed: ApprovalRecord, claimVersion: string): Promise<void> {
    let current = claimed;
    let version = claimVersion;
    await options.audit.append({
      actor: { aadObjectId: null, name: 'approval worker' },
      action: 'approval.executing',
      target: current.target.id,
      outcome: 'executing',
      correlationId: current.id,
      details: auditDetails(current),
    });
    const persist = async (results: StepResult[]): Promise<void> => {
      const next = { ...current, execution: { startedAt: current.execution?.startedAt ?? clock.now(), results } };
      const written = await store.replace(next, version);
      if (!written.ok) throw new Error('approval record changed during execution');
      current = next;
      version = written.item.version;
    };
    let outcome: Awaited<ReturnType<typeof executeRequest>>;
    try {
      outcome = await executeRequest(current, options, persist);
    } catch (error) {
      if (isCodedError(error, 'storage_unavailable')) throw error;
      logger.warn({ err: error, approvalId: current.id }, 'approval execution failed before its steps');
      const done = current.execution?.results ?? [];
      outcome = {
        state: 'failed',
        results: [
          ...done,
          ...current.steps.slice(done.length).map((step) => ({
            step,
            ok: false,
            reasons: ['graph-error' as const],
            requestIds: [],
            errorCode: isCodedError(error) ? error.code : 'unexpected_error',
          })),
        ],
      };
    }
    const final: ApprovalRecord = {
      ...current,
      state: outcome.state,
      execution: {
        startedAt: current.execution?.startedAt ?? clock.now(),
        finishedAt: clock.now(),
        results: outcome.results,
        ...(outcome.refused ? { refused: outcome.refused } : {}),
      },
    };
    await finish(final, version, `approval.${final.state}`);
  }

  async function settleInterrupted(record: ApprovalRecord, version: string): Promise<void> {
    const results = await reconcile(record, options.tenant);
    const final: ApprovalRecord = {
      ...record,
      state: results.every((r) => r.ok) ? 'done' : 'failed',
      execution: {
        startedAt: record.execution?.startedAt ?? clock.now(),
        finishedAt: clock.now(),
        results,
        interrupted: true,
      },
    };
    logger.warn({ approvalId: record.id, state: final.state }, 'reconciled an execution interrupted by a crash');
    await finish(final, version, 'approval.reconciled');
  }

  async function handle(id: string): Promise<void> {
    const item = await store.get(id);
    if (!item) {
      await store.close(id);
      return;
    }
    const record = item.value;
    if (TERMINAL_STATES.includes(record.state)) {
      await store.close(id);
      return;
    }
    if (record.state === 'pending') {
      if (clock.now() < record.expiresAt) return;
      await finish({ ...record, state: 'expired' }, item.version, 'approval.expired');
      return;
    }
    if (record.state === 'executing') {
      // Not running here, and we hold the lease: the worker that claimed it is gone.
      await settleInterrupted(record, item.version);
      return;
    }
    // approved: the claim is a versioned write, so only one worker ever starts the Graph writes.
    const claimed: ApprovalRecord = {
      ...record,
      state: 'executing',
      execution: { startedAt: clock.now(), results: [] },
    };
    const written = await store.replace(claimed, item.version);
    if (!written.ok) return;
    await execute(claimed, written.item.version);
  }

  /** One pass over the queue. Executions run concurrently and are tracked so a pass never reconciles its own. */
  async function runOnce(): Promise<void> {
    for (const id of await store.openIds()) {
      if (running.has(id)) continue;
      const work = handle(id)
        .catch((error: unknown) => logger.error({ err: error, approvalId: id }, 'approval worker step failed'))
        .finally(() => running.delete(id));
      running.set(id, work);
    }
  }

  async function tick(): Promise<void> {
    lease = lease
      ? await renewLease(options.storage, lease, leaseTtlMs, clock)
      : await acquireLease(options.storage, LEASE_KEY, owner, leaseTtlMs, clock);
    if (lease) await runOnce();
  }

  return {
    owner,
    runOnce,
    /** Waits for executions started by runOnce (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
    kick(): void {
      wake?.();
    },
    start(): void {
      if (loop) return;
      stopped = false;
      loop = (async () => {
        while (!stopped) {
          await tick().catch((error: unknown) => {
            lease = null;
            logger.warn({ err: error }, 'approval worker pass failed; retrying');
          });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      })();
    },
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await loop;
      loop = null;
      await Promise.all([...running.values()]);
      if (lease)
        await releaseLease(options.storage, lease).catch((error: unknown) => {
          logger.warn({ err: error }, 'approval worker lease not released; it expires on its own');
        });
      lease = null;
    },
  };
}

export type ApprovalWorker = ReturnType<typeof createApprovalWorker>;
