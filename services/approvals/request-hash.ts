import { canonicalJson } from '../canonical-json';
import { createHash } from 'node:crypto';
import type { ActionKind, PlannedStep, Person } from './types';

/** What a decision is bound to: changing any part makes a card's hash stale. */
export interface HashInput {
  id: string;
  action: ActionKind;
  targetId: string;
  steps: readonly PlannedStep[];
  requester: Pick<Person, 'aadObjectId'>;
  expiresAt: number;
}

/** sha256 (hex) of the canonical JSON of the request's binding fields. */
export function requestHash(input: HashInput): string {
  const binding = {
    v: 1,
    id: input.id,
    action: input.action,
    targetId: input.targetId.toLowerCase(),
    // `item` (persistence steps) is bound whole: every field of the grant, device, delegate… the approver saw.
    steps: input.steps.map((s) => ({
      kind: s.kind,
      methodId: s.methodId,
      methodType: s.methodType,
      ruleId: s.ruleId,
      item: s.item,
    })),
    requester: input.requester.aadObjectId.toLowerCase(),
    expiresAt: input.expiresAt,
  };
  return createHash('sha256').update(canonicalJson(binding)).digest('hex');
}
