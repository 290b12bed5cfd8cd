import type { Logger } from '../services/log';
import type { ConversationRef } from '../services/messaging/port';
import type { AnyCommand, VerbSpec } from './commands/define';
import type { Services } from './commands/services';
import { COMMAND_TABLE } from './commands/table';
import { VERB_TABLE } from './commands/verbs';

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

/** What a turn routes to: the command and verb tables (bot/commands/table.ts), their services, event handlers. */
export interface Routes {
  commands: readonly AnyCommand[];
  verbs: readonly VerbSpec[];
  services: Services;
  events: readonly EventRoute[];
}

/** The static tables bound to this process's services. */
export function createRoutes(services: Services): Routes {
  const alerts = services.alerts;
  const events: EventRoute[] = alerts
    ? [
        {
          name: 'alert-subscriptions',
          handle: (event) => alerts.service.onConversationEvent(event.conversation, event.botPresent),
        },
      ]
    : [];
  return { commands: COMMAND_TABLE, verbs: VERB_TABLE, services, events };
}
