import type { MessageRule } from '../graph/schemas/message-rule';
import type { TenantPort } from './ports';
import type { ActionKind, PlannedStep, TargetRefusal, TargetView, TargetWarning } from './types';

/** What a request names: the action, the target, and the method or rule id where the action needs one. */
export interface PlanInput {
  action: ActionKind;
  target: string;
  methodId?: string;
  ruleId?: string;
}

export type PlanResult =
  | { kind: 'ready'; target: TargetView; steps: PlannedStep[]; warnings: TargetWarning[] }
  | { kind: 'refused'; target: TargetView; refusals: TargetRefusal[] }
  | { kind: 'method-not-found'; target: TargetView }
  | { kind: 'rule-not-found'; target: TargetView };

/** Forward, redirect or delete: what `contain` disables (graph-api.md §6). */
export function isContainableRule(rule: MessageRule): boolean {
  const a = rule.actions;
  return (
    a.forwardTo.length > 0 ||
    a.forwardAsAttachmentTo.length > 0 ||
    a.redirectTo.length > 0 ||
    a.delete ||
    a.permanentDelete
  );
}

/** Turns a request into the exact steps the approver sees and the hash binds. */
export async function planSteps(tenant: TenantPort, target: TargetView, input: PlanInput): Promise<PlanResult> {
  const ready = (steps: PlannedStep[]): PlanResult => ({ kind: 'ready', target, steps, warnings: [] });
  switch (input.action) {
    case 'revoke':
    case 'disable':
    case 'enable':
    case 'reset-password':
    case 'tap':
      return ready([{ kind: input.action }]);
    case 'remove-method': {
      const method = (await tenant.listMethods(target.id)).find((m) => m.id === input.methodId);
      if (!method || method.typeSegment === null) return { kind: 'method-not-found', target };
      return ready([{ kind: 'remove-method', methodId: method.id, methodType: method.typeSegment }]);
    }
    case 'disable-rule':
    case 'enable-rule': {
      const rule = input.ruleId ? await tenant.getRule(target.id, input.ruleId) : null;
      if (!rule) return { kind: 'rule-not-found', target };
      return ready([{ kind: input.action, ruleId: rule.id, ruleName: rule.displayName ?? '' }]);
    }
    case 'contain': {
      const rules = (await tenant.listRules(target.id)).filter((r) => r.isEnabled && isContainableRule(r));
      const steps: PlannedStep[] = [{ kind: 'revoke' }, { kind: 'disable' }, { kind: 'reset-password' }];
      for (const rule of rules) steps.push({ kind: 'disable-rule', ruleId: rule.id, ruleName: rule.displayName ?? '' });
      return ready(steps);
    }
  }
}
