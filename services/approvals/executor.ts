import type { Clock } from '../clock';
import type { Logger } from '../log';
import { isCodedError } from '../errors';
import type { ConversationRef } from '../messaging/port';
import { generateTemporaryPassword } from './password';
import type { SecretChannel, TenantPort } from './ports';
import { checkTarget, type TargetPolicy } from './target-check';
import type { ApprovalRecord, PlannedStep, StepReason, StepResult } from './types';

export interface ExecutorDeps {
  tenant: TenantPort;
  secrets: SecretChannel;
  policy: TargetPolicy;
  clock: Clock;
  logger?: Logger;
  generatePassword?: () => string;
}

export type ExecutionOutcome = Pick<NonNullable<ApprovalRecord['execution']>, 'results' | 'refused'> & {
  state: 'done' | 'failed';
};

type Target = Awaited<ReturnType<TenantPort['readTarget']>>;

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

const ids = (...r: ({ requestId: string | null } | null)[]): string[] =>
  r.flatMap((x) => (x && x.requestId ? [x.requestId] : []));

/**
 * Runs the approved steps once. The target is re-read first (TOCTOU: it may have become an admin), every
 * write is verified by reading it back, and `persist` is called after each step so a crash loses at most the
 * step in flight, which reconcile() then settles by reading state.
 */
export async function executeRequest(
  record: ApprovalRecord,
  deps: ExecutorDeps,
  persist: (results: StepResult[]) => Promise<void>,
): Promise<ExecutionOutcome> {
  const fresh = await deps.tenant.readTarget(record.target.id);
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
    };
  }
  const needsChat = !record.dryRun && record.steps.some((s) => s.kind === 'reset-password' || s.kind === 'tap');
  // The secret's destination is found before the write: a password nobody can receive must not be set.
  const chat = needsChat ? await openChat(record, fresh.upn, deps) : null;
  const results: StepResult[] = [];
  for (const step of record.steps) {
    let result: StepResult;
    try {
      result = await runStep(step, record, fresh, chat, deps);
    } catch (error) {
      result = failure(step, error);
    }
    results.push(result);
    await persist([...results]);
  }
  return { state: results.every((r) => r.ok) ? 'done' : 'failed', results };
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

async function deliver(
  deps: ExecutorDeps,
  chat: ConversationRef,
  message: Parameters<SecretChannel['send']>[1],
): Promise<StepReason> {
  try {
    await deps.secrets.send(chat, message);
    return 'delivered';
  } catch (error) {
    // Nothing is kept: the secret goes out of scope here, and the outcome asks for a new request.
    deps.logger?.warn(
      { code: isCodedError(error) ? error.code : 'unexpected', approvalId: message.approvalId },
      'secret delivery failed',
    );
    return 'delivery-failed';
  }
}

async function runStep(
  step: PlannedStep,
  record: ApprovalRecord,
  fresh: Target,
  chat: ConversationRef | null,
  deps: ExecutorDeps,
): Promise<StepResult> {
  const { tenant } = deps;
  const userId = fresh.id;
  const dry = (before?: StepResult['before']): StepResult => ({
    step,
    ok: true,
    reasons: ['dry-run'],
    requestIds: [],
    ...(before ? { before } : {}),
  });
  switch (step.kind) {
    case 'revoke': {
      const before = { sessionsValidFrom: fresh.sessionsValidFrom };
      if (record.dryRun) return dry(before);
      const receipt = await tenant.revokeSessions(userId);
      const after = await tenant.readTarget(userId);
      const moved = after.sessionsValidFrom !== null && after.sessionsValidFrom !== fresh.sessionsValidFrom;
      return {
        step,
        ok: moved,
        reasons: ['applied', moved ? 'verified' : 'not-verified'],
        requestIds: ids(receipt),
        before,
      };
    }
    case 'disable':
    case 'enable': {
      const want = step.kind === 'enable';
      const before = { accountEnabled: fresh.accountEnabled };
      if (fresh.accountEnabled === want)
        return { step, ok: true, reasons: ['already-in-state'], requestIds: [], before };
      if (record.dryRun) return dry(before);
      const receipt = await tenant.setAccountEnabled(userId, want);
      const after = await tenant.readTarget(userId);
      const ok = after.accountEnabled === want;
      return { step, ok, reasons: ['applied', ok ? 'verified' : 'not-verified'], requestIds: ids(receipt), before };
    }
    case 'reset-password': {
      if (record.dryRun) return dry();
      if (!chat) return { step, ok: false, reasons: ['no-personal-chat'], requestIds: [] };
      const password = (deps.generatePassword ?? generateTemporaryPassword)();
      const receipt = await tenant.setPassword(userId, password);
      const delivered = await deliver(deps, chat, {
        kind: 'password',
        targetUpn: fresh.upn,
        secret: password,
        approvalId: record.id,
      });
      return { step, ok: delivered === 'delivered', reasons: ['applied', delivered], requestIds: ids(receipt) };
    }
    case 'tap': {
      if (record.dryRun) return dry();
      if (!chat) return { step, ok: false, reasons: ['no-personal-chat'], requestIds: [] };
      const created = await tenant.createTap(userId);
      const delivered = await deliver(deps, chat, {
        kind: 'tap',
        targetUpn: fresh.upn,
        secret: created.pass,
        lifetimeInMinutes: created.lifetimeInMinutes,
        approvalId: record.id,
      });
      return { step, ok: delivered === 'delivered', reasons: ['applied', delivered], requestIds: ids(created) };
    }
    case 'remove-method': {
      const methodId = step.methodId ?? '';
      const present = (await tenant.listMethods(userId)).some((m) => m.id === methodId);
      if (!present) return { step, ok: true, reasons: ['method-missing', 'already-in-state'], requestIds: [] };
      if (record.dryRun) return dry();
      const receipt = await tenant.deleteMethod(userId, step.methodType ?? '', methodId);
      const gone = !(await tenant.listMethods(userId)).some((m) => m.id === methodId);
      return { step, ok: gone, reasons: ['applied', gone ? 'verified' : 'not-verified'], requestIds: ids(receipt) };
    }
    case 'disable-rule':
    case 'enable-rule': {
      const want = step.kind === 'enable-rule';
      const ruleId = step.ruleId ?? '';
      const rule = await tenant.getRule(userId, ruleId);
      if (!rule) return { step, ok: false, reasons: ['rule-missing'], requestIds: [] };
      const before = { ruleEnabled: rule.isEnabled };
      if (rule.isEnabled === want) return { step, ok: true, reasons: ['already-in-state'], requestIds: [], before };
      if (record.dryRun) return dry(before);
      const receipt = await tenant.setRuleEnabled(userId, ruleId, want);
      const after = await tenant.getRule(userId, ruleId);
      const ok = after?.isEnabled === want;
      return { step, ok, reasons: ['applied', ok ? 'verified' : 'not-verified'], requestIds: ids(receipt), before };
    }
  }
}
