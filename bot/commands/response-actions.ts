import { approvalJustifyCard } from '../../cards/approval-justify.card';
import { approvalRequestCard } from '../../cards/approval-request.card';
import { REFUSAL_TEXT } from '../../cards/approval-text';
import type { ActionKind } from '../../services/approvals/types';
import { userRefSchema, type UserRef } from '../../services/ids';
import { sanitizeUntrusted } from '../../cards/text';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { defineCommand, type Command, type CommandContext, type Reply } from './command';
import { describeUserRef, quoteInput } from './parse-args';

/** Arguments of a response action: the target, the method/rule id where needed, and the justification. */
export interface ActionArgs {
  target: UserRef;
  id?: string;
  justification: string;
  /** The arguments before the justification, for the justification card to re-run. */
  head: string;
}

interface ActionSpec {
  name: ActionKind;
  usage: string;
  summary: string;
  needsId?: 'method' | 'rule';
}

const SPECS: readonly ActionSpec[] = [
  { name: 'revoke', usage: 'revoke <upn> <justification>', summary: 'Revoke all sign-in sessions (needs approval).' },
  {
    name: 'contain',
    usage: 'contain <upn> <justification>',
    summary: 'Compromised account: revoke, block, reset password, disable forwarding/delete rules, as one approval.',
  },
  { name: 'disable', usage: 'disable <upn> <justification>', summary: 'Block sign-in (needs approval).' },
  { name: 'enable', usage: 'enable <upn> <justification>', summary: 'Restore sign-in (needs approval).' },
  {
    name: 'reset-password',
    usage: 'reset-password <upn> <justification>',
    summary: 'Temporary password, change at next sign-in; shown once to the requester (needs approval).',
  },
  {
    name: 'remove-method',
    usage: 'remove-method <upn> <methodId> <justification>',
    summary: 'Delete an authentication method by the id the mfa card shows (needs approval).',
    needsId: 'method',
  },
  {
    name: 'tap',
    usage: 'tap <upn> <justification>',
    summary: 'Temporary Access Pass so the user can re-register; shown once to the requester (needs approval).',
  },
  {
    name: 'disable-rule',
    usage: 'disable-rule <upn> <ruleId> <justification>',
    summary: 'Disable an inbox rule by the id the forwarding card shows (needs approval).',
    needsId: 'rule',
  },
  {
    name: 'enable-rule',
    usage: 'enable-rule <upn> <ruleId> <justification>',
    summary: 'Re-enable an inbox rule disabled earlier (needs approval).',
    needsId: 'rule',
  },
];

const ID = /^[A-Za-z0-9=+/_\-.:]{1,200}$/;

/** Parses `<upn> [<id>] <justification…>`; an empty justification is allowed here and asked for by a card. */
export function parseActionArgs(args: string, spec: Pick<ActionSpec, 'usage' | 'needsId'>): ActionArgsResult {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return { ok: false, message: `Which user? Usage: ${spec.usage}` };
  const target = userRefSchema.safeParse(first);
  if (!target.success) return { ok: false, message: `${quoteInput(first)} is not a user. Usage: ${spec.usage}` };
  let rest = words.slice(1);
  let id: string | undefined;
  if (spec.needsId) {
    id = rest[0];
    if (id === undefined || !ID.test(id))
      return { ok: false, message: `Which ${spec.needsId}? Give its id as shown on the card. Usage: ${spec.usage}` };
    rest = rest.slice(1);
  }
  const justification = sanitizeUntrusted(rest.join(' '), 1000).trim();
  const head = [first, ...(id ? [id] : [])].join(' ');
  return { ok: true, value: { target: target.data, ...(id ? { id } : {}), justification, head } };
}

type ActionArgsResult = { ok: true; value: ActionArgs } | { ok: false; message: string };

const NO_CONVERSATION =
  'No approvals conversation is set, so nothing was requested. An operator must say "approvals here" in the channel or group chat where approvers should decide (mention the bot there).';

async function requestAction(
  deps: ApprovalRouteDeps,
  spec: ActionSpec,
  ctx: CommandContext,
  args: ActionArgs,
): Promise<Reply> {
  if (ctx.conversation.conversationType === 'personal')
    await deps.store.rememberPersonalChat(ctx.caller.aadObjectId, ctx.conversation);
  if (args.justification === '') return { kind: 'card', card: approvalJustifyCard(spec.name, args.head) };
  const designated = await deps.store.conversation();
  if (!designated) return { kind: 'text', text: NO_CONVERSATION };
  const plan = await deps.service.prepare({
    action: spec.name,
    target: describeUserRef(args.target),
    ...(spec.needsId === 'method' ? { methodId: args.id } : {}),
    ...(spec.needsId === 'rule' ? { ruleId: args.id } : {}),
  });
  if (plan.kind === 'refused')
    return {
      kind: 'text',
      text: `Refused, nothing was requested. ${plan.refusals.map((r) => REFUSAL_TEXT[r]).join(' ')}`,
    };
  if (plan.kind === 'method-not-found')
    return { kind: 'text', text: 'That authentication method id is not on this user (run "mfa <upn>" for the ids).' };
  if (plan.kind === 'rule-not-found')
    return { kind: 'text', text: 'That inbox rule id is not on this user (run "forwarding <upn>" for the ids).' };
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

/** The response-action commands; each creates an approval request, none changes the tenant itself. */
export function createResponseActionCommands(deps: ApprovalRouteDeps): Command[] {
  return SPECS.map((spec) =>
    defineCommand<ActionArgs>({
      name: spec.name,
      usage: spec.usage,
      summary: spec.summary,
      access: 'operator',
      parse: (args) => parseActionArgs(args, spec),
      auditTarget: (args) => describeUserRef(args.target),
      run: (ctx, args) => requestAction(deps, spec, ctx, args),
    }),
  );
}
