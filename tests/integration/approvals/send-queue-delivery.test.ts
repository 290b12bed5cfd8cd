import assert from 'node:assert/strict';
import { createApprovalNotifier } from '../../../bot/actions/approval-notifier';
import { createSecretChannel } from '../../../bot/actions/secret-channel';
import { createBotAuthentication } from '../../../bot/auth';
import { loadConfig } from '../../../bot/config';
import { createLogger } from '../../../bot/log';
import { createBotServer } from '../../../bot/server';
import { conversationRefOf } from '../../../bot/proactive/conversation-ref';
import { createProactiveAdapter } from '../../../bot/proactive/proactive-adapter';
import { createMessenger } from '../../../bot/proactive/messenger';
import { createSendQueue } from '../../../bot/proactive/send-queue';
import { DEMO_TENANT_ID } from '../../../demo/constants';
import { createApprovalStore } from '../../../services/approvals/approval-store';
import { executeRequest } from '../../../services/approvals/executor';
import type { PlannedStep } from '../../../services/approvals/types';
import { silentLogger } from '../../../services/log';
import type { ConversationRef } from '../../../services/messaging/port';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { SkippingClock } from '../../fakes/manual-clock';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { fakeTenant, policy, record } from '../../unit/services/approvals/fakes';

/** The bot's outbound path as main.ts builds it: the server's CloudAdapter → messenger → the one send queue. */
function outbound(connector: FakeConnector) {
  const config = loadConfig({ SECBOT_MODE: 'demo' });
  // The real server's adapter, turn-error handler included (it must not hide the connector's status).
  const { adapter } = createBotServer({
    config,
    logger: createLogger('silent'),
    auth: createBotAuthentication(config),
    onTurn: () => Promise.resolve(),
    readiness: () => Promise.resolve({}),
  });
  const clock = new SkippingClock();
  const queue = createSendQueue({
    messenger: createMessenger({
      adapter: createProactiveAdapter(adapter),
      appId: config.bot.appId,
      allowedTenantId: DEMO_TENANT_ID,
      allowedServiceUrlHosts: ['127.0.0.1'],
      allowLoopbackHttp: true, // demo mode: the fake connector is plain http on loopback
      logger: silentLogger,
    }),
    clock,
    logger: silentLogger,
    random: () => 0.5,
  });
  const personal: ConversationRef = conversationRefOf({
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    from: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: 'requester' },
    recipient: { id: 'bot', name: 'SecOps Bot' },
    conversation: {
      id: 'personal-alex',
      conversationType: 'personal',
      tenantId: DEMO_TENANT_ID,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  });
  return { queue, clock, personal };
}

const posts = (connector: FakeConnector): { status: number; text: string }[] =>
  connector.requests
    .filter((r) => r.method === 'POST')
    .map((r) => ({ status: r.status, text: JSON.stringify(r.body) }));

// Issue 10 item 3: cards, card updates and one-time secrets go through the retrying per-thread queue.
describe('integration: secrets and approval cards go through the retrying send queue (fake connector)', () => {
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = await startFakeConnector();
  });
  afterEach(() => connector.close());

  async function run(steps: PlannedStep[], failAtWrite: (c: FakeConnector) => void) {
    const { queue, clock, personal } = outbound(connector);
    const store = createApprovalStore(createMemoryStorage());
    await store.rememberPersonalChat('requester', personal);
    const base = fakeTenant();
    let failed = false;
    const out = await executeRequest(
      record(steps, { requester: { aadObjectId: 'requester', name: 'Alex Wilber' } }),
      {
        tenant: base.tenant,
        secrets: createSecretChannel({ store, messenger: queue.messenger, logger: silentLogger }),
        policy,
        clock,
        generatePassword: () => 'Temp-Pass-4821!',
      },
      {
        // Just before the Graph write, after the notice reached the chat: the secret's own post is the one that fails.
        fence: () => {
          if (!failed) failAtWrite(connector);
          failed = true;
          return Promise.resolve();
        },
        persist: () => Promise.resolve(),
      },
    );
    return { out, clock, base };
  }

  it('a 429 with Retry-After while delivering a temporary password is retried; the password arrives once', async () => {
    const { out, clock } = await run([{ kind: 'reset-password' }], (c) => c.failSends(2, 429, 3));
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'delivered']);
    const sent = posts(connector);
    assert.deepEqual(
      sent.map((p) => p.status),
      [200, 429, 429, 200],
    );
    assert.match(sent[0]?.text ?? '', /will be shown here, once/);
    for (const p of sent.slice(1)) assert.match(p.text, /Temp-Pass-4821!/);
    assert.ok(clock.sleeps.filter((ms) => ms >= 3_000).length >= 2, `waits ${clock.sleeps.join(',')}`);
  });

  for (const status of [502, 503]) {
    it(`a ${status} while delivering a TAP is retried with backoff and the TAP is delivered`, async () => {
      const { out } = await run([{ kind: 'tap' }], (c) => c.failSends(1, status));
      assert.deepEqual(out.results[0]?.reasons, ['applied', 'delivered']);
      assert.deepEqual(
        posts(connector).map((p) => p.status),
        [200, status, 200],
      );
    });
  }

  it('only a failure that outlasts the retries ends in "ask again": nothing kept, the step is not ok', async () => {
    const { out, base } = await run([{ kind: 'reset-password' }], (c) => c.failSends(4, 503));
    assert.deepEqual(base.writes, ['password=Temp-Pass-4821!']);
    assert.equal(out.results[0]?.ok, false);
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'delivery-failed']);
    assert.deepEqual(
      posts(connector).map((p) => p.status),
      [200, 503, 503, 503, 503],
    );
  });

  it('a 500 is not retried (the docs: only 412/429/502/503/504)', async () => {
    const { out } = await run([{ kind: 'tap' }], (c) => c.failSends(1, 500));
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'delivery-failed']);
    assert.equal(posts(connector).length, 2);
  });

  it('an approval card update throttled with 429 is retried after the Retry-After', async () => {
    const { queue, clock, personal } = outbound(connector);
    const notifier = createApprovalNotifier({ messenger: queue.messenger, clock });
    connector.failSends(1, 429, 2);
    await notifier.updated(
      record([{ kind: 'revoke' }], { state: 'done', card: { conversation: personal, activityId: 'card-1' } }),
    );
    const updates = connector.requests.filter((r) => r.method === 'PUT');
    assert.deepEqual(
      updates.map((u) => u.status),
      [429, 200],
    );
    assert.match(updates[0]?.path ?? '', /activities\/card-1/);
    assert.ok(clock.sleeps.some((ms) => ms >= 2_000));
  });
});
