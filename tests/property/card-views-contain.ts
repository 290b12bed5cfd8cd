import { stepForItem } from '../../services/approvals/plan';
import type { ApprovalRecord, StepResult } from '../../services/approvals/types';
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
  ];
}
