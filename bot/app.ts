import { z } from 'zod';
import type { CommandHelp } from '../cards/help.card';
import type { UserRef } from '../services/ids';
import type { Logger } from '../services/log';
import type { ConversationRef } from '../services/messaging/port';
import type { Access, Command, VerbContext, VerbResult } from './commands/command';
import { createHelpCommand } from './commands/help';
import { createUserCommand, type UserProfileReader } from './commands/user';
import { createSignInsCommand, type SignInsReader } from './commands/signins';
import { createSsprCommand, type SsprReader } from './commands/sspr';
import { createSsprCheckCommand } from './commands/sspr-check';
import { createMsaCommand } from './commands/msa';
import type { ConsumerAccountLookup } from '../services/identity/consumer-account-lookup';
import { createMfaCommand } from './commands/mfa';
import { createInvestigateCommand } from './commands/investigate';
import type { Investigator } from '../services/identity/investigation';
import type { MfaChecker } from '../services/identity/mfa-check';
import { approvalCatalogDeps, type ApprovalRouteDeps } from './actions/approval-deps';
import { createApprovalVerbs } from './actions/approval-verbs';
import { createApprovalListPageVerb, createApprovalsCommand } from './commands/approvals';
import { createAuditCommand } from './commands/audit';
import { createResponseActionCommands } from './commands/response-actions';
import { alertsCatalogDeps, alertVerbs, type AlertRouteDeps } from './actions/alerts';
import { createAlertsCommand } from './commands/alerts';
import { createForwardingCommand, type ForwardingChecker } from './commands/forwarding';
import { createSweepCommand } from './commands/sweep';
import { createSweepCancelVerb } from './actions/sweep';
import type { Sweeper } from '../services/mailbox/sweeper';

/** What the routes need from the rest of the bot. */
export interface RouteDeps {
  mode: 'demo' | 'tenant';
  profiles: UserProfileReader;
  /** Identity look-ups of issue 4 (signins, sspr, sspr-check, msa); a route table built without them omits those commands. */
  signIns?: SignInsReader;
  sspr?: SsprReader;
  consumerAccounts?: Pick<ConsumerAccountLookup, 'check'>;
  /** `mfa <upn>`: MFA usability per method (issue 4). */
  mfa?: MfaChecker;
  /** `investigate <upn>`: the compromised-account view (issue 4). */
  investigation?: Investigator;
  /** Response actions behind approval cards (issue 5): revoke … contain, approvals, audit, and the card verbs. */
  approvals?: ApprovalRouteDeps;
  /** Proactive alerts (issue 7): `alerts on|off|status`, the alert card verbs, install/uninstall events. */
  alerts?: AlertRouteDeps;
  /** Mail forwarding (issue 6): `forwarding <upn>`. */
  forwarding?: ForwardingChecker;
  /** Tenant-wide forwarding sweep (issue 6): `sweep forwarding [group]` and the cancel verb. */
  sweeper?: Pick<Sweeper, 'start' | 'cancel'>;
}

/**
 * A card verb. `command` verbs re-run a chat command (with that command's access check); `handler` verbs have
 * their own access level, parse their data with zod, and return the replacement card and/or a message.
 */
export type VerbRoute =
  | { verb: string; kind: 'command'; data: z.ZodType<{ command: string; args: string }> }
  | {
      verb: string;
      kind: 'handler';
      access: Access;
      data: z.ZodType<unknown>;
      handle(ctx: VerbContext, data: unknown): Promise<VerbResult>;
    };

/** Declares a handler verb with typed data. */
export function defineVerb<D>(route: {
  verb: string;
  access: Access;
  data: z.ZodType<D>;
  handle(ctx: VerbContext, data: D): Promise<VerbResult>;
}): VerbRoute {
  return { kind: 'handler', ...route, handle: (ctx, data) => route.handle(ctx, data as D) };
}

/** A non-message activity about the bot's membership in a conversation (install, uninstall, added, removed). */
export interface ConversationEvent {
  conversation: ConversationRef;
  /** 'installationUpdate' or 'conversationUpdate'. */
  activityType: string;
  /** True when this activity says the bot was added/installed; false when removed/uninstalled; null otherwise. */
  botPresent: boolean | null;
  logger: Logger;
}

/** A handler for conversation events (e.g. keeping stored conversation references current). */
export interface EventRoute {
  name: string;
  handle(event: ConversationEvent): Promise<void>;
}

/** The routing table: every chat command, card verb and conversation-event handler, in one place. */
export interface Routes {
  commands: readonly Command[];
  verbs: readonly VerbRoute[];
  events: readonly EventRoute[];
}

export function createRoutes(deps: RouteDeps): Routes {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands.map(({ name, usage, summary }) => ({ name, usage, summary })), deps.mode),
    createUserCommand(deps.profiles),
  );
  if (deps.signIns) commands.push(createSignInsCommand(deps.signIns));
  if (deps.sspr) commands.push(createSsprCommand(deps.sspr), createSsprCheckCommand(deps.sspr));
  if (deps.consumerAccounts) commands.push(createMsaCommand(deps.consumerAccounts));
  if (deps.mfa) commands.push(createMfaCommand(deps.mfa));
  if (deps.investigation) commands.push(createInvestigateCommand(deps.investigation));
  if (deps.forwarding) commands.push(createForwardingCommand(deps.forwarding));
  if (deps.sweeper) commands.push(createSweepCommand(deps.sweeper));
  const verbs: VerbRoute[] = [
    {
      verb: 'command.run',
      kind: 'command',
      data: z.object({ command: z.string().max(64), args: z.string().max(1024).default('') }),
    },
  ];
  if (deps.approvals) {
    commands.push(
      ...createResponseActionCommands(deps.approvals),
      createApprovalsCommand(deps.approvals),
      createAuditCommand(deps.approvals),
    );
    verbs.push(...createApprovalVerbs(deps.approvals), createApprovalListPageVerb(deps.approvals));
  }
  if (deps.sweeper) verbs.push(createSweepCancelVerb(deps.sweeper));
  const events: EventRoute[] = [];
  if (deps.alerts) {
    const alerts = deps.alerts;
    commands.push(createAlertsCommand({ alerts: alerts.service, mode: deps.mode, emitter: alerts.emitter }));
    verbs.push(...alertVerbs(alerts.service));
    events.push({
      name: 'alert-subscriptions',
      handle: (event) => alerts.service.onConversationEvent(event.conversation, event.botPresent),
    });
  }
  return { commands, verbs, events };
}

const catalogDeps: RouteDeps = {
  mode: 'tenant',
  profiles: { readUserProfile: (_ref: UserRef) => Promise.reject(new Error('catalog only')) },
  signIns: { readSignIns: () => Promise.reject(new Error('catalog only')) },
  sspr: { readSspr: () => Promise.reject(new Error('catalog only')) },
  consumerAccounts: { check: () => Promise.reject(new Error('catalog only')) },
  mfa: { checkMfaUsability: () => Promise.reject(new Error('catalog only')) },
  investigation: { investigate: () => Promise.reject(new Error('catalog only')) },
  approvals: approvalCatalogDeps,
  alerts: alertsCatalogDeps(),
  forwarding: { checkForwarding: () => Promise.reject(new Error('catalog only')) },
  sweeper: {
    start: () => Promise.reject(new Error('catalog only')),
    cancel: () => Promise.reject(new Error('catalog only')),
  },
};

/** Every command's name, usage and summary (for the manifest's commandLists and the docs). */
export function commandCatalog(): CommandHelp[] {
  return createRoutes(catalogDeps).commands.map(({ name, usage, summary }) => ({ name, usage, summary }));
}
