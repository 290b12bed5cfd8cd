import type { AlertRecord } from '../alerts/types';
import type { ConversationRef, OutgoingMessage } from '../messaging/port';
import type { Confirmation } from './types';

/** Who pressed a button: from the authenticated activity. */
export interface Caller {
  aadObjectId: string;
  name: string | null;
}

/** How the user's 1:1 chat with the bot was found, or why it was not. */
export type UserChatOutcome =
  { ok: true; conversation: ConversationRef; via: 'remembered' | 'installed' } | { ok: false; reason: string };

/**
 * The user's personal chat with the bot (bot/proactive/user-chat.ts): the reference of their last message to the
 * bot, else the chat of the app installed for them through Graph.
 */
export interface UserChatLocator {
  open(user: Confirmation['user']): Promise<UserChatOutcome>;
}

/** Cards, injected from the bot (services cannot import cards/). */
export interface ConfirmRenderer {
  /** The question, with Yes / No (and Not now while unused); once final, the answer without buttons. */
  question(c: Confirmation): OutgoingMessage;
  /** The channel alert card as it now stands. */
  alert(record: AlertRecord): OutgoingMessage;
}
