/**
 * Where a message can be sent later (proactively): the JSON of a Bot Framework conversation reference, plus the
 * fields services need to reason about it. Stored as-is; bot/proactive re-checks tenant and serviceUrl before use.
 */
export interface ConversationRef {
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel' | 'unknown';
  tenantId: string;
  serviceUrl: string;
  /** The channel id for channel conversations (thread ids look like `19:…;messageid=…`). */
  channelId?: string;
  /** The full botbuilder ConversationReference, kept opaque outside bot/. */
  reference: Record<string, unknown>;
}

/** A message to post or to put in place of an earlier one. Text is always sent as plain text. */
// Cards are built by cards/ (which services may not import), so here a card is any JSON object.
export type OutgoingMessage = { card: object; text?: undefined } | { text: string; card?: undefined };

/** Proactive messaging, implemented in bot/proactive. Errors are CodedErrors with codes teams_*. */
export interface Messenger {
  send(to: ConversationRef, message: OutgoingMessage): Promise<{ activityId: string }>;
  update(to: ConversationRef, activityId: string, message: OutgoingMessage): Promise<void>;
  /** Starts (or finds) the personal chat of a user with the bot, in the tenant of `via`. */
  personalChat(via: ConversationRef, user: { aadObjectId: string }): Promise<ConversationRef>;
}
