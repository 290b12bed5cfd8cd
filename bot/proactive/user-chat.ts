import type { ConversationRef } from '../../services/messaging/port';
import type { PersonalChats } from '../../services/messaging/personal-chats';
import type { UserChatLocator } from '../../services/confirm/ports';
import { installedAppChat } from '../../services/confirm/teams-app';
import { isCodedError } from '../../services/errors';
import type { GraphClient } from '../../services/graph/client';
import type { Logger } from '../../services/log';
import { personalChatRef } from './conversation-ref';

/**
 * Finds a user's 1:1 chat with the bot: the reference of their last personal message to the bot; else, when
 * TEAMS_APP_CATALOG_ID is set, the chat of the app installed for them through Graph (the Bot Connector address and the
 * bot's identity are taken from a conversation the bot already has in the tenant). A missing permission or setting is
 * a reason (the alert escalates saying it); other failures are thrown and retried.
 */
export function createUserChatLocator(deps: {
  chats: PersonalChats;
  graph: GraphClient;
  /** The app's id in the org catalog (not the bot id, not the manifest id); undefined: never install. */
  catalogAppId?: string;
  /** A conversation of the bot in this tenant (an alert channel), for the service URL and the bot's account. */
  template: () => Promise<ConversationRef | null>;
  logger: Logger;
}): UserChatLocator {
  return {
    async open(user) {
      const remembered = await deps.chats.get(user.id);
      if (remembered) return { ok: true, conversation: remembered, via: 'remembered' };
      if (!deps.catalogAppId)
        return {
          ok: false,
          reason: 'they have not written to the bot, and installing the app for them needs TEAMS_APP_CATALOG_ID',
        };
      const via = await deps.template();
      if (!via) return { ok: false, reason: 'the bot has no conversation in the tenant to reach Teams through' };
      let chatId: string;
      try {
        ({ chatId } = await installedAppChat(deps.graph, user.id, deps.catalogAppId));
      } catch (error) {
        if (isCodedError(error) && error.code === 'graph_forbidden')
          return {
            ok: false,
            reason: 'installing the app for the user needs TeamsAppInstallation.ReadWriteSelfForUser.All',
          };
        throw error;
      }
      const conversation = personalChatRef(via, chatId, user.id);
      await deps.chats.remember(user.id, conversation);
      deps.logger.info({ user: user.id }, 'the app was installed for a user to ask them "was this you?"');
      return { ok: true, conversation, via: 'installed' };
    },
  };
}
