import type { ApprovalRecord, DecisionKind, Person } from './types';

/** What a click on Approve/Reject amounts to, before anything is written. */
export type DecisionOutcome =
  | { kind: 'write'; next: ApprovalRecord }
  | { kind: 'not-found' }
  | { kind: 'stale' }
  | { kind: 'self-decision' }
  | { kind: 'already-decided'; record: ApprovalRecord }
  | { kind: 'expired'; next: ApprovalRecord | null };

/**
 * Pure decision rule. `hash` comes from the clicked card; the decider comes from the authenticated activity
 * (never card data). An expired pending request becomes `expired` (a write), never approved.
 */
export function decide(
  record: ApprovalRecord | undefined,
  input: { decision: DecisionKind; hash: string; by: Person; now: number },
): DecisionOutcome {
  if (!record) return { kind: 'not-found' };
  if (record.hash !== input.hash) return { kind: 'stale' };
  if (record.state === 'expired') return { kind: 'expired', next: null };
  if (record.state !== 'pending') return { kind: 'already-decided', record };
  if (input.now >= record.expiresAt) return { kind: 'expired', next: { ...record, state: 'expired' } };
  if (input.by.aadObjectId.toLowerCase() === record.requester.aadObjectId.toLowerCase())
    return { kind: 'self-decision' };
  const approved = input.decision === 'approve';
  return {
    kind: 'write',
    next: {
      ...record,
      state: approved ? 'approved' : 'rejected',
      decision: { kind: approved ? 'approved' : 'rejected', by: input.by, at: input.now },
    },
  };
}
