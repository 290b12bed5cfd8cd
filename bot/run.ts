import type { AuditLog } from '../services/audit/audit-log';
import type { CallerRoles, MembershipResolver } from '../services/authz/membership';
import type { Clock } from '../services/clock';
import type { Logger } from '../services/log';
import type { ConversationRef } from '../services/messaging/port';
import { sanitizeUntrusted } from '../cards/text';
import type { TurnAnswer } from './answer';
import type { Routes } from './app';
import { quoteInput } from './commands/args';
import type { Access, Caller, CommandContext, Reply, VerbResult } from './commands/command';
import type { AnyCommand, Where } from './commands/define';
import { isGranted, missingServices, UNAVAILABLE, type ServiceName } from './commands/services';
import { translateError } from './errors';
import type { DropReason } from './middleware/drop-audit';
import type { EdgeGuards } from './middleware/edge-guards';
import type { InboundActivity } from './middleware/inbound-activity';
import { closestName } from './parse-command';
import { askQuestion, notUnderstood, readingAs, type AskDeps } from './phrases/ask';
import { compileGrammar } from './phrases/grammar';
import { hashForLog } from './log-values';

/** One authenticated, guarded activity on its way to a command or card verb. */
export interface Turn {
  activity: InboundActivity;
  /** The storable reference of the activity's conversation. */
  conversation: ConversationRef;
  answer: TurnAnswer;
  log: Logger;
  correlationId: string;
}

const NOT_OPERATOR =
  "You are not in the bot's operators group, so I can't run commands for you. Ask your Entra admin to add you.";
const NOT_APPROVER = 'Only members of the approvers group can do that.';

const WHERE_TEXT: Record<Where, string> = {
  personal: 'a personal chat with the bot',
  groupChat: 'a group chat',
  channel: 'a team channel',
};

function hasRole(roles: CallerRoles, access: Access): boolean {
  return access === 'member' || roles[access];
}

/** How a command reached the runner: typed, a card button, or read from a plain-language question. */
type Via = 'text' | 'card' | 'question';

function text(value: string): Reply {
  return { kind: 'text', text: value };
}

/** Reads Action.Execute / Action.Submit payloads into { verb, data, trigger }; the data is still untrusted. */
function actionOf(activity: InboundActivity): { value: unknown; trigger: 'manual' | 'automatic' } {
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

/** Runs commands and card verbs for a turn: caller checks, rate limit, audit, then the handler. */
export function createRunner(deps: {
  routes: Routes;
  membership: MembershipResolver;
  audit: AuditLog;
  guards: EdgeGuards;
  clock: Clock;
}) {
  const names = deps.routes.commands.map((c) => c.name);
  const ask: AskDeps = {
    grammar: compileGrammar(deps.routes.commands),
    commands: deps.routes.commands,
    ...(deps.routes.services.people ? { people: deps.routes.services.people } : {}),
  };
  const { drops, rate } = deps.guards;

  function refuse(turn: Turn, reason: DropReason, sample: string, reply: string): { ok: false; reply: Reply } {
    drops.record(reason, sample, turn.correlationId);
    return { ok: false, reply: text(reply) };
  }

  /** Authorises the caller for `access`; returns the context for handlers, or the refusal to send. */
  async function authorise(
    turn: Turn,
    access: Access,
    action: string,
    counted: boolean,
  ): Promise<{ ok: true; ctx: CommandContext } | { ok: false; reply: Reply }> {
    const { activity, log, correlationId } = turn;
    const aadObjectId = activity.from.aadObjectId;
    if (!aadObjectId) {
      log.warn({ action }, 'activity without an Entra caller refused');
      return refuse(turn, 'no_caller', action, NOT_OPERATOR);
    }
    const caller: Caller = { aadObjectId, name: activity.from.name ?? null };
    // Counted before the membership look-up, so a flood from one caller costs no Graph call.
    const allowed = counted ? rate.take(aadObjectId) : { ok: true as const };
    if (!allowed.ok) {
      const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
      log.warn({ action }, 'caller over the per-minute command limit');
      return refuse(
        turn,
        'rate_limited',
        `${aadObjectId} ${action}`,
        `That is more commands in a minute than the bot takes from one person. Try again in ${seconds} s.`,
      );
    }
    if (access !== 'member') {
      let roles: CallerRoles;
      try {
        roles = await deps.membership.rolesOf(aadObjectId);
      } catch (error) {
        return { ok: false, reply: text(translateError(error, correlationId, log)) };
      }
      if (!hasRole(roles, access)) {
        log.warn({ action, access }, 'caller lacks the group for this action');
        const reason = access === 'approver' ? 'not_approver' : 'not_operator';
        return refuse(turn, reason, `${aadObjectId} ${action}`, access === 'approver' ? NOT_APPROVER : NOT_OPERATOR);
      }
    }
    const ctx: CommandContext = {
      caller,
      correlationId,
      logger: log,
      now: deps.clock.now(),
      conversation: turn.conversation,
      notify: (reply) => turn.answer.notify(reply),
      onWaiting: turn.answer.onWaiting,
    };
    return { ok: true, ctx };
  }

  function unavailable(what: string, needs: readonly ServiceName[]): Reply {
    const missing = missingServices(deps.routes.services, needs).map((m) => UNAVAILABLE[m]);
    return text(`${what} is not available in this bot: ${missing.join('; ')}.`);
  }

  /** A command of the table for an authorised caller: where it runs, its services, its arguments, audit, handler. */
  async function execute(turn: Turn, ctx: CommandContext, found: AnyCommand, args: string, via: Via): Promise<Reply> {
    const here = turn.conversation.conversationType;
    // An unknown conversation type (an older client) is not refused: `where` is about usefulness, not security.
    if (here !== 'unknown' && !found.where.includes(here))
      return text(`"${found.name}" works only in ${found.where.map((w) => WHERE_TEXT[w]).join(' or ')}.`);
    const services = deps.routes.services;
    if (!isGranted(services, found.needs)) return unavailable(`"${found.name}"`, found.needs);
    const parsed = found.args.safeParse(args);
    if (!parsed.success) {
      // The input is kept out of the log beyond a short, cleaned prefix; its hash ties repeated attempts together.
      turn.log.info(
        { name: found.name, args: sanitizeUntrusted(args, 120), argsHash: hashForLog(args) },
        'command arguments rejected',
      );
      return text(`${parsed.error.issues[0]?.message ?? 'Those arguments are not valid.'} Usage: ${found.usage}`);
    }
    // Recorded before the command runs, and fail-closed: a lookup that cannot be audited does not happen.
    await deps.audit.append({
      actor: ctx.caller,
      action: `command:${found.name}`,
      target: found.target(parsed.data),
      outcome: 'allowed',
      correlationId: turn.correlationId,
      details: { via },
    });
    turn.log.info({ name: found.name }, 'command running');
    return found.run(ctx, parsed.data, services);
  }

  /**
   * Text that is not a command as typed, read as a plain-language question (bot/phrases): a read-only command runs
   * with a first line saying how it was read; a write, a choice among users or a refusal is answered as it is.
   */
  async function question(turn: Turn, ctx: CommandContext, access: Access, said: string): Promise<Reply | null> {
    const answer = await askQuestion(said, ask);
    if (!answer) return null;
    if (answer.kind === 'reply') return answer.reply;
    turn.log.info({ name: answer.command.name }, 'question read as a command');
    let runAs = ctx;
    if (answer.command.access !== access) {
      const auth = await authorise(turn, answer.command.access, `command:${answer.command.name}`, false);
      if (!auth.ok) return auth.reply;
      runAs = auth.ctx;
    }
    return readingAs(answer.line, await execute(turn, runAs, answer.command, answer.line.args, 'question'));
  }

  async function command(turn: Turn, name: string, args: string, via: 'text' | 'card'): Promise<Reply> {
    const found = deps.routes.commands.find((c) => c.name === name);
    const action = `command:${found ? found.name : 'unknown'}`;
    const access = found?.access ?? 'operator';
    const auth = await authorise(turn, access, action, true);
    if (!auth.ok) return auth.reply;
    // Typed text that is not a command with valid arguments may be a question ("is alice's mfa working?").
    if (via === 'text' && (!found || !found.args.safeParse(args).success)) {
      const said = args === '' ? name : `${name} ${args}`;
      const answered = await question(turn, auth.ctx, access, said);
      if (answered) return answered;
      if (!found) {
        const suggestion = closestName(name, names);
        // A typo of a command with arguments that fit it: say which; anything else gets the closest commands.
        if (suggestion && deps.routes.commands.find((c) => c.name === suggestion)?.args.safeParse(args).success)
          return text(`Unknown command ${quoteInput(name)}. Did you mean "${suggestion}"? Type "help" for the list.`);
        return notUnderstood(said, ask);
      }
    }
    if (!found) {
      const suggestion = closestName(name, names);
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
      return text(`Unknown command ${quoteInput(name)}.${hint} Type "help" for the list.`);
    }
    return execute(turn, auth.ctx, found, args, via);
  }

  async function verb(turn: Turn): Promise<VerbResult> {
    const { value, trigger } = actionOf(turn.activity);
    const verbName = typeof value === 'object' && value !== null && 'verb' in value ? value.verb : undefined;
    const route = deps.routes.verbs.find((v) => v.verb === verbName);
    if (!route) {
      const shown = typeof verbName === 'string' ? sanitizeUntrusted(verbName, 64) : 'none';
      turn.log.warn({ verb: shown }, 'unknown card verb');
      drops.record(
        'unknown_verb',
        `${turn.activity.from.aadObjectId ?? 'no caller'} verb=${shown}`,
        turn.correlationId,
      );
      return { reply: text('That button is not recognised by this version of the bot.') };
    }
    const data = route.data.safeParse(value);
    if (!data.success) {
      turn.log.warn({ verb: route.verb }, 'card data rejected');
      drops.record(
        'bad_card_data',
        `${turn.activity.from.aadObjectId ?? 'no caller'} verb=${route.verb}`,
        turn.correlationId,
      );
      return { reply: text('That button carried data the bot cannot read.') };
    }
    if (route.kind === 'command') {
      const { command: name, args } = data.data as { command: string; args: string };
      return { reply: await command(turn, name.toLowerCase(), args, 'card') };
    }
    const auth = await authorise(turn, route.access, `verb:${route.verb}`, trigger === 'manual');
    if (!auth.ok) return { reply: auth.reply };
    const services = deps.routes.services;
    if (!isGranted(services, route.needs)) return { reply: unavailable('That button', route.needs) };
    return route.handle({ ...auth.ctx, cardActivityId: turn.activity.replyToId ?? null, trigger }, data.data, services);
  }

  return { command, verb };
}
