import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationRef } from '../../services/messaging/port';

/** The storable reference of the conversation an activity came from. */
export function conversationRefOf(activity: Partial<Activity>): ConversationRef {
  const reference = TurnContext.getConversationReference(activity);
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    teamsChannelId?: string;
    channel?: { id?: string };
  };
  const type = activity.conversation?.conversationType;
  return {
    conversationId: activity.conversation?.id ?? '',
    conversationType: type === 'personal' || type === 'groupChat' || type === 'channel' ? type : 'unknown',
    tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId ?? '',
    serviceUrl: activity.serviceUrl ?? '',
    ...(channelData.teamsChannelId || channelData.channel?.id
      ? { channelId: channelData.teamsChannelId ?? channelData.channel?.id }
      : {}),
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
  };
}

/** Back to botbuilder's shape, for continueConversationAsync. */
export function toConversationReference(ref: ConversationRef): Partial<ConversationReference> {
  return ref.reference;
}

/**
 * The reference of a 1:1 chat known only by its id (the chat of the app installed for a user through Graph): the
 * service URL and the bot's account come from another conversation of the bot in the same tenant.
 */
export function personalChatRef(via: ConversationRef, chatId: string, userAadObjectId: string): ConversationRef {
  const { activityId: _activityId, ...base } = via.reference as Record<string, unknown> & { activityId?: unknown };
  return {
    conversationId: chatId,
    conversationType: 'personal',
    tenantId: via.tenantId,
    serviceUrl: via.serviceUrl,
    reference: {
      ...base,
      conversation: { id: chatId, conversationType: 'personal', tenantId: via.tenantId, isGroup: false },
      user: { id: userAadObjectId, aadObjectId: userAadObjectId },
    },
  };
}
