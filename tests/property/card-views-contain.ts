import { stepForItem } from '../../services/approvals/plan';
import type { ApprovalRecord, PersistenceBefore, PlannedStep, StepResult } from '../../services/approvals/types';
import type { PersistenceItem } from '../../services/identity/persistence';
import { NOW } from '../unit/services/identity/mfa-fixtures';
import { approval } from './card-views-ops';

/** Every kind of persistence item with a hostile string in each field that comes from the tenant. */
export function persistenceItems(h: () => string): PersistenceItem[] {
  return [
    { kind: 'grant', id: h(), app: h(), clientId: h(), scopes: [h(), h()] },
    { kind: 'app-role-assignment', id: h(), app: h(), resourceId: h() },
    { kind: 'delegate', delegate: h(), right: 'FullAccess' },
    { kind: 'device', id: h(), name: h() },
    { kind: 'method', id: h(), methodType: h(), label: h() },
    { kind: 'app-credential', appObjectId: h(), keyId: h(), credential: 'key', app: h() },
    { kind: 'mobile-device', deviceId: h(), name: h() },
  ];
}

/** A `contain` with every persistence step: pending, and done with mixed results. */
export function containApprovals(h: () => string): ApprovalRecord[] {
  const steps = persistenceItems(h).map(stepForItem);
  const results: StepResult[] = steps.map((step, i) => ({
    step,
    ok: i % 2 === 0,
    reasons: i % 2 === 0 ? ['applied', 'verified'] : ['item-changed'],
    requestIds: [h()],
    ...(i === 1 ? { errorCode: h() } : {}),
  }));
  return [
    approval(h, { steps, warnings: ['persistence-not-checked'] }),
    approval(h, {
      steps,
      state: 'failed',
      decision: { kind: 'approved', by: { aadObjectId: h(), name: h() }, at: NOW },
      execution: { startedAt: NOW, results },
    }),
    approval(h, {
      steps,
      state: 'done',
      decision: { kind: 'approved', by: { aadObjectId: h(), name: h() }, at: NOW },
      execution: {
        startedAt: NOW,
        results: steps.map((step) => ({ step, ok: true, reasons: ['applied', 'verified'], requestIds: [h()] })),
      },
    }),
    // Done with the before-states kept: every Undo line (and "cannot be undone") with hostile ids in the commands.
    approval(h, {
      steps,
      state: 'done',
      decision: { kind: 'approved', by: { aadObjectId: h(), name: h() }, at: NOW },
      execution: { startedAt: NOW, results: steps.map((step) => doneWithBefore(h, step)) },
    }),
    // The undo actions: what comes back is shown from the kept before-state (hostile phone, scope, ids).
    approval(h, {
      action: 'restore-method',
      steps: [
        { kind: 'restore-grant', item: persistenceItems(h)[0], undoOf: h(), restore: grantBefore(h) },
        {
          kind: 'restore-method',
          methodId: h(),
          methodType: h(),
          undoOf: h(),
          restore: { kind: 'method', odataType: h(), createdDateTime: null, phoneNumber: h(), phoneType: h() },
        },
        {
          kind: 'restore-method',
          methodId: h(),
          undoOf: h(),
          restore: { kind: 'method', odataType: h(), createdDateTime: null, emailAddress: h() },
        },
      ],
    }),
  ];
}

function grantBefore(h: () => string): PersistenceBefore {
  return { kind: 'grant', clientId: h(), consentType: h(), principalId: h(), resourceId: h(), scope: h() };
}

/** A finished step with the before-state its kind keeps (phone methods and grants are restorable). */
function doneWithBefore(h: () => string, step: PlannedStep): StepResult {
  const before: PersistenceBefore | null =
    step.item?.kind === 'grant'
      ? grantBefore(h)
      : step.item?.kind === 'app-role-assignment'
        ? { kind: 'app-role-assignment', principalId: h(), resourceId: h(), appRoleId: h() }
        : step.item?.kind === 'method'
          ? {
              kind: 'method',
              odataType: '#microsoft.graph.phoneAuthenticationMethod',
              createdDateTime: null,
              phoneNumber: h(),
              phoneType: h(),
            }
          : null;
  return {
    step,
    ok: true,
    reasons: ['applied', 'verified'],
    requestIds: [h()],
    ...(before ? { before: { item: before } } : {}),
  };
}
