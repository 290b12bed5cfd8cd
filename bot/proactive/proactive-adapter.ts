import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { MessengerOptions } from './messenger';

// The retry policy @azure/core-rest-pipeline puts in every Bot Connector client: 3 retries of any 5xx (500
// included) and of 429, invisible to the send queue's per-thread accounting.
const SDK_RETRY_POLICY = 'defaultRetryPolicy';

interface PipelineOwner {
  client?: { pipeline?: { removePolicy(options: { name: string }): unknown } };
}

/**
 * The adapter as proactive posts and updates need it (the messenger's port):
 * - its connector clients make exactly one HTTP attempt: retrying is the send queue's job (only 412/429/502/503/504,
 *   with Retry-After, counted against Teams' per-thread limits); a hidden second layer would retry 500s and
 *   multiply the attempts. Turn replies keep botbuilder's behaviour.
 * - a failed post surfaces as the connector's own error (status, Retry-After, Teams code): left to the adapter, it
 *   would reach the turn-error handler, which answers every failure with one status-less error, so a 429 or a 403
 *   (bot removed) could not be told from anything else.
 */
export function createProactiveAdapter(adapter: CloudAdapter): MessengerOptions['adapter'] {
  const continueConversation = async (
    appId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> => {
    const failed: unknown[] = [];
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      // ServiceClientContext keeps its core-client ServiceClient in a TypeScript-private field; `pipeline` is public.
      const connector = context.turnState.get<PipelineOwner | undefined>(adapter.ConnectorClientKey);
      connector?.client?.pipeline?.removePolicy({ name: SDK_RETRY_POLICY });
      try {
        await logic(context);
      } catch (error) {
        failed.push(error);
      }
    });
    if (failed.length > 0) throw failed[0];
  };
  return {
    continueConversationAsync: continueConversation,
    createConversationAsync: adapter.createConversationAsync.bind(adapter),
  };
}
