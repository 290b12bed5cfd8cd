import assert from 'node:assert/strict';
import { MAX_ACTIVITY_DEPTH } from '../../../bot/middleware/inbound-activity';
import { ManualClock } from '../../fakes/manual-clock';
import { connectorBodies, startBotHarness, USERS, type BotHarness } from './bot-harness';

const REVOKE = 'revoke risky@example.com reported phishing';

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

/** Every malformed shape from issue 10 item 13, as it reached the bot over HTTP. */
const BAD: { name: string; edit: (a: Record<string, unknown>) => Record<string, unknown> }[] = [
  { name: 'from.name a number', edit: (a) => ({ ...a, from: { ...(a.from as object), name: 42 } }) },
  { name: 'from.name an object', edit: (a) => ({ ...a, from: { ...(a.from as object), name: { first: 'Al' } } }) },
  { name: 'from.name an array', edit: (a) => ({ ...a, from: { ...(a.from as object), name: ['Al', 'ex'] } }) },
  { name: 'from.aadObjectId a number', edit: (a) => ({ ...a, from: { ...(a.from as object), aadObjectId: 7 } }) },
  {
    name: 'from.aadObjectId a UPN',
    edit: (a) => ({ ...a, from: { ...(a.from as object), aadObjectId: USERS.alex.upn } }),
  },
  { name: 'no conversation', edit: ({ conversation: _c, ...rest }) => rest },
  { name: 'no serviceUrl', edit: ({ serviceUrl: _s, ...rest }) => rest },
  { name: 'serviceUrl not a URL', edit: (a) => ({ ...a, serviceUrl: 'javascript:alert(1)' }) },
  { name: 'text not a string', edit: (a) => ({ ...a, text: { rich: true } }) },
  { name: 'membersAdded not an array', edit: (a) => ({ ...a, membersAdded: { id: 'x' } }) },
  {
    name: `${MAX_ACTIVITY_DEPTH + 1} levels of nesting in value`,
    edit: (a) => ({ ...a, value: nested(MAX_ACTIVITY_DEPTH + 1) }),
  },
  { name: 'a message without an id', edit: ({ id: _i, ...rest }) => rest },
  { name: 'deliveryMode expectReplies', edit: (a) => ({ ...a, deliveryMode: 'expectReplies' }) },
];

// issue 10 item 13 and §8 row 8: parsed once at the edge; what fails is a 400 and an audit record, never a 500.
describe('integration: inbound activities are validated at the edge (real HTTP)', function () {
  this.timeout(20_000);
  let h: BotHarness;
  before(async () => {
    // A fixed clock for the guards: the per-minute drop records must not be split by a real minute boundary.
    h = await startBotHarness({ guardsClock: new ManualClock() });
    assert.equal((await h.post(h.activity('alex', { text: 'approvals here' }, 'group'))).status, 200);
  });
  after(async () => {
    await h.close();
  });

  for (const { name, edit } of BAD) {
    it(`${name}: 400 with a generic body, nothing stored, audited`, async () => {
      const graphBefore = h.tenant.stats().requests;
      const auditBefore = (await h.audit.list()).length;
      const answer = await h.post(edit(h.activity('alex', { text: REVOKE })));
      assert.equal(answer.status, 400, answer.text);
      assert.deepEqual(Object.keys(JSON.parse(answer.text) as object).sort(), ['error', 'ref']);
      assert.equal((await h.approvals.routeDeps.service.pending()).length, 0, 'no request stored');
      assert.equal(h.tenant.stats().requests, graphBefore, 'no Graph call');
      await h.guards.drops.flush();
      const records = (await h.audit.list()).slice(auditBefore);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.action, 'drop:invalid_activity');
      assert.equal(records[0]?.details?.count, 1);
    });
  }

  it('5,000 levels of nesting: 400, not a stack overflow', async () => {
    const activity = JSON.stringify(h.activity('alex', { text: REVOKE }));
    const deep = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    const answer = await h.post(`${activity.slice(0, -1)},"deep":${deep}}`);
    assert.equal(answer.status, 400);
    assert.equal((await h.approvals.routeDeps.service.pending()).length, 0);
    await h.guards.drops.flush();
    assert.equal((await h.audit.list()).at(-1)?.action, 'drop:invalid_activity');
  });

  it('after all that, approvals still work for everyone', async () => {
    assert.equal((await h.post(h.activity('alex', { text: REVOKE }))).status, 200);
    assert.equal((await h.approvals.routeDeps.service.pending()).length, 1);
    const list = await h.post(h.activity('alex', { text: 'approvals' }));
    assert.equal(list.status, 200);
    assert.ok(connectorBodies(h.connector).some((b) => b.includes('Open approval requests (1)')));
  });

  const foreign = '9f8e7d6c-0000-4000-8000-000000000bad';
  const drops: { name: string; fields: Record<string, unknown>; reason: string }[] = [
    {
      name: 'channelData.tenant of another tenant',
      fields: { channelData: { tenant: { id: foreign } } },
      reason: 'wrong_tenant',
    },
    {
      name: 'conversation.tenantId of another tenant (channelData ours)',
      fields: { conversation: { id: 'personal-user-id-0', tenantId: foreign } },
      reason: 'wrong_tenant',
    },
    { name: 'no channelData.tenant', fields: { channelData: {} }, reason: 'no_tenant' },
    { name: 'a non-Teams channel', fields: { channelId: 'webchat' }, reason: 'wrong_channel' },
  ];
  for (const { name, fields, reason } of drops) {
    it(`row 8: ${name} → dropped before any handler, no Graph call, no reply, one audit record per minute`, async () => {
      const graphBefore = h.tenant.stats().requests;
      const sentBefore = h.connector.requests.length;
      const auditBefore = (await h.audit.list()).length;
      for (let i = 0; i < 3; i += 1) {
        const answer = await h.post(h.activity('alex', { text: 'user alexw@example.com', ...fields }));
        assert.equal(answer.status, 200);
      }
      const invoke = await h.post(
        h.activity('alex', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'command.run', data: { command: 'help', args: '' } } },
          ...fields,
        }),
      );
      // item 16: a refused invoke answers with its own status and reason, not 501 internal_error.
      assert.equal(invoke.status, 403);
      assert.match(invoke.text, /serves only its own tenant/);
      assert.equal(h.tenant.stats().requests, graphBefore);
      assert.equal(h.connector.requests.length, sentBefore);
      await h.guards.drops.flush();
      const records = (await h.audit.list()).slice(auditBefore);
      assert.deepEqual(
        records.map((r) => [r.action, r.details?.count]),
        [[`drop:${reason}`, 4]],
      );
    });
  }

  it('item 16: an invoke of a kind the bot does not handle answers 404 with its reason', async () => {
    const answer = await h.post(h.activity('alex', { type: 'invoke', name: 'composeExtension/query', value: {} }));
    assert.equal(answer.status, 404);
    assert.match(answer.text, /does not handle that kind of request/);
  });
});
