import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { MessengerOptions } from './messenger';

// The retry policy @azure/core-rest-pipeline puts in every Bot Connector client: 3 retries of any 5xx (500
// included) and of 429, invisible to the send queue's per-thread accounting.
const SDK_RETRY_POLICY = 'defaultRetryPolicy';

interface PipelineOwner {
  client?: { pipeline?: { removePolicy(options: { name: string }): unknown } };
}

/**
 * The adapter for proactive posts and updates, whose connector clients make exactly one HTTP attempt: retrying is
 * the send queue's job (only 412/429/502/503/504, with Retry-After, counted against Teams' per-thread limits), and
 * a second hidden layer would retry 500s and multiply the attempts. Turn replies keep botbuilder's behaviour.
 */
export function withoutConnectorRetries(adapter: CloudAdapter): MessengerOptions['adapter'] {
  const continueConversation = (
    appId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> =>
    adapter.continueConversationAsync(appId, reference, (context) => {
      // ServiceClientContext keeps its core-client ServiceClient in a TypeScript-private field; `pipeline` is public.
      const connector = context.turnState.get<PipelineOwner | undefined>(adapter.ConnectorClientKey);
      connector?.client?.pipeline?.removePolicy({ name: SDK_RETRY_POLICY });
      return logic(context);
    });
  return {
    // The messenger uses only the (appId, reference, logic) form.
    continueConversationAsync: continueConversation,
    createConversationAsync: adapter.createConversationAsync.bind(adapter),
  };
}
