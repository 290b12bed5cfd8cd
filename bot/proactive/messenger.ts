import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type TurnContext,
} from 'botbuilder';
import { CodedError } from '../../services/errors';
import type { Logger } from '../../services/log';
import type { ConversationRef, Messenger, OutgoingMessage } from '../../services/messaging/port';
import { conversationRefOf, toConversationReference } from './conversation-ref';

/** What the messenger needs from the bot's edge. */
export interface MessengerOptions {
  adapter: Pick<CloudAdapter, 'continueConversationAsync' | 'createConversationAsync'>;
  appId: string;
  allowedTenantId: string;
  allowedServiceUrlHosts: readonly string[];
  logger: Logger;
}

function activityOf(message: OutgoingMessage): Partial<Activity> {
  return message.card
    ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card))
    : { type: ActivityTypes.Message, text: message.text, textFormat: 'plain' };
}

/** Maps a Bot Connector failure to the retry matrix of the Teams docs: retry 412/429/502/503/504 only. */
export function connectorError(error: unknown): CodedError {
  const e = error as {
    statusCode?: number;
    code?: string;
    response?: { headers?: { get?(n: string): string | undefined } };
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  const details = {
    status,
    ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
    teamsCode: e.code ?? null,
  };
  if (status === 429) return new CodedError('teams_throttled', 'Teams throttled the bot', details, { cause: error });
  if ([412, 502, 503, 504].includes(status))
    return new CodedError('teams_retryable', `Teams answered ${status}`, details, { cause: error });
  if (status === 403 || status === 404)
    return new CodedError('teams_gone', `Teams answered ${status}: the bot cannot post in this conversation`, details, {
      cause: error,
    });
  return new CodedError('teams_failed', `Teams answered ${status || 'with a network error'}`, details, {
    cause: error,
  });
}

/**
 * Proactive sends and card updates. The SDK would post the bot's token to whatever serviceUrl a stored reference
 * holds (isTrustedServiceUrl is a stub), so the host is checked against the allow-list before anything leaves.
 */
export function createMessenger(options: MessengerOptions): Messenger {
  const allowed = new Set(options.allowedServiceUrlHosts.map((h) => h.toLowerCase()));

  function check(to: ConversationRef): void {
    let host: string;
    try {
      host = new URL(to.serviceUrl).hostname.toLowerCase();
    } catch {
      host = '';
    }
    if (!allowed.has(host)) {
      options.logger.warn({ host }, 'refused to send to a serviceUrl host that is not allow-listed');
      throw new CodedError('teams_service_url_not_allowed', 'serviceUrl host is not allow-listed', { host });
    }
    if (to.tenantId.toLowerCase() !== options.allowedTenantId.toLowerCase()) {
      throw new CodedError('teams_service_url_not_allowed', 'conversation belongs to another tenant', {});
    }
  }

  async function inConversation<T>(to: ConversationRef, work: (ctx: TurnContext) => Promise<T>): Promise<T> {
    check(to);
    let result: T | undefined;
    try {
      await options.adapter.continueConversationAsync(options.appId, toConversationReference(to), async (ctx) => {
        result = await work(ctx);
      });
    } catch (error) {
      throw connectorError(error);
    }
    return result as T;
  }

  return {
    send: (to, message) =>
      inConversation(to, async (ctx) => {
        const response = await ctx.sendActivity(activityOf(message));
        return { activityId: response?.id ?? '' };
      }),
    update: (to, activityId, message) =>
      inConversation(to, async (ctx) => {
        await ctx.updateActivity({ ...activityOf(message), id: activityId });
      }),
    async personalChat(via, user) {
      check(via);
      const parameters = {
        isGroup: false,
        bot: (via.reference as { bot?: { id: string; name?: string } }).bot,
        members: [{ id: user.aadObjectId }],
        tenantId: via.tenantId,
        channelData: { tenant: { id: via.tenantId } },
      } as ConversationParameters;
      let created: ConversationRef | null = null;
      try {
        await options.adapter.createConversationAsync(
          options.appId,
          'msteams',
          via.serviceUrl,
          'https://api.botframework.com',
          parameters,
          (ctx) => {
            created = conversationRefOf(ctx.activity);
            return Promise.resolve();
          },
        );
      } catch (error) {
        throw connectorError(error);
      }
      if (!created) throw new CodedError('teams_failed', 'Teams did not return the new conversation', {});
      return created;
    },
  };
}
