import { approvalRequestCard } from '../../cards/approval-request.card';
import { APPROVAL_VERBS, decisionDataSchema, justifyDataSchema, type DecisionData } from '../../cards/approval-verbs';
import type { DecideResult } from '../../services/approvals/approval-service';
import type { DecisionKind } from '../../services/approvals/types';
import { defineVerb, type VerbRoute } from '../app';
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

async function view(deps: ApprovalRouteDeps, ctx: VerbContext, data: DecisionData): Promise<VerbResult> {
  const record = await deps.service.get(data.requestId);
  if (!record || record.hash !== data.hash)
    return { reply: { kind: 'text', text: 'There is no such approval request.' } };
  return { card: approvalRequestCard(record, ctx.now) };
}

function decisionVerb(deps: ApprovalRouteDeps, verb: string, decision: DecisionKind): VerbRoute {
  return defineVerb({
    verb,
    access: 'approver',
    data: decisionDataSchema,
    async handle(ctx, data) {
      // Refresh invokes reach every viewer automatically: they must only show state, never decide.
      if (ctx.trigger === 'automatic') return view(deps, ctx, data);
      const result = await deps.service.decide({
        id: data.requestId,
        hash: data.hash,
        decision,
        by: { aadObjectId: ctx.caller.aadObjectId, name: ctx.caller.name },
        correlationId: ctx.correlationId,
      });
      return answer(result, ctx.now);
    },
  });
}

/** Approve, Reject, Refresh (read-only), and the justification card's submit (re-runs the command). */
export function createApprovalVerbs(deps: ApprovalRouteDeps): VerbRoute[] {
  return [
    decisionVerb(deps, APPROVAL_VERBS.approve, 'approve'),
    decisionVerb(deps, APPROVAL_VERBS.reject, 'reject'),
    defineVerb({
      verb: APPROVAL_VERBS.refresh,
      access: 'member',
      data: decisionDataSchema,
      handle: (ctx, data) => view(deps, ctx, data),
    }),
    {
      verb: APPROVAL_VERBS.justify,
      kind: 'command',
      data: justifyDataSchema.transform((d) => ({
        command: d.command,
        args: `${d.args} ${d.justification.replace(/\s+/g, ' ')}`.trim(),
      })),
    },
  ];
}
