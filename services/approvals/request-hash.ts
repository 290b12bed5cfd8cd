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

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of the request's binding fields. */
export function requestHash(input: HashInput): string {
  const binding = {
    v: 1,
    id: input.id,
    action: input.action,
    targetId: input.targetId.toLowerCase(),
    steps: input.steps.map((s) => ({ kind: s.kind, methodId: s.methodId, methodType: s.methodType, ruleId: s.ruleId })),
    requester: input.requester.aadObjectId.toLowerCase(),
    expiresAt: input.expiresAt,
  };
  return createHash('sha256').update(canonical(binding)).digest('hex');
}
