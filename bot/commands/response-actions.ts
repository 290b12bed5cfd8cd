import { approvalJustifyCard } from '../../cards/approval-justify.card';
import { approvalRequestCard } from '../../cards/approval-request.card';
import { REFUSAL_TEXT } from '../../cards/approval-text';
import type { PlanResult } from '../../services/approvals/plan';
import type { ActionKind } from '../../services/approvals/types';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { actionArgs, describeUserRef, type ActionArgs, type ActionIdKind } from './args';
import type { CommandContext, Reply } from './command';
import { command, EVERYWHERE } from './define';

const NO_CONVERSATION =
  'No approvals conversation is set, so nothing was requested. An operator must say "approvals here" in the channel or group chat where approvers should decide (mention the bot there).';

const ITEM_NOT_FOUND = {
  grant:
    'That grant or app role assignment id is not one of this user\'s (run "investigate <upn>" for the apps with access and their ids).',
  device: 'That device is not registered or owned by this user (run "investigate <upn>" for the device ids).',
  delegate: 'That account holds no permission on this user\'s mailbox (run "investigate <upn>" for the delegates).',
  'mobile-device':
    'That device id is not a mobile-device partnership of this user\'s mailbox (run "investigate <upn>" for the mobile devices and their ids).',
} as const;

/** Why a request was not made, in words (nothing was requested in any of these cases). */
function notPlanned(plan: Exclude<PlanResult, { kind: 'ready' }>): string {
  switch (plan.kind) {
    case 'refused':
      return `Refused, nothing was requested. ${plan.refusals.map((r) => REFUSAL_TEXT[r]).join(' ')}`;
    case 'method-not-found':
      return 'That authentication method id is not on this user (run "mfa <upn>" for the ids).';
    case 'rule-not-found':
      return 'That inbox rule id is not on this user (run "forwarding <upn>" for the ids).';
    case 'item-not-found':
      return ITEM_NOT_FOUND[plan.what];
    case 'items-stale':
      return plan.keys.length === 0
        ? 'Nothing was picked, so nothing was requested: tick the items to contain on the investigate card.'
        : `Nothing was requested: ${plan.keys.length} picked item(s) are no longer flagged by the investigation (already removed, or changed since the card was made). Run "investigate <upn>" again and pick from the new card.`;
    case 'undo-not-found':
      return 'That request did not remove this item of this user, or Graph cannot put it back: copy the Undo line of the finished approval card (request id, then item id); nothing was requested.';
    case 'exchange-not-enabled':
      return 'Mailbox delegates and mobile devices are changed through the Exchange admin API, which is not enabled here (EXCHANGE_ADMIN_ENABLED); nothing was requested.';
  }
}

/**
 * A response action: creates an approval request and posts its card to the approvals conversation; nothing here
 * changes the tenant. Without a justification, a card asks for one and no request exists yet.
 */
export async function requestAction(
  ctx: CommandContext,
  spec: { name: ActionKind; needsId?: ActionIdKind },
  args: ActionArgs,
  deps: ApprovalRouteDeps,
  /** `contain` of the items picked on the investigate card (their persistence keys); the justification card is the caller's. */
  items?: readonly string[],
): Promise<Reply> {
  if (ctx.conversation.conversationType === 'personal')
    await deps.store.rememberPersonalChat(ctx.caller.aadObjectId, ctx.conversation);
  if (args.justification === '') return { kind: 'card', card: approvalJustifyCard(spec.name, args.head) };
  const designated = await deps.store.conversation();
  if (!designated) return { kind: 'text', text: NO_CONVERSATION };
  const needsId = spec.needsId;
  const plan = await deps.service.prepare({
    action: spec.name,
    target: describeUserRef(args.target),
    ...(needsId === 'method' ? { methodId: args.id } : {}),
    ...(needsId === 'rule' ? { ruleId: args.id } : {}),
    ...(needsId === 'grant' || needsId === 'device' || needsId === 'delegate' || needsId === 'mobile-device'
      ? { itemId: args.id }
      : {}),
    ...(needsId === 'undo' ? { itemId: args.id, ...(args.from ? { fromRequest: args.from } : {}) } : {}),
    ...(items ? { items } : {}),
  });
  if (plan.kind !== 'ready') return { kind: 'text', text: notPlanned(plan) };
  const record = await deps.service.create({
    plan,
    action: spec.name,
    justification: args.justification,
    requester: { aadObjectId: ctx.caller.aadObjectId, name: ctx.caller.name },
    origin: ctx.conversation,
    correlationId: ctx.correlationId,
  });
  const card = approvalRequestCard(record, ctx.now);
  const here = designated.conversation.conversationId === ctx.conversation.conversationId;
  const sent = here
    ? await ctx.notify({ kind: 'card', card })
    : await deps.messenger.send(designated.conversation, { card });
  await deps.service.attachCard(record.id, { conversation: designated.conversation, activityId: sent.activityId });
  const expires = new Date(record.expiresAt).toISOString().slice(11, 16);
  if (here)
    return {
      kind: 'text',
      text: `Approval requested (request ${record.id}); another approver must decide by ${expires} UTC.`,
    };
  const where = designated.conversation.conversationType === 'channel' ? 'channel' : 'group chat';
  return {
    kind: 'text',
    text: `Your request ${record.id} went to the approvals ${where}; another approver must decide by ${expires} UTC. The card there shows the outcome${spec.name === 'reset-password' || spec.name === 'tap' || spec.name === 'contain' ? ', and any temporary secret comes to you here, once' : ''}.`,
  };
}

/**
 * A response-action row of the command table: `<upn> [<id>] <justification>`, for operators, anywhere, asking for
 * approval of the action of the same name (services/approvals). It writes, so a plain-language question only proposes it.
 */
export function approvalAction<const K extends ActionKind>(spec: {
  name: K;
  usage: string;
  summary: string;
  menu?: number;
  needsId?: ActionIdKind;
  asked?: readonly string[];
}) {
  return command({
    name: spec.name,
    usage: spec.usage,
    summary: spec.summary,
    args: actionArgs(spec.needsId),
    access: 'operator',
    where: EVERYWHERE,
    ...(spec.menu !== undefined ? { menu: spec.menu } : {}),
    needs: ['approvals'],
    writes: true,
    ...(spec.asked ? { asked: spec.asked } : {}),
    target: (args) => describeUserRef(args.target),
    run: (ctx, args, { approvals }) => requestAction(ctx, spec, args, approvals),
  });
}
