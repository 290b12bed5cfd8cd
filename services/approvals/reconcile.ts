import { mobileDeviceProbe, probeFor, type PersistencePorts } from './persistence-steps';
import type { TenantPort } from './ports';
import { restoreProbe } from './restore-steps';
import type { ApprovalRecord, PlannedStep, StepResult } from './types';

// Graph's clock and ours differ a little; a change stamped this long before we started still counts as ours.
const SKEW_MS = 60_000;

function since(iso: string | null, startedAt: number): boolean {
  return iso !== null && Date.parse(iso) >= startedAt - SKEW_MS;
}

/**
 * Settles a request whose worker died while executing: each step without a recorded result is judged by reading
 * the target's state, and nothing is ever written again (a second reset or revoke needs a new approval).
 */
export async function reconcile(
  record: ApprovalRecord,
  tenant: TenantPort,
  ports: PersistencePorts = {},
): Promise<StepResult[]> {
  const startedAt = record.execution?.startedAt ?? record.createdAt;
  const done = record.execution?.results ?? [];
  const pending = record.steps.slice(done.length);
  if (pending.length === 0) return done;
  const target = await tenant.readTarget(record.target.id);
  const out: StepResult[] = [...done];
  for (const step of pending) out.push(await judge(step, target, startedAt, tenant, record.dryRun, ports));
  return out;
}

async function judge(
  step: PlannedStep,
  target: Awaited<ReturnType<TenantPort['readTarget']>>,
  startedAt: number,
  tenant: TenantPort,
  dryRun: boolean,
  ports: PersistencePorts,
): Promise<StepResult> {
  const result = (applied: boolean, secret = false): StepResult => ({
    step,
    ok: applied && !secret,
    reasons: applied
      ? secret
        ? ['reconciled-applied', 'secret-lost']
        : ['reconciled-applied']
      : ['reconciled-not-applied'],
    requestIds: [],
  });
  if (dryRun) return { step, ok: true, reasons: ['dry-run'], requestIds: [] };
  switch (step.kind) {
    case 'revoke':
      return result(since(target.sessionsValidFrom, startedAt));
    case 'disable':
      return result(target.accountEnabled === false);
    case 'enable':
      return result(target.accountEnabled === true);
    case 'reset-password':
      return result(since(target.lastPasswordChange, startedAt), true);
    case 'tap': {
      const taps = (await tenant.listMethods(target.id)).filter((m) => m.typeSegment === 'temporaryAccessPassMethods');
      return result(
        taps.some((m) => since(m.createdDateTime, startedAt)),
        true,
      );
    }
    case 'remove-method':
      return result(!(await tenant.listMethods(target.id)).some((m) => m.id === step.methodId));
    case 'disable-rule':
    case 'enable-rule': {
      const rule = await tenant.getRule(target.id, step.ruleId ?? '');
      return result(rule !== null && rule.isEnabled === (step.kind === 'enable-rule'));
    }
    case 'enable-device': {
      const device = step.item?.kind === 'device' ? await ports.persistence?.getDevice(step.item.id) : null;
      return result(device?.accountEnabled === true);
    }
    case 'restore-grant':
    case 'restore-app-role':
    case 'restore-method':
    case 'restore-delegate': {
      const probe = step.restore ? restoreProbe(step.restore, target, ports, tenant) : null;
      return result(probe !== null && (await probe.read()) === 'present');
    }
    case 'unblock-mobile-device': {
      const port = ports.mobileDevices;
      if (step.item?.kind !== 'mobile-device' || !port) return result(false);
      return result(await mobileDeviceProbe(step.item, target.upn, port, false).gone());
    }
    case 'revoke-grant':
    case 'remove-app-role':
    case 'remove-delegate':
    case 'disable-device':
    case 'block-mobile-device':
    case 'remove-app-credential': {
      if (!step.item || step.item.kind === 'method') return result(false);
      return result(await probeFor(step.item, target, ports).gone());
    }
  }
}
