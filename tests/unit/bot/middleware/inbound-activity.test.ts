import assert from 'node:assert/strict';
import {
  exceedsDepth,
  MAX_ACTIVITY_DEPTH,
  parseInboundActivity,
  type IdShape,
} from '../../../../bot/middleware/inbound-activity';

// Issue 10 item 13: the fields the bot reads are parsed with one schema at the edge; the refusal names the field and
// the problem, never the value. from.aadObjectId must be an Entra object id (a UPN there let a requester approve
// their own request), compared in canonical form.
const GUID = '6E7B768E-07E2-4810-8459-485F84F8F204';
const DEMO_ID = '00000000-0000-0000-0000-0000000000011';

function activity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: 'act-1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:1', name: 'Alex', aadObjectId: GUID },
    conversation: { id: 'personal-1' },
    text: 'help',
    ...overrides,
  };
}

const refusal = (body: unknown, shape: IdShape = 'guid'): string => {
  const result = parseInboundActivity(body, shape);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.problem;
};

describe('bot/middleware/inbound-activity: the edge schema', () => {
  it('accepts a Teams message and gives the caller id in canonical lower case', () => {
    const result = parseInboundActivity(activity(), 'guid');
    assert.ok(result.ok);
    assert.equal(result.activity.from.aadObjectId, GUID.toLowerCase());
  });

  it('refuses anything but a whole GUID as from.aadObjectId: a UPN, or a GUID with text before or after it', () => {
    for (const aadObjectId of ['alex@contoso.com', `x${GUID}`, `${GUID}x`, `${GUID}\n`, 42]) {
      const problem = refusal(activity({ from: { id: '29:1', aadObjectId } }));
      assert.match(problem, /^from\.aadObjectId: /);
      assert.doesNotMatch(problem, /contoso/, 'the value is never echoed');
    }
  });

  it("demo mode also accepts the Playground's 13-digit mock ids, tenant mode does not; neither takes a 14th digit", () => {
    assert.ok(parseInboundActivity(activity({ from: { id: '1', aadObjectId: DEMO_ID } }), 'demo').ok);
    refusal(activity({ from: { id: '1', aadObjectId: DEMO_ID } }), 'guid');
    refusal(activity({ from: { id: '1', aadObjectId: `${DEMO_ID}1` } }), 'demo');
    refusal(activity({ from: { id: '1', aadObjectId: `x${DEMO_ID}` } }), 'demo');
  });

  it('messages and invokes need an id (re-delivery dedupe); other activity types do not', () => {
    for (const type of ['message', 'invoke']) {
      const { id: _id, ...rest } = activity({ type });
      assert.match(refusal(rest), /^id: messages and invokes need an id/);
    }
    const { id: _id, ...update } = activity({ type: 'conversationUpdate' });
    assert.ok(parseInboundActivity(update, 'guid').ok);
  });

  it('serviceUrl must be an http(s) URL', () => {
    for (const serviceUrl of ['ftp://smba.trafficmanager.net/', 'xhttps://a.example/', 'https2://a.example/', 'no url'])
      assert.match(refusal(activity({ serviceUrl })), /^serviceUrl: /);
    assert.ok(parseInboundActivity(activity({ serviceUrl: 'http://127.0.0.1:3978/' }), 'guid').ok);
  });

  it('caps the arrays the bot walks', () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}` }));
    assert.ok(parseInboundActivity(activity({ membersAdded: members(1000) }), 'guid').ok);
    assert.match(refusal(activity({ membersAdded: members(1001) })), /^membersAdded: /);
    assert.match(refusal(activity({ membersRemoved: members(1001) })), /^membersRemoved: /);
    assert.ok(parseInboundActivity(activity({ entities: Array(100).fill({}) }), 'guid').ok);
    assert.match(refusal(activity({ entities: Array(101).fill({}) })), /^entities: /);
    assert.ok(parseInboundActivity(activity({ attachments: Array(20).fill({}) }), 'guid').ok);
    assert.match(refusal(activity({ attachments: Array(21).fill({}) })), /^attachments: /);
    assert.match(refusal(activity({ membersAdded: 'alex' })), /^membersAdded: /);
  });

  it('refuses buffered replies (deliveryMode expectReplies) and accepts normal and notification', () => {
    assert.match(refusal(activity({ deliveryMode: 'expectReplies' })), /^deliveryMode: /);
    for (const deliveryMode of ['normal', 'notification'])
      assert.ok(parseInboundActivity(activity({ deliveryMode }), 'guid').ok, deliveryMode);
  });

  it('refuses non-string names and text, a missing conversation, and a body that is not an object', () => {
    assert.match(refusal(activity({ from: { id: '1', name: { x: 1 } } })), /^from\.name: /);
    assert.match(refusal(activity({ text: 7 })), /^text: /);
    assert.match(refusal(activity({ conversation: undefined })), /^conversation: /);
    assert.match(refusal(activity({ channelData: { tenant: { id: 5 } } })), /^channelData\.tenant\.id: /);
    assert.match(refusal('a string'), /^\(body\): /);
    assert.ok(refusal(activity({ text: 7 })).length <= 200);
  });

  it('bounds members, the conversation and the channel ids in channelData; real Teams channel ids pass', () => {
    const long = 'x'.repeat(1025);
    assert.match(refusal(activity({ membersAdded: [{ name: 'no id' }] })), /^membersAdded\.0\.id: /);
    assert.match(
      refusal(activity({ membersAdded: [{ id: 'm1', name: 'n'.repeat(257) }] })),
      /^membersAdded\.0\.name: /,
    );
    assert.match(refusal(activity({ recipient: { id: long } })), /^recipient\.id: /);
    assert.match(refusal(activity({ conversation: { name: 'no id' } })), /^conversation\.id: /);
    assert.match(
      refusal(activity({ conversation: { id: 'c', tenantId: 't'.repeat(129) } })),
      /^conversation\.tenantId: /,
    );
    assert.match(refusal(activity({ conversation: { id: 'c', isGroup: 'yes' } })), /^conversation\.isGroup: /);
    const channel = '19:2f7a1c3e5b6d4e8f9a0b1c2d3e4f5a6b@thread.tacv2';
    assert.ok(
      parseInboundActivity(activity({ channelData: { teamsChannelId: channel, channel: { id: channel } } }), 'guid').ok,
    );
    assert.match(refusal(activity({ channelData: { teamsChannelId: long } })), /^channelData\.teamsChannelId: /);
    assert.match(refusal(activity({ channelData: { channel: { id: long } } })), /^channelData\.channel\.id: /);
    assert.match(refusal(activity({ channelData: { channel: {} } })), /^channelData\.channel\.id: /);
  });

  it('nesting: exactly the limit passes, one level more is refused before the schema (also 5,000 levels)', () => {
    const nested = (depth: number): unknown => {
      let node: unknown = 'leaf';
      for (let i = 0; i < depth; i++) node = { n: node };
      return node;
    };
    assert.equal(exceedsDepth(nested(MAX_ACTIVITY_DEPTH), MAX_ACTIVITY_DEPTH), false);
    assert.equal(exceedsDepth(nested(MAX_ACTIVITY_DEPTH + 1), MAX_ACTIVITY_DEPTH), true);
    assert.equal(refusal(activity({ value: nested(5_000) })), `nested deeper than ${MAX_ACTIVITY_DEPTH}`);
    assert.ok(parseInboundActivity(activity({ value: nested(MAX_ACTIVITY_DEPTH - 1) }), 'guid').ok);
  });
});
