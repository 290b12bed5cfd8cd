import assert from 'node:assert/strict';
import { createUserChatLocator } from '../../../../bot/proactive/user-chat';
import { CodedError } from '../../../../services/errors';
import type { GraphClient } from '../../../../services/graph/client';
import { createPersonalChats } from '../../../../services/messaging/personal-chats';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { createRecordingLogger } from '../../../fakes/recording-logger';

// The 1:1 chat resolution of "was this you?" with hand fakes: which failures are a reason the alert shows (a missing
// setting, permission or channel) and which are thrown, so the confirmation loop tries again.
const USER = { id: 'user-1', upn: 'alexw@example.com', displayName: 'Alex Wilber' };
const CHANNEL: ConversationRef = {
  conversationId: '19:alerts@thread.tacv2',
  conversationType: 'channel',
  tenantId: 't1',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/', bot: { id: '28:bot' } },
};

/** A Graph client whose every request fails with `error` (and counts the requests). */
function failingGraph(error: Error) {
  const graph = {
    requests: 0,
    request() {
      graph.requests++;
      return Promise.reject(error);
    },
  };
  return graph as unknown as GraphClient & { requests: number };
}

function locator(graph: GraphClient, template: ConversationRef | null = CHANNEL) {
  const logger = createRecordingLogger();
  const chats = createPersonalChats(createMemoryStorage());
  return {
    chats,
    logger,
    locator: createUserChatLocator({
      chats,
      graph,
      catalogAppId: 'catalog-app-1',
      template: () => Promise.resolve(template),
      logger,
    }),
  };
}

describe('bot/proactive/user-chat: why a user cannot be reached, and what is retried', () => {
  it('the chat the user last wrote from comes first: no Graph call at all', async () => {
    const graph = failingGraph(new Error('Graph must not be asked'));
    const { chats, locator: l } = locator(graph);
    const personal = { ...CHANNEL, conversationId: 'a:alex', conversationType: 'personal' as const };
    await chats.remember(USER.id, personal);
    assert.deepEqual(await l.open(USER), { ok: true, conversation: personal, via: 'remembered' });
    assert.equal(graph.requests, 0);
  });

  it('no conversation of the bot in the tenant: a reason, and nothing is installed', async () => {
    const graph = failingGraph(new Error('Graph must not be asked'));
    const outcome = await locator(graph, null).locator.open(USER);
    assert.deepEqual(outcome, {
      ok: false,
      reason: 'the bot has no conversation in the tenant to reach Teams through',
    });
    assert.equal(graph.requests, 0);
  });

  it('Graph 403 is the missing permission, named', async () => {
    const outcome = await locator(
      failingGraph(new CodedError('graph_forbidden', 'Graph returned 403', { status: 403 })),
    ).locator.open(USER);
    assert.deepEqual(outcome, {
      ok: false,
      reason: 'installing the app for the user needs TeamsAppInstallation.ReadWriteSelfForUser.All',
    });
  });

  for (const error of [
    new CodedError('graph_throttled', 'Graph returned 429', { status: 429 }),
    new CodedError('graph_unavailable', 'Graph returned 503', { status: 503 }),
    Object.assign(new Error('socket hang up'), { code: 'graph_forbidden' }),
  ]) {
    it(`any other failure is thrown to be retried, not a reason: ${error.message}`, async () => {
      const { locator: l, chats } = locator(failingGraph(error));
      await assert.rejects(l.open(USER), (e) => e === error);
      assert.equal(await chats.get(USER.id), null, 'nothing remembered');
    });
  }
});
