import assert from 'node:assert/strict';
import {
  conversationRefOf,
  personalChatRef,
  toConversationReference,
} from '../../../../bot/proactive/conversation-ref';

// The reference stored for proactive sends: the tenant and serviceUrl the messenger later checks (row 39) come from
// here, so they must be the activity's own.
const SMBA = 'https://smba.trafficmanager.net/emea/';
const base = {
  type: 'message',
  id: 'act-1',
  channelId: 'msteams',
  serviceUrl: SMBA,
  from: { id: '29:1', name: 'Alex' },
  recipient: { id: '28:bot', name: 'Bot' },
};

describe('bot/proactive/conversation-ref', () => {
  it('a personal chat: id, type, tenant from channelData, the serviceUrl, and the reference botbuilder needs', () => {
    const ref = conversationRefOf({
      ...base,
      conversation: { id: 'a:1', conversationType: 'personal', tenantId: 'conv-tenant', isGroup: false, name: '' },
      channelData: { tenant: { id: 'tenant-1' } },
    });
    assert.equal(ref.conversationId, 'a:1');
    assert.equal(ref.conversationType, 'personal');
    assert.equal(ref.tenantId, 'tenant-1', 'channelData.tenant first');
    assert.equal(ref.serviceUrl, SMBA);
    assert.equal('channelId' in ref, false);
    assert.equal(ref.reference.serviceUrl, SMBA);
    assert.deepEqual((ref.reference.conversation as { id: string }).id, 'a:1');
    assert.deepEqual(toConversationReference(ref), ref.reference);
    assert.deepEqual(JSON.parse(JSON.stringify(ref)), ref, 'plain JSON, storable as is');
  });

  it('the tenant falls back to conversation.tenantId; a channel keeps its team channel id', () => {
    const ref = conversationRefOf({
      ...base,
      conversation: {
        id: '19:x@thread.tacv2',
        conversationType: 'channel',
        tenantId: 'conv-tenant',
        isGroup: true,
        name: '',
      },
      channelData: { teamsChannelId: '19:x@thread.tacv2' },
    });
    assert.equal(ref.tenantId, 'conv-tenant');
    assert.equal(ref.conversationType, 'channel');
    assert.equal(ref.channelId, '19:x@thread.tacv2');
    const viaChannel = conversationRefOf({
      ...base,
      conversation: { id: '19:y', conversationType: 'channel', isGroup: true, name: '' },
      channelData: { channel: { id: '19:y' } },
    });
    assert.equal(viaChannel.channelId, '19:y');
  });

  it('an unknown conversation type is "unknown"; missing fields are empty, never undefined', () => {
    const ref = conversationRefOf({ ...base, serviceUrl: undefined, conversation: undefined, channelData: undefined });
    assert.deepEqual([ref.conversationId, ref.conversationType, ref.tenantId, ref.serviceUrl], ['', 'unknown', '', '']);
    const group = conversationRefOf({
      ...base,
      conversation: { id: 'g', conversationType: 'groupChat', isGroup: true, name: '' },
    });
    assert.equal(group.conversationType, 'groupChat');
    const odd = conversationRefOf({
      ...base,
      conversation: { id: 'o', conversationType: 'meeting', isGroup: true, name: '' },
    });
    assert.equal(odd.conversationType, 'unknown');
  });

  it("personalChatRef: the user's 1:1 chat reached through a channel's connector address and the bot's account", () => {
    const channel = conversationRefOf({
      ...base,
      conversation: { id: '19:x@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
      channelData: { tenant: { id: 'tenant-1' }, teamsChannelId: '19:x@thread.tacv2' },
    });
    const chat = personalChatRef(channel, 'a:chat-9', 'user-9');
    assert.equal(chat.conversationId, 'a:chat-9');
    assert.equal(chat.conversationType, 'personal');
    assert.equal(chat.tenantId, 'tenant-1');
    assert.equal(chat.serviceUrl, SMBA);
    assert.equal(chat.reference.serviceUrl, SMBA, 'the messenger checks that both agree');
    assert.deepEqual(chat.reference.bot, channel.reference.bot);
    // The chat and its member, never the channel's message: a reply would otherwise thread under it.
    assert.deepEqual(chat.reference.conversation, {
      id: 'a:chat-9',
      conversationType: 'personal',
      tenantId: 'tenant-1',
      isGroup: false,
    });
    assert.deepEqual(chat.reference.user, { id: 'user-9', aadObjectId: 'user-9' });
    assert.equal('activityId' in chat.reference, false);
    assert.equal('channelId' in chat, false);
  });
});
