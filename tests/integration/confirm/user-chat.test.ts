import assert from 'node:assert/strict';
import { createUserChatLocator } from '../../../bot/proactive/user-chat';
import { DEMO_TEAMS_APP_CATALOG_ID } from '../../../bot/demo-defaults';
import { PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { installedAppChat } from '../../../services/confirm/teams-app';
import { createGraphClient, type GraphClient } from '../../../services/graph/client';
import { CodedError } from '../../../services/errors';
import { silentLogger } from '../../../services/log';
import { createPersonalChats } from '../../../services/messaging/personal-chats';
import type { ConversationRef } from '../../../services/messaging/port';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { call, errorCode, post, values } from '../demo/helpers';

const ALEX = PLAYGROUND_USERS[0].aadObjectId;
const ISAIAH = PLAYGROUND_USERS[3].aadObjectId;
const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: 't1',
  serviceUrl: 'http://127.0.0.1:56150/',
  reference: {
    bot: { id: 'bot-1', name: 'SecOps' },
    conversation: { id: '19:general@thread.tacv2', conversationType: 'channel' },
    serviceUrl: 'http://127.0.0.1:56150/',
    channelId: 'msteams',
    activityId: 'a-channel-message',
  },
};
const auth = { authorization: 'Bearer demo-token' };
const bind = (id: string) => ({
  'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}`,
});

describe('"was this you?": the 1:1 chat through Graph (demo tenant over HTTP)', function () {
  this.timeout(20_000);
  let demo: DemoTenant;
  let graph: GraphClient;

  beforeEach(async () => {
    demo = await startDemoTenant({ port: 0, requireToken: 'demo-token' });
    graph = createGraphClient({ baseUrl: demo.url, credential: { kind: 'static', token: 'demo-token' } });
  });
  afterEach(() => demo.close());

  it('the demo tenant installs the app once (201, then 409), lists it with $expand and $filter, serves its chat', async () => {
    const path = `/v1.0/users/${ISAIAH}/teamwork/installedApps`;
    assert.deepEqual(values(await call(demo, path, { headers: auth })), []);
    assert.equal((await call(demo, path, { ...post(bind('not-in-catalog')), headers: auth })).status, 404);
    assert.equal((await call(demo, path, { ...post(bind(DEMO_TEAMS_APP_CATALOG_ID)), headers: auth })).status, 201);
    const again = await call(demo, path, { ...post(bind(DEMO_TEAMS_APP_CATALOG_ID)), headers: auth });
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'Conflict');
    const filter = encodeURIComponent(`teamsApp/id eq '${DEMO_TEAMS_APP_CATALOG_ID}'`);
    const [installation] = values(await call(demo, `${path}?$expand=teamsApp&$filter=${filter}`, { headers: auth }));
    assert.equal((installation?.teamsApp as { id?: string }).id, DEMO_TEAMS_APP_CATALOG_ID);
    const other = encodeURIComponent("teamsApp/id eq 'other'");
    assert.deepEqual(values(await call(demo, `${path}?$filter=${other}`, { headers: auth })), []);
    const chat = await call(demo, `${path}/${String(installation?.id)}/chat`, { headers: auth });
    assert.equal(chat.status, 200);
    assert.equal(chat.body.chatType, 'oneOnOne');
    assert.match(String(chat.body.id), /^19:.+@unq\.gbl\.spaces$/);
    assert.equal((await call(demo, `${path}/nope/chat`, { headers: auth })).status, 404);
  });

  it('installedAppChat installs when missing and reads the chat; a second call finds the installation', async () => {
    demo.state.teamsChats.set(ALEX, 'a:playground-personal-chat');
    const first = await installedAppChat(graph, ALEX, DEMO_TEAMS_APP_CATALOG_ID);
    assert.deepEqual(first, { chatId: 'a:playground-personal-chat', installed: true });
    const second = await installedAppChat(graph, ALEX, DEMO_TEAMS_APP_CATALOG_ID);
    assert.deepEqual(second, { chatId: 'a:playground-personal-chat', installed: false });
    assert.equal(demo.stats().writes.filter((w) => w.path.endsWith('/teamwork/installedApps')).length, 1);
  });

  it('the locator: the remembered chat first; else installs and builds the chat reference from a channel', async () => {
    const chats = createPersonalChats(createMemoryStorage());
    const locator = createUserChatLocator({
      chats,
      graph,
      catalogAppId: DEMO_TEAMS_APP_CATALOG_ID,
      template: () => Promise.resolve(channel),
      logger: silentLogger,
    });
    demo.state.teamsChats.set(ALEX, 'a:playground-personal-chat');
    const user = { id: ALEX, upn: 'alexw@example.com', displayName: 'Alex Wilber' };
    const installed = await locator.open(user);
    assert.ok(installed.ok);
    assert.equal(installed.via, 'installed');
    assert.equal(installed.conversation.conversationId, 'a:playground-personal-chat');
    assert.equal(installed.conversation.conversationType, 'personal');
    assert.equal(installed.conversation.serviceUrl, channel.serviceUrl);
    const ref = installed.conversation.reference;
    assert.deepEqual(ref.conversation, {
      id: 'a:playground-personal-chat',
      conversationType: 'personal',
      tenantId: 't1',
      isGroup: false,
    });
    assert.deepEqual(ref.bot, { id: 'bot-1', name: 'SecOps' });
    assert.equal(ref.activityId, undefined);
    // Remembered from now on: no more Graph calls.
    const before = demo.stats().requests;
    const again = await locator.open(user);
    assert.ok(again.ok && again.via === 'remembered');
    assert.equal(demo.stats().requests, before);
  });

  it('the locator names why it cannot reach a user: no catalog id; a 403 names the permission', async () => {
    const user = { id: ISAIAH, upn: 'isaiah@example.com', displayName: null };
    const noCatalog = createUserChatLocator({
      chats: createPersonalChats(createMemoryStorage()),
      graph,
      template: () => Promise.resolve(channel),
      logger: silentLogger,
    });
    assert.deepEqual(await noCatalog.open(user), {
      ok: false,
      reason: 'they have not written to the bot, and installing the app for them needs TEAMS_APP_CATALOG_ID',
    });
    const refusing: GraphClient = {
      ...graph,
      request: (spec) =>
        spec.path.includes('/teamwork/')
          ? Promise.reject(new CodedError('graph_forbidden', 'Graph returned 403', { status: 403 }))
          : graph.request(spec),
    };
    const locator = createUserChatLocator({
      chats: createPersonalChats(createMemoryStorage()),
      graph: refusing,
      catalogAppId: DEMO_TEAMS_APP_CATALOG_ID,
      template: () => Promise.resolve(channel),
      logger: silentLogger,
    });
    const outcome = await locator.open(user);
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
  });
});
