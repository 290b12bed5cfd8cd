import { randomBytes } from 'node:crypto';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AuditLog } from '../services/audit/audit-log';
import type { MembershipResolver } from '../services/authz/membership';
import type { Clock } from '../services/clock';
import type { Logger } from '../services/log';
import { sanitizeUntrusted } from '../services/text';
import type { Routes } from './app';
import type { Caller, Reply } from './commands/command';
import { quoteInput } from './commands/parse-args';
import { translateError } from './errors';
import { guardActivity } from './middleware/activity-guard';
import { closestName, parseCommandText } from './parse-command';

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

export function newCorrelationId(): string {
  return randomBytes(6).toString('hex');
}

async function send(context: TurnContext, reply: Reply): Promise<void> {
  if (reply.kind === 'text') {
    await context.sendActivity({ type: ActivityTypes.Message, text: reply.text, textFormat: 'plain' });
  } else {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)));
  }
}

/** Builds the function CloudAdapter calls for every authenticated activity. */
export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const names = deps.routes.commands.map((c) => c.name);

  async function runCommand(
    context: TurnContext,
    log: Logger,
    correlationId: string,
    name: string,
    args: string,
    via: 'text' | 'card',
  ): Promise<Reply> {
    const aadObjectId = context.activity.from?.aadObjectId;
    const caller: Caller | null = aadObjectId ? { aadObjectId, name: context.activity.from?.name ?? null } : null;
    const command = deps.routes.commands.find((c) => c.name === name);
    const action = `command:${command ? command.name : 'unknown'}`;
    if (!caller) {
      log.warn({ name }, 'command without an Entra caller refused');
      return { kind: 'text', text: NOT_OPERATOR };
    }
    let roles;
    try {
      roles = await deps.membership.rolesOf(caller.aadObjectId);
    } catch (error) {
      return { kind: 'text', text: translateError(error, correlationId, log) };
    }
    const access = command?.access ?? 'operator';
    if (!roles[access]) {
      await deps.audit.append({ actor: caller, action, outcome: 'denied', correlationId, details: { via } });
      log.warn({ name, access }, 'caller lacks the group for this command');
      return { kind: 'text', text: access === 'approver' ? NOT_APPROVER : NOT_OPERATOR };
    }
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
      actor: caller,
      action,
      target: command.auditTarget(parsed.value),
      outcome: 'allowed',
      correlationId,
      details: { via },
    });
    log.info({ name }, 'command running');
    return command.run({ caller, correlationId, logger: log, now: deps.clock.now() }, parsed.value);
  }

  async function runVerb(context: TurnContext, log: Logger, correlationId: string, value: unknown): Promise<Reply> {
    const verbName = typeof value === 'object' && value !== null && 'verb' in value ? value.verb : undefined;
    const route = deps.routes.verbs.find((v) => v.verb === verbName);
    if (!route) {
      log.warn({ verb: typeof verbName === 'string' ? sanitizeUntrusted(verbName, 64) : null }, 'unknown card verb');
      return { kind: 'text', text: 'That button is not recognised by this version of the bot.' };
    }
    const data = route.data.safeParse(value);
    if (!data.success) return { kind: 'text', text: 'That button carried data the bot cannot read.' };
    return runCommand(context, log, correlationId, data.data.command.toLowerCase(), data.data.args, 'card');
  }

  return async (context) => {
    const activity = context.activity;
    const correlationId = newCorrelationId();
    const log = deps.logger.child({ correlationId, activityType: activity.type });
    const guard = guardActivity(activity, deps.allowedTenantId);
    if (!guard.ok) {
      log.warn(
        { reason: guard.reason, channelId: sanitizeUntrusted(String(activity.channelId ?? ''), 32) },
        'activity dropped',
      );
      return;
    }
    try {
      if (activity.type === 'message') {
        if (activity.value !== undefined && activity.value !== null && !activity.text) {
          await send(context, await runVerb(context, log, correlationId, activity.value));
          return;
        }
        const parsed = parseCommandText(activity.text);
        if (!parsed) return;
        await send(context, await runCommand(context, log, correlationId, parsed.name, parsed.args, 'text'));
        return;
      }
      if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
        const action: unknown = (activity.value as { action?: unknown } | undefined)?.action;
        const data =
          typeof action === 'object' && action !== null
            ? { ...(action as { data?: object }).data, verb: (action as { verb?: unknown }).verb }
            : {};
        const reply = await runVerb(context, log, correlationId, data);
        await send(context, reply);
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 200,
            body: {
              statusCode: 200,
              type: 'application/vnd.microsoft.activity.message',
              value: 'Done: the answer is posted below.',
            },
          },
        });
        return;
      }
      log.debug('activity ignored');
    } catch (error) {
      const text = translateError(error, correlationId, log);
      await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
      if (activity.type === 'invoke') {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 200,
            body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
          },
        });
      }
    }
  };
}
