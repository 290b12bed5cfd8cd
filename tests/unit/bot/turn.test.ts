import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { createRoutes } from '../../../bot/app';
import { COMMAND_TABLE } from '../../../bot/commands/table';
import { createTurnHandler } from '../../../bot/turn';
import { createAuditLog } from '../../../services/audit/audit-log';
import { createMembershipResolver } from '../../../services/authz/membership';
import { CodedError } from '../../../services/errors';
import type { UserRef } from '../../../services/ids';
import type { UserProfileInput } from '../../../services/identity/user-summary';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger } from '../../fakes/recording-logger';
import { visibleLines } from '../../support/cards';
import { edgeDeps } from '../../support/edge-deps';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OP = 'aaaaaaaa-0000-4000-8000-000000000001';
const APPROVER = 'aaaaaaaa-0000-4000-8000-000000000002';
const EVE = 'aaaaaaaa-0000-4000-8000-0000000000ee';
const OPS = 'ops-group';
const APP = 'approvers-group';

function setup(callerRatePerMinute = 30) {
  const graphCalls: string[] = [];
  const clock = new ManualClock();
  const storage = createMemoryStorage();
  const audit = createAuditLog(storage, clock);
  const logger = createRecordingLogger();
  const membership = createMembershipResolver({
    clock,
    operatorsGroupId: OPS,
    approversGroupId: APP,
    port: {
      checkMemberGroups: (userId) => {
        graphCalls.push(`checkMemberGroups:${userId}`);
        return Promise.resolve(userId === OP ? [OPS] : userId === APPROVER ? [APP] : []);
      },
    },
  });
  const profiles = {
    readUserProfile: (ref: UserRef): Promise<UserProfileInput> => {
      graphCalls.push(`profile:${ref.kind === 'upn' ? ref.upn : ref.id}`);
      if (ref.kind === 'upn' && ref.upn === 'ghost@example.com') {
        return Promise.reject(new CodedError('user_not_found', 'no user', { requestId: 'r-1' }));
      }
      if (ref.kind === 'upn' && ref.upn === 'boom@example.com') return Promise.reject(new Error('secret stack detail'));
      if (ref.kind === 'upn' && ref.upn === 'shape@example.com')
        return Promise.reject(
          new CodedError('unexpected_response', 'secret stack detail: no id', { requestId: 'r-2' }),
        );
      if (ref.kind === 'upn' && ref.upn === 'bug@example.com')
        return Promise.reject(new CodedError('internal', 'secret stack detail: duplicate batch id'));
      return Promise.resolve({
        user: {
          id: 'u-1',
          userPrincipalName: ref.kind === 'upn' ? ref.upn : 'x@example.com',
          displayName: 'Upn Test',
          accountEnabled: true,
        },
        directoryRoles: [],
        licenses: [],
      });
    },
  };
  const edge = edgeDeps({ storage, audit, clock, logger, callerRatePerMinute });
  const handler = createTurnHandler({
    ...edge,
    idShape: 'guid',
    allowedTenantId: TENANT,
    routes: createRoutes({ mode: 'tenant', profiles }),
    membership,
    audit,
    clock,
    logger,
  });
  // TestAdapter's template overrides every field of a sent activity, so defaults are filled in by teams() instead.
  const adapter = new TestAdapter(handler);
  return { adapter, graphCalls, audit, logger, edge, clock };
}

function teams(activity: Partial<Activity>): Partial<Activity> {
  return {
    channelId: 'msteams',
    channelData: { tenant: { id: TENANT } },
    from: { id: 'user-id-0', name: 'Op', aadObjectId: OP },
    conversation: { id: 'conv-1', tenantId: TENANT } as Activity['conversation'],
    ...activity,
  };
}

function message(text: string, overrides: Partial<Activity> = {}): Partial<Activity> {
  return teams({ type: 'message', text, ...overrides });
}

function cardOf(activity: Partial<Activity>): Record<string, unknown> {
  const content = activity.attachments?.[0]?.content as Record<string, unknown> | undefined;
  assert.ok(content, 'expected a card attachment');
  return content;
}

describe('bot/turn', () => {
  it('answers help with the command card', async () => {
    const { adapter } = setup();
    await adapter.send(message('help')).assertReply((reply) => {
      const card = JSON.stringify(cardOf(reply));
      assert.match(card, /user <upn>/);
      assert.match(card, /SecOps Bot commands/);
    });
  });

  it('help lists every command of the table in its order, each with its usage and summary', async () => {
    const { adapter } = setup();
    await adapter.send(message('help')).assertReply((reply) => {
      const lines = visibleLines(cardOf(reply));
      const usages = lines.filter((line) => COMMAND_TABLE.some((c) => c.usage === line));
      assert.deepEqual(
        usages,
        COMMAND_TABLE.map((c) => c.usage),
      );
      for (const c of COMMAND_TABLE)
        assert.ok(
          lines.some((line) => line.startsWith(c.summary.slice(0, 150))),
          `help shows the summary of ${c.name}`,
        );
    });
  });

  it('strips the bot mention in group chats and runs user', async () => {
    const { adapter, graphCalls, audit } = setup();
    await adapter.send(message('<at>Test Bot</at> USER upntest@example.net')).assertReply((reply) => {
      assert.match(JSON.stringify(cardOf(reply)), /upntest@example\.net/);
    });
    assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`, 'profile:upntest@example.net']);
    const records = await audit.list();
    assert.equal(records.length, 1);
    assert.equal(records[0]?.action, 'command:user');
    assert.equal(records[0]?.target, 'upntest@example.net');
    assert.equal(records[0]?.actor.aadObjectId, OP);
  });

  for (const [name, overrides] of [
    ['another tenant', { channelData: { tenant: { id: 'other-tenant' } } }],
    ['no tenant', { channelData: {} }],
    ['another channel', { channelId: 'webchat' }],
  ] as const) {
    it(`drops an activity from ${name}: no reply, no Graph call, a log line`, async () => {
      const { adapter, graphCalls, logger } = setup();
      await adapter.send(message('user alice@example.com', overrides)).startTest();
      assert.equal(adapter.activeQueue.length, 0);
      assert.deepEqual(graphCalls, []);
      assert.ok(logger.lines.some((l) => l.msg === 'activity dropped'));
    });
  }

  it('gives a non-operator one short reply, audits it, and calls nothing but the membership check', async () => {
    const { adapter, graphCalls, audit, edge } = setup();
    await adapter
      .send(message('user alice@example.com', { from: { id: 'u', name: 'Eve', aadObjectId: EVE } }))
      .assertReply((reply) => assert.match(reply.text ?? '', /not in the bot's operators group/));
    assert.equal(adapter.activeQueue.length, 0);
    assert.deepEqual(graphCalls, [`checkMemberGroups:${EVE}`]);
    assert.deepEqual(await audit.list(), [], 'counted, written once per minute');
    await edge.guards.drops.flush();
    const [record] = await audit.list();
    assert.equal(record?.action, 'drop:not_operator');
    assert.equal(record?.details?.count, 1);
    assert.match(String(record?.details?.samples), new RegExp(`${EVE} command:user`));
  });

  it('takes an upper-case Entra id as the same caller in canonical (lower-case) form', async () => {
    const { adapter, graphCalls, audit } = setup();
    await adapter
      .send(message('user upntest@example.net', { from: { id: 'u', name: 'Op', aadObjectId: OP.toUpperCase() } }))
      .assertReply((reply) => assert.match(JSON.stringify(cardOf(reply)), /upntest@example\.net/));
    assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`, 'profile:upntest@example.net']);
    assert.equal((await audit.list())[0]?.actor.aadObjectId, OP);
  });

  it('refuses a UPN where the Entra object id belongs (tenant mode), without a membership check', async () => {
    const { adapter, graphCalls, edge, audit } = setup();
    await adapter.send(message('help', { from: { id: 'u', name: 'Op', aadObjectId: 'op@example.com' } })).startTest();
    assert.equal(adapter.activeQueue.length, 0);
    assert.deepEqual(graphCalls, []);
    await edge.guards.drops.flush();
    assert.equal((await audit.list())[0]?.action, 'drop:invalid_activity');
  });

  it('answers the 31st command of a caller within a minute with when to retry, before any Graph call', async () => {
    const { adapter, graphCalls, clock, edge, audit } = setup(30);
    for (let i = 0; i < 30; i += 1) {
      await adapter.send(message('help')).assertReply(() => undefined);
      clock.advance(1_000);
    }
    const calls = graphCalls.length;
    await adapter
      .send(message('user upntest@example.net'))
      .assertReply((reply) =>
        assert.equal(
          reply.text,
          'That is more commands in a minute than the bot takes from one person. Try again in 30 s.',
        ),
      );
    assert.equal(graphCalls.length, calls, 'no membership check, no Graph read');
    await adapter
      .send(message('help', { from: { id: 'u2', name: 'Other', aadObjectId: APPROVER } }))
      .assertReply((reply) => assert.match(reply.text ?? '', /operators group/));
    await edge.guards.drops.flush();
    const actions = (await audit.list()).map((r) => r.action);
    assert.ok(actions.includes('drop:rate_limited'));
    assert.equal(actions.filter((a) => a === 'command:user').length, 0);
  });

  it('refuses a caller without an Entra object id', async () => {
    const { adapter, graphCalls } = setup();
    await adapter
      .send(message('help', { from: { id: 'u', name: 'Anon' } }))
      .assertReply((reply) => assert.match(reply.text ?? '', /operators group/));
    assert.deepEqual(graphCalls, []);
  });

  const badInputs: [string, RegExp][] = [
    // A word that is not a UPN reads as a name (bot/phrases); this bot has no directory search to resolve it.
    ['user foo', /"user" for "foo", but this bot cannot look names up: give the UPN\. Usage: user <upn>/],
    [`user ${'x'.repeat(300)}`, /is not a user: a user principal name has at most 113 characters/],
    ['user', /Which user\? Usage: user <upn>/],
    ['user a@b.com c@d.com', /Expected one user/],
  ];
  for (const [text, expected] of badInputs) {
    it(`explains bad input: ${text.slice(0, 30)}`, async () => {
      const { adapter, graphCalls } = setup();
      await adapter.send(message(text)).assertReply((reply) => {
        assert.match(reply.text ?? '', expected);
        assert.equal(reply.textFormat, 'plain');
        assert.ok((reply.text ?? '').length < 300, 'the reply must not echo a huge input');
      });
      assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`]);
    });
  }

  it("passes o'brien@x through to Graph as a valid UPN", async () => {
    const { adapter, graphCalls } = setup();
    await adapter.send(message("user o'brien@x")).assertReply(() => undefined);
    assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`, "profile:o'brien@x"]);
  });

  it('says clearly when the user does not exist', async () => {
    const { adapter } = setup();
    await adapter
      .send(message('user ghost@example.com'))
      .assertReply((reply) => assert.match(reply.text ?? '', /No such user/));
  });

  for (const [who, what] of [
    ['boom', 'an unexpected error'],
    ['shape', 'an answer the bot cannot read (unexpected_response)'],
    ['bug', 'a fault of the bot (internal)'],
  ]) {
    it(`hides ${what} behind a reference that is in the log`, async () => {
      const { adapter, logger } = setup();
      let ref = '';
      await adapter.send(message(`user ${who}@example.com`)).assertReply((reply) => {
        assert.doesNotMatch(reply.text ?? '', /secret stack detail/);
        assert.match(reply.text ?? '', /went wrong inside the bot/);
        ref = /ref ([0-9a-f]+)/.exec(reply.text ?? '')?.[1] ?? '';
      });
      assert.ok(ref);
      const line = logger.lines.find((l) => l.level === 'error' && l.fields.ref === ref);
      assert.ok(line, 'an error line carries the reference');
      assert.match(`${line.msg} ${String(line.fields.err)}`, /secret stack detail/);
    });
  }

  it('suggests the closest command for a typo', async () => {
    const { adapter } = setup();
    await adapter
      .send(message('usr alice@example.com'))
      .assertReply((reply) => assert.match(reply.text ?? '', /Did you mean "user"/));
  });

  it('a command whose service is not configured says so (and help marks it), running nothing', async () => {
    const { adapter, graphCalls, audit } = setup();
    await adapter
      .send(message('mfa alice@example.com'))
      .assertReply((reply) =>
        assert.equal(reply.text, '"mfa" is not available in this bot: the MFA check is not configured.'),
      );
    assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`]);
    assert.deepEqual(await audit.list(), []);
    await adapter.send(message('help')).assertReply((reply) => {
      const lines = visibleLines(cardOf(reply));
      assert.ok(lines.some((l) => /^Is MFA usable\?.* \(not available in this bot\)$/.test(l)));
      assert.ok(!lines.some((l) => /^Enabled, cloud or synced.*not available/.test(l)));
    });
  });

  it('a button whose service is not configured says so', async () => {
    const { adapter } = setup();
    const data = { requestId: '6f1c2a9e-0000-4000-8000-000000000001', hash: 'a'.repeat(64) };
    const from = { id: 'user-id-1', name: 'Approver', aadObjectId: APPROVER };
    await adapter
      .send(teams({ type: 'message', from, value: { verb: 'approval.approve', ...data } }))
      .assertReply((reply) =>
        assert.match(reply.text ?? '', /That button is not available in this bot: response actions/),
      );
  });

  it('a command outside the conversations it runs in says where it works', async () => {
    const { adapter, audit } = setup();
    const personal = { id: 'conv-1', tenantId: TENANT, conversationType: 'personal' } as Activity['conversation'];
    await adapter
      .send(message('alerts status', { conversation: personal }))
      .assertReply((reply) => assert.equal(reply.text, '"alerts" works only in a team channel.'));
    assert.deepEqual(await audit.list(), []);
  });

  it('runs a command from a card button (Action.Submit) with the same checks', async () => {
    const { adapter, graphCalls } = setup();
    await adapter
      .send(teams({ type: 'message', value: { verb: 'command.run', command: 'user', args: 'upntest@example.net' } }))
      .assertReply((reply) => assert.match(JSON.stringify(cardOf(reply)), /upntest@example\.net/));
    assert.deepEqual(graphCalls, [`checkMemberGroups:${OP}`, 'profile:upntest@example.net']);
  });

  it('answers an Action.Execute invoke and posts the result', async () => {
    const { adapter } = setup();
    const replies: Partial<Activity>[] = [];
    await adapter
      .send(
        teams({
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'command.run', data: { command: 'help', args: '' } } },
        }),
      )
      .assertReply((r) => void replies.push(r))
      .assertReply((r) => void replies.push(r));
    assert.ok(replies[0]?.attachments?.length);
    assert.equal(replies[1]?.type, 'invokeResponse');
  });
});

describe('bot/turn conversation events', () => {
  it('passes installation updates to event routes with the conversation and whether the bot is present', async () => {
    const seen: { activityType: string; botPresent: boolean | null; conversationId: string }[] = [];
    const routes = createRoutes({
      mode: 'tenant',
      profiles: { readUserProfile: () => Promise.reject(new Error('unused')) },
    });
    const clock = new ManualClock();
    const audit = createAuditLog(createMemoryStorage(), clock);
    const handler = createTurnHandler({
      ...edgeDeps({ audit, clock }),
      idShape: 'guid',
      allowedTenantId: TENANT,
      routes: {
        ...routes,
        events: [
          {
            name: 'record',
            handle: (e) => {
              seen.push({
                activityType: e.activityType,
                botPresent: e.botPresent,
                conversationId: e.conversation.conversationId,
              });
              return Promise.resolve();
            },
          },
        ],
      },
      membership: {
        rolesOf: () => Promise.reject(new Error('no membership check for events')),
        forget: () => undefined,
      },
      audit,
      clock,
      logger: createRecordingLogger(),
    });
    const adapter = new TestAdapter(handler);
    const base = {
      channelId: 'msteams',
      channelData: { tenant: { id: TENANT } },
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      from: { id: 'user-id-0' },
      conversation: { id: 'conv-9' },
    } as Partial<Activity>;
    await adapter.send({ ...base, type: 'installationUpdate', action: 'add' }).startTest();
    await adapter.send({ ...base, type: 'installationUpdate', action: 'remove' }).startTest();
    await adapter
      .send({ ...base, type: 'installationUpdate', action: 'add', channelData: { tenant: { id: 'evil' } } })
      .startTest();
    assert.deepEqual(seen, [
      { activityType: 'installationUpdate', botPresent: true, conversationId: 'conv-9' },
      { activityType: 'installationUpdate', botPresent: false, conversationId: 'conv-9' },
    ]);
  });
});
