import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_BOT_ID, DEMO_TENANT_ID } from '../../../demo/constants';
import { createPlaygroundClient, type PlaygroundClient } from '../../../demo/playground/client';
import { PlaygroundError } from '../../../demo/playground/errors';
import { adaptiveCardsOf, type MessageFrame } from '../../../demo/playground/frames';
import { startPlayground, type RunningPlayground } from '../../../demo/playground/launch';
import { startEchoBot, type EchoBot, type ReceivedActivity } from './echo-bot';

/*
 * What the Playground 0.2.28 sends to the bot (channel msteams, anonymous):
 * - every activity: serviceUrl http://localhost:<port>/_connector (no trailing slash), channelId msteams,
 *   recipient {id: bot id, name: 'Test Bot'}, conversation.tenantId and channelData.tenant.id = the mock tenant
 *   (00000000-0000-0000-0000-0000000000001), from {id: 'user-id-N', name, aadObjectId}.
 * - personal chat: conversation {conversationType: 'personal', id: <uuid, new at every start>},
 *   channelData {tenant}.
 * - group chat: conversation {isGroup: true, conversationType: 'groupChat', id: <uuid>}, channelData {tenant};
 *   the text keeps `<at>Test Bot</at>` and entities hold {type: 'mention', mentioned: {id, name}, text}.
 * - channel: conversation {isGroup: true, conversationType: 'channel', id: 'team-id;messageid=<post id>'},
 *   channelData {teamsChannelId: 'team-id', teamsTeamId: 'team-id', tenant, team: {id: 'team-id'},
 *   channel: {id: 'team-id'}} (the General channel's id equals the team id; no aadGroupId, no names).
 * - invoke: channelData {source: {name: 'message'}, tenant}, name 'adaptiveCard/action', replyToId = card id.
 * - installBot: installationUpdate then conversationUpdate (membersAdded: the user and the bot).
 */

function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    const poll = (): void => {
      const found = find();
      if (found !== undefined) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

function cardText(frame: MessageFrame): string {
  return JSON.stringify(adaptiveCardsOf(frame));
}

describe('Agents Playground harness (integration)', function () {
  this.timeout(20_000);
  let bot: EchoBot;
  let playground: RunningPlayground;
  let client: PlaygroundClient;

  const received = (predicate: (a: ReceivedActivity) => boolean, what: string): Promise<ReceivedActivity> =>
    waitFor(() => bot.received.find(predicate), 5000, what);

  before(async () => {
    bot = await startEchoBot();
    playground = await startPlayground({ botEndpoint: bot.endpoint, port: 0 });
    client = createPlaygroundClient(playground.url);
    await client.connect();
  });

  after(async () => {
    await client?.close();
    await playground?.stop();
    await bot?.close();
  });

  it('parses the mock tenant from /_internal/v1/config', async () => {
    const { config } = playground;
    assert.equal(config.tenantId, DEMO_TENANT_ID);
    assert.equal(config.bot.id, DEMO_BOT_ID);
    assert.equal(config.currentUser.id, 'user-id-0');
    assert.equal(config.currentUser.userPrincipalName, 'alexw@example.com');
    const megan = config.users.find((u) => u.id === 'user-id-1');
    assert.equal(megan?.name, 'Megan Bowen');
    assert.equal(megan?.aadObjectId, '00000000-0000-0000-0000-0000000000021');
    assert.equal(config.users.length, 5);
    assert.ok(config.personalChat.id.length > 0);
    assert.deepEqual(config.groupChats[0]?.members, ['user-id-1', 'user-id-2', 'user-id-3', 'user-id-4', 'user-id-5']);
    assert.deepEqual(await client.config(), config);
  });

  it('delivers a personal-chat message to the bot and the card reply on the WebSocket', async () => {
    const conv = playground.config.personalChat.id;
    const sent = await client.send(conv, 'hello personal');
    assert.match(sent.messageId, /^\d+$/);
    const activity = await received((a) => a.text === 'hello personal', 'the personal message');
    assert.equal(activity.conversation?.conversationType, 'personal');
    assert.equal(activity.conversation?.id, conv);
    assert.equal(activity.from?.aadObjectId, playground.config.currentUser.aadObjectId);
    assert.deepEqual(activity.channelData, { tenant: { id: DEMO_TENANT_ID } });
    const frame = await client.waitForMessage(
      (f) => f.actionConversationId === conv && cardText(f).includes('echo: hello personal'),
    );
    assert.equal(frame.action, 'createMessage');
    assert.equal(frame.message.from.id, DEMO_BOT_ID);
  });

  it('delivers a group-chat message from user-id-1 that mentions the bot', async () => {
    const conv = playground.config.groupChats[0]?.id ?? assert.fail('no group chat');
    await client.send(conv, 'hello group', { from: 'user-id-1' });
    const activity = await received((a) => a.text?.endsWith('hello group') === true, 'the group message');
    assert.equal(activity.text, '<at>Test Bot</at> hello group');
    assert.equal(activity.from?.id, 'user-id-1');
    assert.equal(activity.from?.aadObjectId, '00000000-0000-0000-0000-0000000000021');
    assert.equal(activity.conversation?.conversationType, 'groupChat');
    assert.deepEqual(activity.channelData, { tenant: { id: playground.config.tenantId } });
    assert.ok(activity.entities?.some((e) => e.type === 'mention'));
    await client.waitForMessage(
      (f) => f.actionConversationId === conv && cardText(f).includes('echo: <at>Test Bot</at> hello group'),
    );
  });

  it('relays an invoke pressed by user-id-1 and returns the bot invoke response', async () => {
    const conv = playground.config.groupChats[0]?.id ?? assert.fail('no group chat');
    await client.send(conv, 'card for invoke');
    const card = await client.waitForMessage((f) => cardText(f).includes('echo: <at>Test Bot</at> card for invoke'));
    const result = await client.invoke(
      conv,
      card.message.messageId,
      { verb: 'echo.execute', data: { n: 1 } },
      'user-id-1',
    );
    assert.equal(result.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(result.value), /echo\.execute by Megan Bowen/);
    const invoke = await received((a) => a.type === 'invoke' && a.replyToId === card.message.messageId, 'the invoke');
    assert.equal(invoke.name, 'adaptiveCard/action');
    assert.equal(invoke.from?.aadObjectId, '00000000-0000-0000-0000-0000000000021');
    assert.deepEqual(invoke.channelData, { source: { name: 'message' }, tenant: { id: DEMO_TENANT_ID } });
  });

  it('shows updateActivity as an updateMessage frame with the same message id', async () => {
    const conv = playground.config.personalChat.id;
    await client.send(conv, 'card to edit');
    const card = await client.waitForMessage((f) => cardText(f).includes('echo: card to edit'));
    await client.invoke(conv, card.message.messageId, { verb: 'edit', data: {} });
    const update = await client.waitForMessage(
      (f) => f.action === 'updateMessage' && f.message.messageId === card.message.messageId,
    );
    assert.equal(update.actionConversationId, conv);
    assert.match(cardText(update), /edited/);
    assert.deepEqual(bot.failures, []);
  });

  it('sends a card submit as a message with value from the given user', async () => {
    const conv = playground.config.groupChats[0]?.id ?? assert.fail('no group chat');
    await client.send(conv, 'card to submit');
    const card = await client.waitForMessage((f) => cardText(f).includes('card to submit'));
    await client.submit(conv, card.message.messageId, { note: 'from adele' }, 'user-id-2');
    const activity = await received(
      (a) => a.type === 'message' && JSON.stringify(a.value ?? null).includes('from adele'),
      'the submit',
    );
    assert.equal(activity.from?.id, 'user-id-2');
    assert.equal(activity.replyToId, card.message.messageId);
  });

  it('posts in a channel thread with team and channel ids in channelData', async () => {
    const sent = await client.send('team-id', 'hello channel');
    assert.equal(sent.postConversationId, `team-id;messageid=${sent.messageId}`);
    const activity = await received((a) => a.text === '<at>Test Bot</at> hello channel', 'the channel post');
    assert.equal(activity.conversation?.conversationType, 'channel');
    assert.equal(activity.conversation?.id, sent.postConversationId);
    assert.deepEqual(activity.channelData, {
      teamsChannelId: 'team-id',
      teamsTeamId: 'team-id',
      tenant: { id: DEMO_TENANT_ID },
      team: { id: 'team-id' },
      channel: { id: 'team-id' },
    });
    const reply = await client.waitForMessage((f) => cardText(f).includes('hello channel'));
    assert.equal(reply.actionConversationId, sent.postConversationId);
  });

  it('sends installationUpdate and conversationUpdate on installBot', async () => {
    const conv = playground.config.personalChat.id;
    await client.installBot(conv);
    await received((a) => a.type === 'installationUpdate' && a.conversation?.id === conv, 'installationUpdate');
    await received((a) => a.type === 'conversationUpdate' && a.conversation?.id === conv, 'conversationUpdate');
  });

  it('rejects an unknown user and reports Playground errors with their code', async () => {
    const conv = playground.config.personalChat.id;
    await assert.rejects(
      client.send(conv, 'x', { from: 'user-id-9' }),
      (err) => err instanceof PlaygroundError && err.code === 'playground_unknown_user',
    );
    await assert.rejects(
      client.invoke(conv, 'no-such-message', { verb: 'v', data: {} }),
      (err) => err instanceof PlaygroundError && err.code === 'playground_request_failed' && /400/.test(err.message),
    );
  });

  it('times out waitForMessage with a summary of what arrived', async () => {
    await assert.rejects(
      client.waitForMessage(() => false, 200),
      (err) => err instanceof PlaygroundError && /frames/.test(err.message),
    );
  });

  it('stop() ends the Playground process', async () => {
    const { pid } = playground;
    assert.doesNotThrow(() => process.kill(pid, 0));
    await client.close();
    await playground.stop();
    assert.throws(
      () => process.kill(pid, 0),
      (err: NodeJS.ErrnoException) => err.code === 'ESRCH',
    );
    await playground.stop();
  });

  it('refuses a taken port with strictPort', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await assert.rejects(
        startPlayground({ botEndpoint: bot.endpoint, port, strictPort: true }),
        (err) =>
          err instanceof PlaygroundError && err.code === 'playground_port_in_use' && err.message.includes(String(port)),
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
