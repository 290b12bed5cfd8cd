import { approvalListCard } from '../../cards/approval-list.card';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { cardReply, textReply, type CommandContext, type Reply, type VerbResult } from './command';

/** `approvals` lists open requests; `approvals here` makes this channel or group chat the approvals conversation. */
export async function runApprovals(
  ctx: CommandContext,
  mode: 'list' | 'here',
  deps: ApprovalRouteDeps,
): Promise<Reply> {
  if (mode === 'list') return cardReply(approvalListCard(await deps.service.pending(), ctx.now));
  const type = ctx.conversation.conversationType;
  if (type !== 'channel' && type !== 'groupChat')
    return textReply(
      'Approvals need a second person, so they go to a channel or group chat: say "approvals here" there, mentioning the bot.',
    );
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
  return textReply(
    'Approval cards now come to this conversation. Only members of the approvers group can decide them, and never the person who asked.',
  );
}

/** Previous / Next on the approvals list: the requested page in place of the clicked card. */
export async function showApprovalPage(
  ctx: CommandContext,
  page: number,
  deps: ApprovalRouteDeps,
): Promise<VerbResult> {
  return { card: approvalListCard(await deps.service.pending(), ctx.now, page) };
}
