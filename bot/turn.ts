import { randomBytes } from 'node:crypto';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AuditLog } from '../services/audit/audit-log';
import type { CallerRoles, MembershipResolver } from '../services/authz/membership';
import type { Clock } from '../services/clock';
import type { Logger } from '../services/log';
import { sanitizeUntrusted } from '../cards/text';
import type { Routes } from './app';
import type { Access, Caller, CommandContext, Reply, VerbResult } from './commands/command';
import { quoteInput } from './commands/parse-args';
import { translateError } from './errors';
import { guardActivity } from './middleware/activity-guard';
import { closestName, parseCommandText } from './parse-command';
import { conversationRefOf } from './proactive/conversation-ref';
import { getCorrelationId } from './server';

/** Everything a turn needs; built once in bot/main.ts. */
export interface TurnDeps {
  allowedTenantId: string;
  routes: Routes;
  membership: MembershipResolver;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
}

const NOT_OPERATOR =
  "You are not in the bot's operators group, so I can't run commands for you. Ask your Entra admin to add you.";
const NOT_APPROVER = 'Only members of the approvers group can do that.';
const INVOKE_CARD = 'application/vnd.microsoft.card.adaptive';
const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';

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

async function answerInvoke(context: TurnContext, body: { type: string; value: unknown }): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, ...body } },
  });
}

function hasRole(roles: CallerRoles, access: Access): boolean {
  return access === 'member' || roles[access];
}

/** Reads Action.Execute / Action.Submit payloads into { verb, data, trigger }; the data is still untrusted. */
function actionOf(context: TurnContext): { value: unknown; trigger: 'manual' | 'automatic' } {
  const activity = context.activity;
  if (activity.type === 'invoke') {
    const raw = (activity.value ?? {}) as { action?: { verb?: unknown; data?: unknown }; trigger?: unknown };
    const data = typeof raw.action?.data === 'object' && raw.action.data !== null ? raw.action.data : {};
    return {
      value: { ...data, verb: raw.action?.verb },
      trigger: raw.trigger === 'automatic' ? 'automatic' : 'manual',
    };
  }
  return { value: activity.value, trigger: 'manual' };
}

/** Builds the function CloudAdapter calls for every authenticated activity. */
export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const names = deps.routes.commands.map((c) => c.name);

  /** Authorises the caller for `access`; returns the context for handlers, or the refusal to send. */
  async function authorise(
    context: TurnContext,
    log: Logger,
    correlationId: string,
    access: Access,
    action: string,
    via: string,
  ): Promise<{ ok: true; ctx: CommandContext } | { ok: false; reply: Reply }> {
    const aadObjectId = context.activity.from?.aadObjectId;
    if (!aadObjectId) {
      log.warn({ action }, 'activity without an Entra caller refused');
      return { ok: false, reply: { kind: 'text', text: NOT_OPERATOR } };
    }
    const caller: Caller = { aadObjectId, name: context.activity.from?.name ?? null };
    if (access !== 'member') {
      let roles: CallerRoles;
      try {
        roles = await deps.membership.rolesOf(aadObjectId);
      } catch (error) {
        return { ok: false, reply: { kind: 'text', text: translateError(error, correlationId, log) } };
      }
      if (!hasRole(roles, access)) {
        await deps.audit.append({ actor: caller, action, outcome: 'denied', correlationId, details: { via } });
        log.warn({ action, access }, 'caller lacks the group for this action');
        return { ok: false, reply: { kind: 'text', text: access === 'approver' ? NOT_APPROVER : NOT_OPERATOR } };
      }
    }
    const ctx: CommandContext = {
      caller,
      correlationId,
      logger: log,
      now: deps.clock.now(),
      conversation: conversationRefOf(context.activity),
      notify: (reply) => send(context, reply),
    };
    return { ok: true, ctx };
  }

  async function runCommand(
    context: TurnContext,
    log: Logger,
    correlationId: string,
    name: string,
    args: string,
    via: 'text' | 'card',
  ): Promise<Reply> {
    const command = deps.routes.commands.find((c) => c.name === name);
    const action = `command:${command ? command.name : 'unknown'}`;
    const auth = await authorise(context, log, correlationId, command?.access ?? 'operator', action, via);
    if (!auth.ok) return auth.reply;
    if (!command) {
      const suggestion = closestName(name, names);
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
      return { kind: 'text', text: `Unknown command ${quoteInput(name)}.${hint} Type "help" for the list.` };
    }
    const parsed = command.parse(args);
    if (!parsed.ok) {
      log.info({ name, args: sanitizeUntrusted(args, 120) }, 'command arguments rejected');
      return { kind: 'text', text: parsed.message };
    }
    // Recorded before the command runs, and fail-closed: a lookup that cannot be audited does not happen.
    await deps.audit.append({
      actor: auth.ctx.caller,
      action,
      target: command.auditTarget(parsed.value),
      outcome: 'allowed',
      correlationId,
      details: { via },
    });
    log.info({ name }, 'command running');
    return command.run(auth.ctx, parsed.value);
  }

  async function runVerb(context: TurnContext, log: Logger, correlationId: string): Promise<VerbResult> {
    const { value, trigger } = actionOf(context);
    const verbName = typeof value === 'object' && value !== null && 'verb' in value ? value.verb : undefined;
    const route = deps.routes.verbs.find((v) => v.verb === verbName);
    if (!route) {
      log.warn({ verb: typeof verbName === 'string' ? sanitizeUntrusted(verbName, 64) : null }, 'unknown card verb');
      return { reply: { kind: 'text', text: 'That button is not recognised by this version of the bot.' } };
    }
    const data = route.data.safeParse(value);
    if (!data.success) {
      log.warn({ verb: route.verb }, 'card data rejected');
      return { reply: { kind: 'text', text: 'That button carried data the bot cannot read.' } };
    }
    if (route.kind === 'command') {
      const { command, args } = data.data as { command: string; args: string };
      return { reply: await runCommand(context, log, correlationId, command.toLowerCase(), args, 'card') };
    }
    const auth = await authorise(context, log, correlationId, route.access, `verb:${route.verb}`, 'card');
    if (!auth.ok) return { reply: auth.reply };
    return route.handle({ ...auth.ctx, cardActivityId: context.activity.replyToId ?? null, trigger }, data.data);
  }

  return async (context) => {
    const activity = context.activity;
    // The server's per-request ref, so the reply, the logs and any 500 body quote the same reference.
    const correlationId = getCorrelationId(context) ?? newCorrelationId();
    const log = deps.logger.child({ correlationId, activityType: activity.type });
    const guard = guardActivity(activity, deps.allowedTenantId);
    if (!guard.ok) {
      log.warn(
        { reason: guard.reason, channelId: sanitizeUntrusted(String(activity.channelId ?? ''), 32) },
        'activity dropped',
      );
      return;
    }
    const isInvoke = activity.type === 'invoke' && activity.name === 'adaptiveCard/action';
    try {
      if (isInvoke) {
        const result = await runVerb(context, log, correlationId);
        if (result.card) {
          if (result.reply) await send(context, result.reply);
          await answerInvoke(context, { type: INVOKE_CARD, value: result.card });
        } else {
          // A refusal or notice answers the invoke itself (Teams shows it beside the button), nothing is posted.
          const text = result.reply?.kind === 'text' ? result.reply.text : 'Done: the answer is posted below.';
          if (result.reply?.kind === 'card') await send(context, result.reply);
          await answerInvoke(context, { type: INVOKE_MESSAGE, value: text });
        }
        return;
      }
      if (activity.type === 'message') {
        if (activity.value !== undefined && activity.value !== null && !activity.text) {
          const result = await runVerb(context, log, correlationId);
          if (result.card && activity.replyToId) {
            await context.updateActivity({
              ...MessageFactory.attachment(CardFactory.adaptiveCard(result.card)),
              id: activity.replyToId,
            });
          } else if (result.card) {
            await send(context, { kind: 'card', card: result.card });
          }
          if (result.reply) await send(context, result.reply);
          return;
        }
        const parsed = parseCommandText(activity.text);
        if (!parsed) return;
        await send(context, await runCommand(context, log, correlationId, parsed.name, parsed.args, 'text'));
        return;
      }
      if (activity.type === 'installationUpdate' || activity.type === 'conversationUpdate') {
        const botId = activity.recipient?.id;
        const added =
          activity.action === 'add' || (activity.membersAdded ?? []).some((m) => m.id === botId) ? true : null;
        const removed =
          activity.action === 'remove' || (activity.membersRemoved ?? []).some((m) => m.id === botId) ? false : null;
        const event = {
          conversation: conversationRefOf(activity),
          activityType: activity.type,
          botPresent: removed ?? added,
          logger: log,
        };
        for (const route of deps.routes.events) await route.handle(event);
        return;
      }
      log.debug('activity ignored');
    } catch (error) {
      const text = translateError(error, correlationId, log);
      if (isInvoke) await answerInvoke(context, { type: INVOKE_MESSAGE, value: text });
      else await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
    }
  };
}
