import type { Clock } from '../clock';
import { isCodedError, type CodedError } from '../errors';
import type { Logger } from '../log';
import type { ConversationRef } from '../messaging/port';
import { guardedWrite, type WriteOutcome } from './guarded-write';
import { generateTemporaryPassword } from './password';
import { deviceProbe, mobileDeviceProbe, probeFor, type ItemProbe, type PersistencePorts } from './persistence-steps';
import { restoreProbe } from './restore-steps';
import type {
  MailboxDelegatePort,
  MethodView,
  MobileDevicePort,
  PersistencePort,
  SecretChannel,
  TenantPort,
  WriteReceipt,
} from './ports';
import type { ApprovalRecord, PlannedStep, RetryNote, StepReason, StepResult } from './types';

/** What running one step needs besides the tenant. */
export interface StepDeps {
  secrets: SecretChannel;
  clock: Clock;
  logger?: Logger;
  generatePassword?: () => string;
  /** Jitter for the backoff between write attempts; tests fix it. */
  random?: () => number;
  /** Grants, app role assignments, devices and app credentials (persistence steps). */
  persistence?: PersistencePort;
  /** Mailbox delegates through the Exchange admin API; absent when EXCHANGE_ADMIN_ENABLED is off. */
  delegates?: MailboxDelegatePort;
  /** Mobile-device blocks through the Exchange admin API; absent when EXCHANGE_ADMIN_ENABLED is off. */
  mobileDevices?: MobileDevicePort;
}

/** One execution's view: the tenant (seen through its retry log), the claim's fence, and the retry log. */
export interface StepContext {
  deps: StepDeps;
  tenant: TenantPort;
  fence: () => Promise<void>;
  retries: RetryNote[];
  /** The persistence ports, seen through the same retry log. */
  ports?: PersistencePorts;
}

type Target = Awaited<ReturnType<TenantPort['readTarget']>>;

const ids = (...r: ({ requestId: string | null } | null)[]): string[] =>
  r.flatMap((x) => (x && x.requestId ? [x.requestId] : []));

function errorIds(error: CodedError): string[] {
  return typeof error.details.requestId === 'string' ? [error.details.requestId] : [];
}

const isTap = (m: MethodView): boolean => m.typeSegment === 'temporaryAccessPassMethods';

/** A step's result from its write's outcome; `verify` reads the change back after a confirmed write. */
async function settle(
  step: PlannedStep,
  outcome: WriteOutcome<WriteReceipt>,
  verify: () => Promise<boolean>,
  before?: StepResult['before'],
): Promise<StepResult> {
  const kept = before ? { before } : {};
  switch (outcome.kind) {
    case 'written': {
      const ok = await verify();
      return {
        step,
        ok,
        reasons: ['applied', ok ? 'verified' : 'not-verified'],
        requestIds: ids(outcome.value),
        ...kept,
      };
    }
    case 'confirmed-by-read':
      return {
        step,
        ok: true,
        reasons: ['applied', 'confirmed-by-read'],
        requestIds: errorIds(outcome.error),
        ...kept,
      };
    case 'not-applied':
      return notApplied(step, outcome.error, before);
  }
}

function notApplied(step: PlannedStep, error: CodedError, before?: StepResult['before']): StepResult {
  return {
    step,
    ok: false,
    reasons: ['not-applied-retryable'],
    requestIds: errorIds(error),
    errorCode: error.code,
    ...(before ? { before } : {}),
  };
}

async function deliver(
  deps: StepDeps,
  chat: ConversationRef,
  message: Parameters<SecretChannel['send']>[1],
): Promise<StepReason> {
  try {
    // The messenger underneath retries 412/429/502/503/504 with backoff (bot/proactive/send-queue.ts).
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

/** Runs one approved step: at most one effective write, fenced by the claim, unknown outcomes resolved by reading. */
export async function runStep(
  step: PlannedStep,
  record: ApprovalRecord,
  fresh: Target,
  chat: ConversationRef | null,
  ctx: StepContext,
): Promise<StepResult> {
  const { tenant, deps } = ctx;
  const userId = fresh.id;
  const write = <T>(write: () => Promise<T>, applied: () => Promise<boolean>): Promise<WriteOutcome<T>> =>
    guardedWrite({
      write,
      applied,
      fence: ctx.fence,
      clock: deps.clock,
      onRetry: (note) => ctx.retries.push({ step: step.kind, ...note }),
      ...(deps.random ? { random: deps.random } : {}),
    });
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
      const moved = async (): Promise<boolean> => {
        const now = (await tenant.readTarget(userId)).sessionsValidFrom;
        return now !== null && now !== fresh.sessionsValidFrom;
      };
      return settle(step, await write(() => tenant.revokeSessions(userId), moved), moved, before);
    }
    case 'disable':
    case 'enable': {
      const want = step.kind === 'enable';
      const before = { accountEnabled: fresh.accountEnabled };
      if (fresh.accountEnabled === want)
        return { step, ok: true, reasons: ['already-in-state'], requestIds: [], before };
      if (record.dryRun) return dry(before);
      const inState = async (): Promise<boolean> => (await tenant.readTarget(userId)).accountEnabled === want;
      return settle(step, await write(() => tenant.setAccountEnabled(userId, want), inState), inState, before);
    }
    case 'reset-password': {
      if (record.dryRun) return dry();
      if (!chat) return { step, ok: false, reasons: ['no-personal-chat'], requestIds: [] };
      // One password for every attempt: whichever attempt took effect, the password set is the one delivered.
      const password = (deps.generatePassword ?? generateTemporaryPassword)();
      const changed = async (): Promise<boolean> =>
        (await tenant.readTarget(userId)).lastPasswordChange !== fresh.lastPasswordChange;
      const outcome = await write(() => tenant.setPassword(userId, password), changed);
      if (outcome.kind === 'not-applied') return notApplied(step, outcome.error);
      const delivered = await deliver(deps, chat, {
        kind: 'password',
        targetUpn: fresh.upn,
        secret: password,
        approvalId: record.id,
      });
      const confirmed = outcome.kind === 'confirmed-by-read';
      return {
        step,
        ok: delivered === 'delivered',
        reasons: ['applied', ...(confirmed ? (['confirmed-by-read'] as const) : []), delivered],
        requestIds: confirmed ? errorIds(outcome.error) : ids(outcome.value),
      };
    }
    case 'tap': {
      if (record.dryRun) return dry();
      if (!chat) return { step, ok: false, reasons: ['no-personal-chat'], requestIds: [] };
      // Listed first: a user has at most one TAP, and a TAP that appears after a lost answer is then known to be ours.
      if ((await tenant.listMethods(userId)).some(isTap))
        return { step, ok: false, reasons: ['tap-exists'], requestIds: [] };
      const created = async (): Promise<boolean> => (await tenant.listMethods(userId)).some(isTap);
      const outcome = await write(() => tenant.createTap(userId), created);
      if (outcome.kind === 'not-applied') return notApplied(step, outcome.error);
      // Graph shows a TAP's code only in the answer to its creation: a lost answer means a lost pass.
      if (outcome.kind === 'confirmed-by-read')
        return {
          step,
          ok: false,
          reasons: ['applied', 'confirmed-by-read', 'secret-lost'],
          requestIds: errorIds(outcome.error),
        };
      const delivered = await deliver(deps, chat, {
        kind: 'tap',
        targetUpn: fresh.upn,
        secret: outcome.value.pass,
        lifetimeInMinutes: outcome.value.lifetimeInMinutes,
        approvalId: record.id,
      });
      return { step, ok: delivered === 'delivered', reasons: ['applied', delivered], requestIds: ids(outcome.value) };
    }
    case 'remove-method': {
      const methodId = step.methodId ?? '';
      const methods = await tenant.listMethods(userId);
      const method = methods.find((m) => m.id === methodId);
      if (!method) return { step, ok: true, reasons: ['method-missing', 'already-in-state'], requestIds: [] };
      // Kept for the audit, and so restore-method can register a removed phone or email again.
      const before = {
        item: {
          kind: 'method' as const,
          odataType: method.odataType,
          createdDateTime: method.createdDateTime,
          ...(method.phoneNumber !== undefined ? { phoneNumber: method.phoneNumber } : {}),
          ...(method.phoneType !== undefined ? { phoneType: method.phoneType } : {}),
          ...(method.emailAddress !== undefined ? { emailAddress: method.emailAddress } : {}),
        },
      };
      // Inside `contain`, the user keeps at least one sign-in method besides the password: the last is not deleted.
      if (step.item && !methods.some((m) => m.id !== methodId && m.typeSegment !== null))
        return { step, ok: false, reasons: ['last-method-kept'], requestIds: [], before };
      if (record.dryRun) return dry(before);
      const gone = async (): Promise<boolean> => !(await tenant.listMethods(userId)).some((m) => m.id === methodId);
      return settle(
        step,
        await write(() => tenant.deleteMethod(userId, step.methodType ?? '', methodId), gone),
        gone,
        before,
      );
    }
    case 'revoke-grant':
    case 'remove-app-role':
    case 'remove-delegate':
    case 'disable-device':
    case 'block-mobile-device':
    case 'remove-app-credential': {
      const item = step.item;
      if (!item || item.kind === 'method') return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
      const probe = probeFor(item, { id: userId, upn: fresh.upn }, ctx.ports ?? deps);
      return removeItem(step, record, probe, write, dry);
    }
    case 'enable-device': {
      const item = step.item;
      const graph = (ctx.ports ?? deps).persistence;
      if (item?.kind !== 'device' || !graph) return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
      return removeItem(step, record, deviceProbe(item, { id: userId }, graph, true), write, dry);
    }
    case 'unblock-mobile-device': {
      const item = step.item;
      const port = (ctx.ports ?? deps).mobileDevices;
      if (item?.kind !== 'mobile-device') return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
      if (!port) return { step, ok: false, reasons: ['exchange-not-enabled'], requestIds: [] };
      return removeItem(step, record, mobileDeviceProbe(item, fresh.upn, port, false), write, dry);
    }
    case 'restore-grant':
    case 'restore-app-role':
    case 'restore-method':
    case 'restore-delegate': {
      const ports = ctx.ports ?? deps;
      if (step.kind === 'restore-delegate' && !ports.delegates)
        return { step, ok: false, reasons: ['exchange-not-enabled'], requestIds: [] };
      const probe = step.restore ? restoreProbe(step.restore, { id: userId, upn: fresh.upn }, ports, tenant) : null;
      if (!probe) return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
      const seen = await probe.read();
      if (seen === 'present') return { step, ok: true, reasons: ['already-in-state'], requestIds: [] };
      if (seen === 'conflict') return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
      if (record.dryRun) return dry();
      const back = async (): Promise<boolean> => (await probe.read()) === 'present';
      return settle(step, await write(() => probe.create(), back), back);
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
      const inState = async (): Promise<boolean> => (await tenant.getRule(userId, ruleId))?.isEnabled === want;
      return settle(step, await write(() => tenant.setRuleEnabled(userId, ruleId, want), inState), inState, before);
    }
  }
}

/** A persistence step: read the item, remove it once (guarded), read it back; the before-state is kept. */
async function removeItem(
  step: PlannedStep,
  record: ApprovalRecord,
  probe: ItemProbe,
  write: (write: () => Promise<WriteReceipt>, applied: () => Promise<boolean>) => Promise<WriteOutcome<WriteReceipt>>,
  dry: (before?: StepResult['before']) => StepResult,
): Promise<StepResult> {
  const seen = await probe.read();
  switch (seen.state) {
    case 'gone':
      return { step, ok: true, reasons: seen.reasons, requestIds: [] };
    case 'changed':
      return { step, ok: false, reasons: ['item-changed'], requestIds: [] };
    case 'unavailable':
      return { step, ok: false, reasons: [seen.reason], requestIds: [] };
    case 'present': {
      const before = { item: seen.before };
      if (record.dryRun) return dry(before);
      const gone = (): Promise<boolean> => probe.gone();
      return settle(step, await write(() => probe.remove(), gone), gone, before);
    }
  }
}
