import { approvalRequestCard } from '../../cards/approval-request.card';
import { justifyDataSchema, type DecisionData } from '../../cards/approval-verbs';
import type { DecideResult } from '../../services/approvals/approval-service';
import type { DecisionKind } from '../../services/approvals/types';
import type { VerbContext, VerbResult } from '../commands/command';
import type { ApprovalRouteDeps } from './approval-deps';

function answer(result: DecideResult, now: number): VerbResult {
  switch (result.kind) {
    case 'decided':
    case 'expired':
      return { card: approvalRequestCard(result.record, now) };
    case 'already-decided':
      // The card itself names who decided; the clicker gets the current state instead of a second decision.
      return { card: approvalRequestCard(result.record, now) };
    case 'self-decision':
      return {
        reply: { kind: 'text', text: 'You made this request, so you cannot decide it: another approver must.' },
      };
    case 'stale':
      return {
        reply: {
          kind: 'text',
          text: 'This card does not match the stored request (altered or out of date); nothing was done.',
        },
      };
    case 'not-found':
      return { reply: { kind: 'text', text: 'There is no such approval request.' } };
  }
}

/** Refresh: the request as stored now (read-only; any tenant member may see the card's state). */
export async function viewRequest(ctx: VerbContext, data: DecisionData, deps: ApprovalRouteDeps): Promise<VerbResult> {
  const record = await deps.service.get(data.requestId);
  if (!record || record.hash !== data.hash)
    return { reply: { kind: 'text', text: 'There is no such approval request.' } };
  return { card: approvalRequestCard(record, ctx.now) };
}

/** Approve or Reject: one versioned decision, bound to the card's hash. */
export function decide(decision: DecisionKind) {
  return async (ctx: VerbContext, data: DecisionData, deps: ApprovalRouteDeps): Promise<VerbResult> => {
    // Refresh invokes reach every viewer automatically: they must only show state, never decide.
    if (ctx.trigger === 'automatic') return viewRequest(ctx, data, deps);
    const result = await deps.service.decide({
      id: data.requestId,
      hash: data.hash,
      decision,
      by: { aadObjectId: ctx.caller.aadObjectId, name: ctx.caller.name },
      correlationId: ctx.correlationId,
    });
    return answer(result, ctx.now);
  };
}

/** The justification card's submit: the command again, with the typed justification appended. */
export const justifiedCommandSchema = justifyDataSchema.transform((d) => ({
  command: d.command,
  args: `${d.args} ${d.justification.replace(/\s+/g, ' ')}`.trim(),
}));
