import { createAlertRenderer } from '../../../../bot/proactive/alert-renderer';
import { createMessenger, type MessengerOptions } from '../../../../bot/proactive/messenger';
import { createSendQueue } from '../../../../bot/proactive/send-queue';
import type { AlertStore } from '../../../../services/alerts/alert-store';
import { createAlertDelivery } from '../../../../services/alerts/delivery';
import { systemClock } from '../../../../services/clock';
import { silentLogger, type Logger } from '../../../../services/log';

/** What the fake Bot Connector answers to one post: null is 201 Created. */
export type ConnectorAnswer = { status: number; code?: string; retryAfter?: string } | null;

/**
 * A stand-in for CloudAdapter's proactive calls: each post is answered by the script, and failures are thrown from
 * sendActivity with the shape botbuilder's connector errors have (statusCode, code, response.headers).
 */
export function createFakeConnector(script: (attempt: number, conversationId: string) => ConnectorAnswer) {
  const posts: { at: number; activity: unknown; serviceUrl: unknown }[] = [];
  const created: { serviceUrl: string }[] = [];
  const adapter: MessengerOptions['adapter'] = {
    async continueConversationAsync(_appId: unknown, reference: unknown, logic: (ctx: never) => Promise<void>) {
      const ctx = {
        sendActivity: (activity: unknown) => {
          posts.push({ at: Date.now(), activity, serviceUrl: (reference as { serviceUrl?: unknown }).serviceUrl });
          const conversation = (reference as { conversation?: { id?: string } }).conversation?.id ?? '';
          const answer = script(posts.length, conversation);
          if (answer) {
            const error = Object.assign(new Error(`connector ${answer.status}`), {
              statusCode: answer.status,
              code: answer.code,
              response: { headers: { get: (n: string) => (n === 'retry-after' ? answer.retryAfter : undefined) } },
            });
            return Promise.reject(error);
          }
          return Promise.resolve({ id: `msg-${posts.length}` });
        },
      };
      await logic(ctx as never);
    },
    createConversationAsync(_appId: unknown, _channel: unknown, serviceUrl: string) {
      created.push({ serviceUrl });
      return Promise.reject(new Error('createConversationAsync is not scripted'));
    },
  } as unknown as MessengerOptions['adapter'];
  return { adapter, posts, created };
}

/**
 * The alert delivery loop as the bot wires it — real send queue, messenger and renderer — posting to a fake
 * connector for tenant `tenantId` on smba.trafficmanager.net.
 */
export function deliveryOverFakeConnector(
  store: AlertStore,
  tenantId: string,
  options: { script?: (attempt: number, conversationId: string) => ConnectorAnswer; logger?: Logger } = {},
) {
  const connector = createFakeConnector(options.script ?? (() => null));
  const messenger = createMessenger({
    adapter: connector.adapter,
    appId: 'app',
    allowedTenantId: tenantId,
    allowedServiceUrlHosts: ['smba.trafficmanager.net'],
    logger: silentLogger,
  });
  const delivery = createAlertDelivery({
    store,
    sender: createSendQueue({ messenger, clock: systemClock, logger: silentLogger }),
    renderer: createAlertRenderer(systemClock),
    clock: systemClock,
    logger: options.logger ?? silentLogger,
  });
  return { delivery, posts: connector.posts };
}
