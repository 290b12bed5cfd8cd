import assert from 'node:assert/strict';
import { createLateMessenger } from '../../../../bot/proactive/late-messenger';
import type { ConversationRef, Messenger } from '../../../../services/messaging/port';

const to: ConversationRef = {
  conversationId: 'a:1',
  conversationType: 'personal',
  tenantId: 't1',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

describe('bot/proactive/late-messenger: the stand-in the routes get before the adapter exists', () => {
  it('refuses every call until bound: nothing can be posted through a messenger that does not exist yet', () => {
    const { messenger } = createLateMessenger();
    assert.throws(() => messenger.send(to, { text: 'x' }), /messenger used before the server was created/);
    assert.throws(() => messenger.update(to, 'm1', { text: 'x' }), /messenger used before the server was created/);
    assert.throws(() => messenger.personalChat(to, { aadObjectId: 'u1' }), /used before the server was created/);
  });

  it('once bound, passes each call and its answer through to the real messenger', async () => {
    const late = createLateMessenger();
    const calls: unknown[][] = [];
    const created: ConversationRef = { ...to, conversationId: 'a:new' };
    const real: Messenger = {
      send: (...args) => {
        calls.push(['send', ...args]);
        return Promise.resolve({ activityId: 'act-7' });
      },
      update: (...args) => {
        calls.push(['update', ...args]);
        return Promise.resolve();
      },
      personalChat: (...args) => {
        calls.push(['personalChat', ...args]);
        return Promise.resolve(created);
      },
    };
    late.bind(real);
    assert.deepEqual(await late.messenger.send(to, { text: 'hello' }), { activityId: 'act-7' });
    assert.equal(await late.messenger.update(to, 'act-7', { text: 'edited' }), undefined);
    assert.equal(await late.messenger.personalChat(to, { aadObjectId: 'u1' }), created);
    assert.deepEqual(calls, [
      ['send', to, { text: 'hello' }],
      ['update', to, 'act-7', { text: 'edited' }],
      ['personalChat', to, { aadObjectId: 'u1' }],
    ]);
  });
});
