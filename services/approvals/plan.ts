import type { MessageRule } from '../graph/schemas/message-rule';
import { persistenceKey, type PersistenceItem } from '../identity/persistence';
import type {
  FlaggedPersistenceSource,
  MailboxDelegatePort,
  MobileDevicePort,
  PersistencePort,
  TenantPort,
} from './ports';
import { restorableMethod } from './restore-steps';
import {
  PERSISTENCE_STEP,
  type ActionKind,
  type ApprovalRecord,
  type PlannedStep,
  type TargetRefusal,
  type TargetView,
  type TargetWarning,
} from './types';

/** What a request names: the action, the target, and the method, rule or item id where the action needs one. */
export interface PlanInput {
  action: ActionKind;
  target: string;
  methodId?: string;
  ruleId?: string;
  /**
   * `revoke-grant`: a grant or app role assignment id; `disable-device`: a device object id; `remove-delegate`: the
   * delegate; `block-mobile-device`: the Exchange DeviceId of a partnership.
   */
  itemId?: string;
  /** `contain` of picked items: the persistence keys the operator ticked on the investigate card. */
  items?: readonly string[];
  /** The undo actions (`restore-*`): the finished request whose removal of `itemId` is undone. */
  fromRequest?: string;
}

/** Where the planner finds items of persistence (each optional: a deployment may lack the Exchange side). */
export interface PlanSources {
  flagged?: FlaggedPersistenceSource;
  persistence?: PersistencePort;
  delegates?: MailboxDelegatePort;
  mobileDevices?: MobileDevicePort;
  /** Earlier requests, for the undo actions: the before-state their steps kept (the approval store). */
  history?: { get(id: string): Promise<ApprovalRecord | null> };
}

export type PlanResult =
  | { kind: 'ready'; target: TargetView; steps: PlannedStep[]; warnings: TargetWarning[] }
  | { kind: 'refused'; target: TargetView; refusals: TargetRefusal[] }
  | { kind: 'method-not-found'; target: TargetView }
  | { kind: 'rule-not-found'; target: TargetView }
  | { kind: 'item-not-found'; target: TargetView; what: 'grant' | 'device' | 'delegate' | 'mobile-device' }
  /** Picked keys the investigation no longer flags (removed meanwhile, or never flagged): nothing is requested. */
  | { kind: 'items-stale'; target: TargetView; keys: string[] }
  | { kind: 'exchange-not-enabled'; target: TargetView }
  /** The named request did not remove that item of this user, or Graph cannot put it back (see restore-steps.ts). */
  | { kind: 'undo-not-found'; target: TargetView };

/** The step that removes `item`, carrying the item so the approval hash covers it. */
export function stepForItem(item: PersistenceItem): PlannedStep {
  if (item.kind === 'method') return { kind: 'remove-method', methodId: item.id, methodType: item.methodType, item };
  return { kind: PERSISTENCE_STEP[item.kind], item };
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

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
export async function planSteps(
  tenant: TenantPort,
  target: TargetView,
  input: PlanInput,
  sources: PlanSources = {},
): Promise<PlanResult> {
  const ready = (steps: PlannedStep[], warnings: TargetWarning[] = []): PlanResult => ({
    kind: 'ready',
    target,
    steps,
    warnings,
  });
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
    case 'revoke-grant':
      return planRevokeGrant(target, input.itemId ?? '', sources);
    case 'disable-device':
    case 'enable-device': {
      const id = input.itemId ?? '';
      const devices = sources.persistence ? await sources.persistence.listUserDevices(target.id) : [];
      const device = devices.find((d) => sameText(d.id, id));
      if (!device) return { kind: 'item-not-found', target, what: 'device' };
      const item = { kind: 'device' as const, id: device.id, name: device.displayName ?? device.id };
      // enable-device is the undo of disable-device (Graph allows it; the other removals cannot be undone by the bot).
      return ready([input.action === 'enable-device' ? { kind: 'enable-device', item } : stepForItem(item)]);
    }
    case 'remove-delegate': {
      if (!sources.delegates) return { kind: 'exchange-not-enabled', target };
      const delegates = sources.delegates;
      const who = (input.itemId ?? '').toLowerCase();
      const rights = ['FullAccess', 'SendAs', 'SendOnBehalf'] as const;
      const items = rights.map((right) => ({ kind: 'delegate' as const, delegate: who, right }));
      const held = await Promise.all(items.map((item) => delegates.holds(target.upn, item)));
      const steps = items.filter((_, i) => held[i]).map(stepForItem);
      if (steps.length === 0) return { kind: 'item-not-found', target, what: 'delegate' };
      return ready(steps);
    }
    case 'restore-grant':
    case 'restore-app-role':
    case 'restore-method':
    case 'restore-delegate':
      return planRestore(target, input, sources);
    case 'block-mobile-device':
    case 'unblock-mobile-device': {
      if (!sources.mobileDevices) return { kind: 'exchange-not-enabled', target };
      const id = input.itemId ?? '';
      const partnership = (await sources.mobileDevices.partnerships(target.upn)).find((d) => sameText(d.deviceId, id));
      // The undo also works for a partnership Exchange no longer lists, as long as its id is blocked on this mailbox.
      const blocked =
        input.action === 'unblock-mobile-device'
          ? (await sources.mobileDevices.blockedIds(target.upn)).find((b) => sameText(b, id))
          : undefined;
      const deviceId = partnership?.deviceId ?? blocked;
      if (deviceId === undefined) return { kind: 'item-not-found', target, what: 'mobile-device' };
      const item = { kind: 'mobile-device' as const, deviceId, name: partnership?.name ?? deviceId };
      return ready([
        input.action === 'unblock-mobile-device' ? { kind: 'unblock-mobile-device', item } : stepForItem(item),
      ]);
    }
    case 'contain': {
      const rules = (await tenant.listRules(target.id)).filter((r) => r.isEnabled && isContainableRule(r));
      const steps: PlannedStep[] = [{ kind: 'revoke' }, { kind: 'disable' }, { kind: 'reset-password' }];
      for (const rule of rules) steps.push({ kind: 'disable-rule', ruleId: rule.id, ruleName: rule.displayName ?? '' });
      const picked = await containItems(target, input.items, sources.flagged);
      if (picked.kind === 'stale') return { kind: 'items-stale', target, keys: picked.keys };
      steps.push(...picked.items.map(stepForItem));
      return ready(steps, picked.kind === 'not-checked' ? ['persistence-not-checked'] : []);
    }
  }
}

type Picked =
  { kind: 'ok'; items: PersistenceItem[] } | { kind: 'not-checked'; items: [] } | { kind: 'stale'; keys: string[] };

/**
 * The items `contain` removes: every item the investigation flags now, or, when the operator picked some on the
 * investigate card, exactly those (each must still be flagged: a key the fresh read does not flag is refused).
 */
async function containItems(
  target: TargetView,
  keys: readonly string[] | undefined,
  source: FlaggedPersistenceSource | undefined,
): Promise<Picked> {
  if (keys === undefined) {
    if (!source) return { kind: 'ok', items: [] };
    try {
      return { kind: 'ok', items: await source.flagged(target) };
    } catch {
      // The rest of the containment still runs; the card says the persistence was not checked.
      return { kind: 'not-checked', items: [] };
    }
  }
  const flagged = source ? await source.flagged(target) : [];
  const byKey = new Map(flagged.map((item) => [persistenceKey(item), item]));
  const unique = [...new Set(keys)];
  const stale = unique.filter((k) => !byKey.has(k));
  if (stale.length > 0 || unique.length === 0) return { kind: 'stale', keys: stale };
  return { kind: 'ok', items: unique.map((k) => byKey.get(k) as PersistenceItem) };
}

/** `revoke-grant <upn> <id>`: the user's delegated grant of that id, else the user's app role assignment of that id. */
async function planRevokeGrant(target: TargetView, id: string, sources: PlanSources): Promise<PlanResult> {
  const notFound: PlanResult = { kind: 'item-not-found', target, what: 'grant' };
  const graph = sources.persistence;
  if (!graph || id === '') return notFound;
  // The investigation's item carries the app's name; a grant it does not flag is named by its client id.
  const flagged = sources.flagged ? await sources.flagged.flagged(target).catch(() => []) : [];
  const known = flagged.find((i) => (i.kind === 'grant' || i.kind === 'app-role-assignment') && sameText(i.id, id));
  const grant = await graph.getGrant(id);
  if (grant && grant.principalId !== null && sameText(grant.principalId, target.id)) {
    const item: PersistenceItem =
      known?.kind === 'grant'
        ? known
        : { kind: 'grant', id: grant.id, app: grant.clientId, clientId: grant.clientId, scopes: scopesOf(grant.scope) };
    return { kind: 'ready', target, steps: [stepForItem(item)], warnings: [] };
  }
  const assignment = (await graph.listAppRoleAssignments(target.id)).find((a) => sameText(a.id, id));
  if (!assignment) return notFound;
  const item: PersistenceItem =
    known?.kind === 'app-role-assignment'
      ? known
      : {
          kind: 'app-role-assignment',
          id: assignment.id,
          app: assignment.resourceDisplayName ?? assignment.resourceId,
          resourceId: assignment.resourceId,
        };
  return { kind: 'ready', target, steps: [stepForItem(item)], warnings: [] };
}

/** A grant's `scope` is space-separated. */
export function scopesOf(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

/** Which step of a finished request an undo action reverses, by the removed item's kind. */
const UNDOES = {
  'restore-grant': (step: PlannedStep) => step.kind === 'revoke-grant' && step.item?.kind === 'grant',
  'restore-app-role': (step: PlannedStep) => step.item?.kind === 'app-role-assignment',
  'restore-method': (step: PlannedStep) => step.kind === 'remove-method',
  'restore-delegate': (step: PlannedStep) => step.kind === 'remove-delegate' && step.item?.kind === 'delegate',
} as const;

/** The id a removing step names its item by (the grant, assignment or method id the finished card shows). */
function removedId(step: PlannedStep): string {
  if (step.kind === 'remove-method') return step.methodId ?? '';
  if (step.item?.kind === 'delegate') return step.item.delegate;
  return step.item && 'id' in step.item ? step.item.id : '';
}

/**
 * `restore-grant|restore-app-role|restore-method|restore-delegate <upn> <requestId> <id>`: the undo of the removals
 * of that item by that finished request (a delegate may have lost several rights), re-created from the before-state
 * its steps read (never from anything the operator typed).
 */
async function planRestore(target: TargetView, input: PlanInput, sources: PlanSources): Promise<PlanResult> {
  const notFound: PlanResult = { kind: 'undo-not-found', target };
  const action = input.action as keyof typeof UNDOES;
  const record = input.fromRequest && sources.history ? await sources.history.get(input.fromRequest) : null;
  if (!record || record.dryRun || !sameText(record.target.id, target.id)) return notFound;
  const id = input.itemId ?? '';
  const removed = (record.execution?.results ?? []).filter(
    (r) =>
      r.ok &&
      r.reasons.includes('applied') &&
      UNDOES[action](r.step) &&
      sameText(removedId(r.step), id) &&
      r.before?.item !== undefined &&
      (action !== 'restore-method' || restorableMethod(r.before.item) !== null),
  );
  if (removed.length === 0) return notFound;
  if (action === 'restore-delegate' && !sources.delegates) return { kind: 'exchange-not-enabled', target };
  const steps = removed.flatMap((r): PlannedStep[] => {
    const restore = r.before?.item;
    if (!restore) return [];
    return [
      {
        kind: action,
        restore,
        undoOf: record.id,
        ...(r.step.item ? { item: r.step.item } : {}),
        ...(r.step.methodId !== undefined ? { methodId: r.step.methodId } : {}),
        ...(r.step.methodType !== undefined ? { methodType: r.step.methodType } : {}),
      },
    ];
  });
  return { kind: 'ready', target, steps, warnings: [] };
}
