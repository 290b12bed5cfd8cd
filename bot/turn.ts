import { randomBytes } from 'node:crypto';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AuditLog } from '../services/audit/audit-log';
import type { MembershipResolver } from '../services/authz/membership';
import type { Clock } from '../services/clock';
import type { WaitNotice } from '../services/graph/waiting-notice';
import type { Logger } from '../services/log';
import type { ConversationRef, Messenger } from '../services/messaging/port';
import type { PersonalChats } from '../services/messaging/personal-chats';
import { sanitizeUntrusted } from '../cards/text';
import { ANSWER_DEADLINE_MS, createTurnAnswer, type TurnAnswer } from './answer';
import type { Routes } from './app';
import type { BackgroundTasks } from './background';
import type { Reply, VerbResult } from './commands/command';
import { translateError } from './errors';
import { guardActivity } from './middleware/activity-guard';
import type { EdgeGuards } from './middleware/edge-guards';
import type { Claim, StoredAnswer } from './middleware/inbound-dedupe';
import { parseInboundActivity, type IdShape, type InboundActivity } from './middleware/inbound-activity';
import { parseCommandText } from './parse-command';
import { conversationRefOf } from './proactive/conversation-ref';
import { createRunner } from './run';
import { getCorrelationId } from './server';

/** Everything a turn needs; built once in bot/main.ts. */
export interface TurnDeps {
  allowedTenantId: string;
  /** Tenant mode: callers' Entra ids must be GUIDs; demo mode also takes the Playground's GUID-like ids. */
  idShape: IdShape;
  routes: Routes;
  membership: MembershipResolver;
  audit: AuditLog;
  guards: EdgeGuards;
  /** Delivers answers that were not ready while Teams waited. */
  messenger: Messenger;
  background: BackgroundTasks;
  clock: Clock;
  logger: Logger;
  /** Where Graph work waits now (the "working on it" message says so); none when not wired. */
  waitStatus?: () => WaitNotice | null;
  deadlineMs?: number;
  /** Remembers each user's last personal message to the bot (so it can write to them later: "was this you?"). */
  personalChats?: Pick<PersonalChats, 'remember'>;
}

const INVOKE_CARD = 'application/vnd.microsoft.card.adaptive';
const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';
const INVOKE_ERROR = 'application/vnd.microsoft.error';
const STILL_WORKING: StoredAnswer = {
  status: 200,
  body: { statusCode: 200, type: INVOKE_MESSAGE, value: 'Still working on your first click: the answer follows.' },
};

export function newCorrelationId(): string {
  return randomBytes(6).toString('hex');
}

async function send(context: TurnContext, reply: Reply): Promise<{ activityId: string }> {
  const response =
    reply.kind === 'text'
      ? await context.sendActivity({ type: ActivityTypes.Message, text: reply.text, textFormat: 'plain' })
      : await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)));
  return { activityId: response?.id ?? '' };
}

function invokeAnswer(type: string, value: unknown): StoredAnswer {
  return { status: 200, body: { statusCode: 200, type, value } };
}

/** A refusal as an invoke answer: its own status, and a message Teams shows beside the button. */
function invokeRefusal(status: number, code: string, message: string): StoredAnswer {
  return { status, body: { statusCode: status, type: INVOKE_ERROR, value: { code, message } } };
}

async function answerInvoke(context: TurnContext, answer: StoredAnswer): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: answer });
}

/** Builds the function CloudAdapter calls for every authenticated activity. */
export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const { drops, dedupe } = deps.guards;
  const deadlineMs = deps.deadlineMs ?? ANSWER_DEADLINE_MS;
  const runner = createRunner(deps);

  /** Runs a card action or a command and answers in Teams' time; the invoke's answer, if this is an invoke. */
  async function dispatch(
    context: TurnContext,
    activity: InboundActivity,
    conversation: ConversationRef,
    answer: TurnAnswer,
    log: Logger,
    correlationId: string,
  ): Promise<StoredAnswer | null> {
    const turn = { activity, conversation, answer, log, correlationId };
    if (activity.type === 'invoke') {
      if (activity.name !== 'adaptiveCard/action') {
        log.info({ name: sanitizeUntrusted(activity.name ?? '', 64) }, 'invoke of a kind the bot does not handle');
        return invokeRefusal(404, 'NotSupported', 'This bot does not handle that kind of request.');
      }
      const settled = await answer.settle(runner.verb(turn));
      if (settled.late) return invokeAnswer(INVOKE_MESSAGE, settled.text);
      const { card, reply } = settled.result;
      if (card) {
        if (reply) await send(context, reply);
        return invokeAnswer(INVOKE_CARD, card);
      }
      // A refusal or notice answers the invoke itself (Teams shows it beside the button), nothing is posted.
      if (reply?.kind === 'card') await send(context, reply);
      return invokeAnswer(INVOKE_MESSAGE, reply?.kind === 'text' ? reply.text : 'Done: the answer is posted below.');
    }
    if (activity.type === 'message') {
      if (activity.value !== undefined && activity.value !== null && !activity.text) {
        const settled = await answer.settle(runner.verb(turn));
        if (settled.late) return null;
        await deliverSubmit(context, activity, settled.result);
        return null;
      }
      const parsed = parseCommandText(activity.text);
      if (!parsed) return null;
      const settled = await answer.settle(runner.command(turn, parsed.name, parsed.args, 'text').then(asResult));
      if (!settled.late && settled.result.reply) await send(context, settled.result.reply);
      return null;
    }
    if (activity.type === 'installationUpdate' || activity.type === 'conversationUpdate') {
      const botId = activity.recipient?.id;
      const added =
        activity.action === 'add' || (activity.membersAdded ?? []).some((m) => m.id === botId) ? true : null;
      const removed =
        activity.action === 'remove' || (activity.membersRemoved ?? []).some((m) => m.id === botId) ? false : null;
      const event = {
        conversation,
        activityType: activity.type,
        botPresent: removed ?? added,
        logger: log,
      };
      for (const route of deps.routes.events) await route.handle(event);
      return null;
    }
    log.debug('activity ignored');
    return null;
  }

  /** Action.Submit (the fallback of Action.Execute): the card is replaced in place, a message is posted. */
  async function deliverSubmit(context: TurnContext, activity: InboundActivity, result: VerbResult): Promise<void> {
    if (result.card && activity.replyToId) {
      await context.updateActivity({
        ...MessageFactory.attachment(CardFactory.adaptiveCard(result.card)),
        id: activity.replyToId,
      });
    } else if (result.card) {
      await send(context, { kind: 'card', card: result.card });
    }
    if (result.reply) await send(context, result.reply);
  }

  return async (context) => {
    const startedAt = deps.clock.now();
    // The server's per-request ref, so the reply, the logs and any 500 body quote the same reference.
    const correlationId = getCorrelationId(context) ?? newCorrelationId();
    const log = deps.logger.child({ correlationId, activityType: String(context.activity.type).slice(0, 64) });
    const isInvoke = context.activity.type === 'invoke';
    const parsed = parseInboundActivity(context.activity, deps.idShape);
    if (!parsed.ok) {
      drops.record('invalid_activity', parsed.problem, correlationId);
      log.warn({ problem: parsed.problem }, 'activity refused: invalid');
      if (isInvoke) await answerInvoke(context, invokeRefusal(400, 'BadRequest', 'The bot cannot read this request.'));
      return;
    }
    const activity = parsed.activity;
    const guard = guardActivity(activity, deps.allowedTenantId);
    if (!guard.ok) {
      const sample = `channel=${activity.channelId} tenant=${activity.channelData?.tenant?.id ?? 'none'} conversationTenant=${activity.conversation.tenantId ?? 'none'}`;
      drops.record(guard.reason, sample, correlationId);
      log.warn({ reason: guard.reason, sample: sanitizeUntrusted(sample, 160) }, 'activity dropped');
      if (isInvoke)
        await answerInvoke(context, invokeRefusal(403, 'Forbidden', 'This bot serves only its own tenant.'));
      return;
    }
    const conversation = conversationRefOf(context.activity);
    const sender = activity.from.aadObjectId;
    if (deps.personalChats && sender && activity.type === 'message' && conversation.conversationType === 'personal') {
      // Anyone in the tenant, operator or not: the bot may need to ask them about their own account later.
      await deps.personalChats
        .remember(sender, conversation)
        .catch((error: unknown) => log.warn({ err: error }, 'the personal chat reference was not stored'));
    }
    const answer = createTurnAnswer(
      { ...deps, deadlineMs, waitStatus: deps.waitStatus ?? (() => null) },
      {
        kind: isInvoke ? 'invoke' : 'message',
        conversation,
        cardActivityId: activity.replyToId ?? null,
        sendInTurn: (reply) => send(context, reply),
        startedAt,
        translate: (error) => translateError(error, correlationId, log),
        log,
      },
    );
    let invoke: StoredAnswer | null = null;
    let claim: Claim | null = null;
    try {
      // A copy Teams re-delivered (it did not see the first answer in time) must not run anything twice; when the
      // claim cannot be made (storage down) nothing runs either.
      claim = activity.id ? await dedupe.claim(activity.conversation.id, activity.id) : null;
      if (claim?.kind === 'duplicate') {
        log.info('re-delivered activity: answered from the first copy, nothing run again');
        if (isInvoke) await answerInvoke(context, (await claim.answer(deadlineMs)) ?? STILL_WORKING);
        return;
      }
      invoke = await dispatch(context, activity, conversation, answer, log, correlationId);
      if (isInvoke && invoke) await answerInvoke(context, invoke);
    } catch (error) {
      const text = translateError(error, correlationId, log);
      if (isInvoke) {
        invoke = invokeAnswer(INVOKE_MESSAGE, text);
        await answerInvoke(context, invoke);
      } else await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
    } finally {
      answer.close();
      if (claim?.kind === 'first') await claim.complete(invoke);
    }
  };
}

function asResult(reply: Reply): VerbResult {
  return { reply };
}
