import { APPROVAL_LIST_VERB, approvalListCard, approvalListPageSchema } from '../../cards/approval-list.card';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { defineVerb, type VerbRoute } from '../app';
import { defineCommand, type Command } from './command';

/** `approvals` lists open requests; `approvals here` makes this channel or group chat the approvals conversation. */
export function createApprovalsCommand(deps: ApprovalRouteDeps): Command {
  return defineCommand<'list' | 'here'>({
    name: 'approvals',
    usage: 'approvals [here]',
    summary: 'List open approval requests; "approvals here" makes this channel or group chat receive approval cards.',
    access: 'operator',
    parse: (args) => {
      const word = args.trim().toLowerCase();
      if (word === '') return { ok: true, value: 'list' };
      if (word === 'here') return { ok: true, value: 'here' };
      return { ok: false, message: 'Usage: approvals [here]' };
    },
    auditTarget: () => null,
    async run(ctx, mode) {
      if (mode === 'list') return { kind: 'card', card: approvalListCard(await deps.service.pending(), ctx.now) };
      const type = ctx.conversation.conversationType;
      if (type !== 'channel' && type !== 'groupChat')
        return {
          kind: 'text',
          text: 'Approvals need a second person, so they go to a channel or group chat: say "approvals here" there, mentioning the bot.',
        };
      await deps.store.designate({
        conversation: ctx.conversation,
        by: { aadObjectId: ctx.caller.aadObjectId, name: ctx.caller.name },
        at: ctx.now,
      });
      await deps.audit.append({
        actor: ctx.caller,
        action: 'approvals.designate',
        target: null,
        outcome: 'designated',
        correlationId: ctx.correlationId,
        details: { conversationType: type },
      });
      return {
        kind: 'text',
        text: 'Approval cards now come to this conversation. Only members of the approvers group can decide them, and never the person who asked.',
      };
    },
  });
}

/** Previous / Next on the approvals list: the requested page in place of the clicked card. */
export function createApprovalListPageVerb(deps: Pick<ApprovalRouteDeps, 'service'>): VerbRoute {
  return defineVerb({
    verb: APPROVAL_LIST_VERB,
    access: 'operator',
    data: approvalListPageSchema,
    async handle(ctx, data) {
      return { card: approvalListCard(await deps.service.pending(), ctx.now, data.page) };
    },
  });
}
