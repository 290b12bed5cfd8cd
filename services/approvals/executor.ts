import { isCodedError } from '../errors';
import type { ConversationRef } from '../messaging/port';
import type { TenantPort } from './ports';
import { runStep, type StepContext, type StepDeps } from './steps';
import { checkTarget, type TargetPolicy } from './target-check';
import type { ApprovalRecord, PlannedStep, RetryNote, StepResult } from './types';

export interface ExecutorDeps extends StepDeps {
  tenant: TenantPort;
  policy: TargetPolicy;
}

/** What the executor needs from the worker that claimed the request (claim.ts). */
export interface ExecutionHooks {
  /** Immediately before every Graph write; throws approval_claim_lost when the claim is no longer ours. */
  fence(): Promise<void>;
  /** Saves the results so far after each step, so a crash loses at most the step in flight. */
  persist(results: StepResult[], retries: RetryNote[]): Promise<void>;
}

export type ExecutionOutcome = Pick<NonNullable<ApprovalRecord['execution']>, 'results' | 'refused' | 'retries'> & {
  state: 'done' | 'failed';
};

function failure(step: PlannedStep, error: unknown, requestIds: string[] = []): StepResult {
  const unknown = isCodedError(error, 'graph_outcome_unknown');
  const code = isCodedError(error) ? error.code : 'unexpected_error';
  const requestId = isCodedError(error) && typeof error.details.requestId === 'string' ? error.details.requestId : null;
  return {
    step,
    ok: false,
    reasons: [unknown ? 'outcome-unknown' : 'graph-error'],
    requestIds: requestId ? [...requestIds, requestId] : requestIds,
    errorCode: code,
  };
}

/**
 * Runs the approved steps once. The target is re-read first (TOCTOU: it may have become an admin), every
 * write is fenced by the claim and verified by reading it back, and progress is persisted after each step so a
 * crash loses at most the step in flight, which reconcile() then settles by reading state.
 */
export async function executeRequest(
  record: ApprovalRecord,
  deps: ExecutorDeps,
  hooks: ExecutionHooks,
): Promise<ExecutionOutcome> {
  const retries: RetryNote[] = [];
  let current: PlannedStep['kind'] | null = null;
  const tenant = deps.tenant.withRetryObserver?.((e) => retries.push({ step: current, ...e })) ?? deps.tenant;
  const fresh = await tenant.readTarget(record.target.id);
  const verdict = checkTarget(
    fresh,
    record.steps.map((s) => s.kind),
    deps.policy,
  );
  if (verdict.refusals.length > 0) {
    return {
      state: 'failed',
      refused: verdict.refusals,
      results: record.steps.map((step) => ({ step, ok: false, reasons: ['target-refused'], requestIds: [] })),
      retries,
    };
  }
  const needsChat = !record.dryRun && record.steps.some((s) => s.kind === 'reset-password' || s.kind === 'tap');
  // The secret's destination is found before the write: a password nobody can receive must not be set.
  const chat = needsChat ? await openChat(record, fresh.upn, deps) : null;
  const results: StepResult[] = [];
  const observe = (note: Omit<RetryNote, 'step'>): void => void retries.push({ step: current, ...note });
  const persistence = deps.persistence?.withRetryObserver?.(observe) ?? deps.persistence;
  const ports = {
    ...(persistence ? { persistence } : {}),
    ...(deps.delegates ? { delegates: deps.delegates } : {}),
    ...(deps.mobileDevices ? { mobileDevices: deps.mobileDevices } : {}),
  };
  const ctx: StepContext = { deps, tenant, fence: () => hooks.fence(), retries, ports };
  for (const step of record.steps) {
    current = step.kind;
    let result: StepResult;
    try {
      result = await runStep(step, record, fresh, chat, ctx);
    } catch (error) {
      // A lost claim or an unreachable store ends this worker's part: whoever holds the request settles it.
      if (isCodedError(error, 'approval_claim_lost') || isCodedError(error, 'storage_unavailable')) throw error;
      result = failure(step, error);
    }
    results.push(result);
    await hooks.persist([...results], [...retries]);
  }
  return { state: results.every((r) => r.ok) ? 'done' : 'failed', results, retries };
}

/** The requester's personal chat, proven deliverable by a notice; null when there is none we can post to. */
async function openChat(
  record: ApprovalRecord,
  targetUpn: string,
  deps: ExecutorDeps,
): Promise<ConversationRef | null> {
  try {
    const chat = await deps.secrets.open(record.requester, record.origin);
    if (!chat) return null;
    const kind = record.steps.some((s) => s.kind === 'reset-password') ? 'password' : 'tap';
    await deps.secrets.announce(chat, { approvalId: record.id, kind, targetUpn });
    return chat;
  } catch (error) {
    deps.logger?.warn({ err: error, approvalId: record.id }, 'the requester personal chat is not reachable');
    return null;
  }
}
