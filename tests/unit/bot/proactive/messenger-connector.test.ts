import assert from 'node:assert/strict';
import type { Activity, ConversationParameters } from 'botbuilder';
import { connectorError, createMessenger, type MessengerOptions } from '../../../../bot/proactive/messenger';
import type { CodedError } from '../../../../services/errors';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { createFakeConnector } from './fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const SMBA = 'https://smba.trafficmanager.net/emea/';
const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: TENANT,
  serviceUrl: SMBA,
  reference: {
    serviceUrl: SMBA,
    bot: { id: '28:bot', name: 'SecOps' },
    conversation: { id: '19:general@thread.tacv2' },
  },
};

function messengerOver(adapter: MessengerOptions['adapter']) {
  const logger = createRecordingLogger();
  return {
    logger,
    messenger: createMessenger({
      adapter,
      appId: 'app-id',
      allowedTenantId: TENANT,
      allowedServiceUrlHosts: ['SMBA.trafficmanager.net'],
      logger,
    }),
  };
}

/** A connector failure as botbuilder throws it. */
function failure(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('connector'), fields);
}

describe('bot/proactive/messenger: what is posted, how Teams failures map, 1:1 chats', () => {
  describe('connectorError: the Teams retry matrix (retry 412/429/502/503/504 only)', () => {
    const headers = (retryAfter?: string) => ({ get: (n: string) => (n === 'retry-after' ? retryAfter : undefined) });

    it('429 is throttled, with the Retry-After in ms and the Teams code; the original error is the cause', () => {
      const original = failure({ statusCode: 429, code: 'ThrottledRequest', response: { headers: headers('7') } });
      const e = connectorError(original);
      assert.equal(e.code, 'teams_throttled');
      assert.deepEqual(e.details, { status: 429, retryAfterMs: 7_000, teamsCode: 'ThrottledRequest' });
      assert.equal(e.cause, original);
      assert.match(e.message, /throttled/);
    });

    for (const status of [412, 502, 503, 504]) {
      it(`${status} is retryable; no Retry-After, no retryAfterMs`, () => {
        const original = failure({ statusCode: status, response: { headers: headers() } });
        const e = connectorError(original);
        assert.equal(e.code, 'teams_retryable');
        assert.deepEqual(e.details, { status, teamsCode: null });
        assert.equal(e.cause, original);
        assert.match(e.message, new RegExp(`Teams answered ${status}`));
      });
    }

    for (const status of [403, 404]) {
      it(`${status} means the bot cannot post there any more`, () => {
        const original = failure({ statusCode: status, code: 'BotNotInConversationRoster' });
        const e = connectorError(original);
        assert.equal(e.code, 'teams_gone');
        assert.deepEqual(e.details, { status, teamsCode: 'BotNotInConversationRoster' });
        assert.equal(e.cause, original);
        assert.match(e.message, new RegExp(`Teams answered ${status}: the bot cannot post`));
      });
    }

    it('500 and 413 fail without a retry', () => {
      for (const status of [500, 413]) {
        const original = failure({ statusCode: status });
        const e = connectorError(original);
        assert.equal(e.code, 'teams_failed');
        assert.deepEqual(e.details, { status, teamsCode: null });
        assert.equal(e.cause, original);
        assert.match(e.message, new RegExp(`Teams answered ${status}$`));
      }
    });

    it('a network error (no status) is status 0 and says so', () => {
      const original = failure({ code: 'ECONNRESET' });
      const e = connectorError(original);
      assert.equal(e.code, 'teams_failed');
      assert.deepEqual(e.details, { status: 0, teamsCode: 'ECONNRESET' });
      assert.equal(e.message, 'Teams answered with a network error');
      assert.equal(e.cause, original);
      assert.equal(connectorError(failure({ statusCode: '503' })).details.status, 0, 'only a numeric status counts');
    });

    it('a response without headers, or headers without get(), is read without failing', () => {
      assert.deepEqual(connectorError(failure({ statusCode: 503, response: {} })).details, {
        status: 503,
        teamsCode: null,
      });
      assert.deepEqual(connectorError(failure({ statusCode: 429, response: { headers: {} } })).details, {
        status: 429,
        teamsCode: null,
      });
    });
  });

  describe('what is posted', () => {
    it('a text message goes as plain text (Teams never renders it as markdown); a card as an Adaptive Card', async () => {
      const connector = createFakeConnector(() => null);
      const { messenger } = messengerOver(connector.adapter);
      await messenger.send(channel, { text: '**not bold** [link](https://evil.example)' });
      await messenger.send(channel, { card: { type: 'AdaptiveCard', version: '1.5', body: [] } });
      const [text, card] = connector.posts.map((p) => p.activity as Partial<Activity>);
      assert.deepEqual(text, {
        type: 'message',
        text: '**not bold** [link](https://evil.example)',
        textFormat: 'plain',
      });
      assert.equal(card?.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.deepEqual(card?.attachments?.[0]?.content, { type: 'AdaptiveCard', version: '1.5', body: [] });
    });

    it('a post Teams answers without a resource id gives an empty activity id', async () => {
      const adapter = {
        async continueConversationAsync(_a: string, _r: unknown, logic: (ctx: never) => Promise<void>) {
          await logic({ sendActivity: () => Promise.resolve(undefined) } as never);
        },
        createConversationAsync: () => Promise.reject(new Error('unused')),
      } as unknown as MessengerOptions['adapter'];
      assert.deepEqual(await messengerOver(adapter).messenger.send(channel, { text: 'x' }), { activityId: '' });
    });

    it('an update replaces the activity by id; a connector failure of the update is mapped', async () => {
      const updates: unknown[] = [];
      let fail = false;
      const adapter = {
        async continueConversationAsync(appId: string, reference: unknown, logic: (ctx: never) => Promise<void>) {
          assert.equal(appId, 'app-id');
          assert.equal((reference as { serviceUrl: string }).serviceUrl, SMBA);
          await logic({
            updateActivity: (a: unknown) => {
              if (fail) return Promise.reject(failure({ statusCode: 404 }));
              updates.push(a);
              return Promise.resolve();
            },
          } as never);
        },
        createConversationAsync: () => Promise.reject(new Error('unused')),
      } as unknown as MessengerOptions['adapter'];
      const { messenger } = messengerOver(adapter);
      await messenger.update(channel, 'act-3', { text: 'done' });
      assert.deepEqual(updates, [{ type: 'message', text: 'done', textFormat: 'plain', id: 'act-3' }]);
      fail = true;
      await assert.rejects(
        messenger.update(channel, 'act-3', { text: 'x' }),
        (e: CodedError) => e.code === 'teams_gone',
      );
    });
  });

  describe('serviceUrl credentials: either part refuses', () => {
    for (const url of ['https://a@smba.trafficmanager.net/emea/', 'https://:b@smba.trafficmanager.net/emea/']) {
      it(`refuses ${url}`, async () => {
        const connector = createFakeConnector(() => null);
        const { messenger, logger } = messengerOver(connector.adapter);
        const to = { ...channel, serviceUrl: url, reference: { ...channel.reference, serviceUrl: url } };
        await assert.rejects(
          messenger.send(to, { text: 'x' }),
          (e: CodedError) => e.code === 'teams_service_url_not_allowed' && e.details.reason === 'credentials',
        );
        assert.equal(connector.posts.length, 0);
        assert.match(logger.lines[0]?.msg ?? '', /refused a proactive message: serviceUrl carries credentials/);
      });
    }
  });

  describe('a stored serviceUrl that is not a string', () => {
    for (const [name, value] of [
      ['a JSON array holding the URL', [SMBA]],
      ['a number', 443],
    ] as const) {
      it(`${name} is invalid (never coerced to a string and parsed)`, async () => {
        const connector = createFakeConnector(() => null);
        const { messenger } = messengerOver(connector.adapter);
        const to = { ...channel, reference: { ...channel.reference, serviceUrl: value } };
        await assert.rejects(
          messenger.send(to, { text: 'x' }),
          (e: CodedError) =>
            e.code === 'teams_service_url_not_allowed' && e.details.reason === 'invalid' && e.details.host === '',
        );
        assert.equal(connector.posts.length, 0);
      });
    }
  });

  describe('personalChat: a 1:1 chat created through the Bot Connector', () => {
    function creating(answer: 'created' | 'silent' | { statusCode: number }) {
      const calls: {
        appId: string;
        channelId: string;
        serviceUrl: string;
        audience: string;
        p: ConversationParameters;
      }[] = [];
      const adapter = {
        continueConversationAsync: () => Promise.reject(new Error('unused')),
        async createConversationAsync(
          appId: string,
          channelId: string,
          serviceUrl: string,
          audience: string,
          p: ConversationParameters,
          logic: (ctx: never) => Promise<void>,
        ) {
          calls.push({ appId, channelId, serviceUrl, audience, p });
          if (typeof answer === 'object') throw failure(answer);
          if (answer === 'silent') return;
          await logic({
            activity: {
              serviceUrl,
              channelId,
              conversation: { id: 'a:new-chat', conversationType: 'personal', tenantId: TENANT, isGroup: false },
              channelData: { tenant: { id: TENANT } },
            },
          } as never);
        },
      } as unknown as MessengerOptions['adapter'];
      return { calls, ...messengerOver(adapter) };
    }

    it('asks Teams for a chat between the bot and the user in the tenant, at the checked serviceUrl', async () => {
      const { messenger, calls } = creating('created');
      const chat = await messenger.personalChat(channel, { aadObjectId: 'user-aad-1' });
      assert.deepEqual(calls, [
        {
          appId: 'app-id',
          channelId: 'msteams',
          serviceUrl: SMBA,
          audience: 'https://api.botframework.com',
          p: {
            isGroup: false,
            bot: { id: '28:bot', name: 'SecOps' },
            members: [{ id: 'user-aad-1' }],
            tenantId: TENANT,
            channelData: { tenant: { id: TENANT } },
          },
        },
      ]);
      assert.equal(chat.conversationId, 'a:new-chat');
      assert.equal(chat.conversationType, 'personal');
      assert.equal(chat.tenantId, TENANT);
      assert.equal(chat.serviceUrl, SMBA);
    });

    it('Teams not handing back the conversation is a failure, not an empty chat', async () => {
      await assert.rejects(
        creating('silent').messenger.personalChat(channel, { aadObjectId: 'u' }),
        (e: CodedError) => e.code === 'teams_failed' && /did not return the new conversation/.test(e.message),
      );
    });

    it('a connector failure is mapped (403: the bot cannot reach the user)', async () => {
      await assert.rejects(
        creating({ statusCode: 403 }).messenger.personalChat(channel, { aadObjectId: 'u' }),
        (e: CodedError) => e.code === 'teams_gone' && e.details.status === 403,
      );
    });
  });
});
