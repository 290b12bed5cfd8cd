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
  /** Demo mode only: the Playground's connector is plain http on loopback. */
  allowLoopbackHttp?: boolean;
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

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * Proactive sends and card updates. The SDK posts the bot's token to the serviceUrl inside the stored reference
 * (isTrustedServiceUrl is a stub), so that URL — the one actually used — must be https (loopback http only in demo
 * mode), on the allow-list, and equal to the serviceUrl the reference was stored with; anything else is refused
 * and logged before anything leaves.
 */
export function createMessenger(options: MessengerOptions): Messenger {
  const allowed = new Set(options.allowedServiceUrlHosts.map((h) => h.toLowerCase()));

  function refuse(to: ConversationRef, reason: string, host: string, message: string): never {
    options.logger.warn(
      { reason, host, conversationType: to.conversationType },
      `refused a proactive message: ${message}`,
    );
    throw new CodedError('teams_service_url_not_allowed', message, { reason, host });
  }

  /** The serviceUrl the connector call will use, once it passed every check. */
  function trustedServiceUrl(to: ConversationRef): string {
    const used = to.reference.serviceUrl;
    const url = typeof used === 'string' && URL.canParse(used) ? new URL(used) : undefined;
    const host = url?.hostname.toLowerCase() ?? '';
    if (url === undefined) refuse(to, 'invalid', host, 'the stored reference has no valid serviceUrl');
    if (used !== to.serviceUrl)
      refuse(to, 'mismatch', host, 'the reference serviceUrl differs from the stored serviceUrl');
    const loopbackHttp = options.allowLoopbackHttp === true && url.protocol === 'http:' && LOOPBACK.has(host);
    if (url.protocol !== 'https:' && !loopbackHttp) refuse(to, 'not-https', host, 'serviceUrl is not https');
    if (url.username !== '' || url.password !== '') refuse(to, 'credentials', host, 'serviceUrl carries credentials');
    if (!allowed.has(host)) refuse(to, 'host', host, 'serviceUrl host is not allow-listed');
    if (to.tenantId.toLowerCase() !== options.allowedTenantId.toLowerCase())
      refuse(to, 'tenant', host, 'conversation belongs to another tenant');
    return used;
  }

  async function inConversation<T>(to: ConversationRef, work: (ctx: TurnContext) => Promise<T>): Promise<T> {
    trustedServiceUrl(to);
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
      const serviceUrl = trustedServiceUrl(via);
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
          serviceUrl,
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
