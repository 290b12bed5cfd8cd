import assert from 'node:assert/strict';
import { createAlertRuntime } from '../../../bot/proactive/alert-runtime';
import { loadConfig, type Config } from '../../../bot/config';
import { DEMO_GRAPH_TOKEN, DEMO_WATCHED_MAILBOX, PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import type { SendOutcome } from '../../../services/alerts/ports';
import { POLLER_LEASE_KEY } from '../../../services/alerts/poller';
import { DELIVERY_LEASE_KEY } from '../../../services/alerts/delivery';
import { createAuditLog } from '../../../services/audit/audit-log';
import { systemClock } from '../../../services/clock';
import { createGraphClient } from '../../../services/graph/client';
import { createUserResolver } from '../../../services/graph/user-resolver';
import type { AuditEvidenceSource } from '../../../services/identity/audit-evidence';
import type { ReportEvidence } from '../../../services/identity/mfa-report/evidence';
import { createPersonalChats } from '../../../services/messaging/personal-chats';
import type { ConversationRef, OutgoingMessage } from '../../../services/messaging/port';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger, type RecordingLogger } from '../../fakes/recording-logger';
import { createRecordingMessenger, type RecordingMessenger } from '../../support/recording-messenger';

// The alert pipeline as bot/main.ts builds it (bot/proactive/alert-runtime.ts), in this process: the demo tenant over
// HTTP, the real poller, delivery and "was this you?" loops on a manual clock, a recording sender for the channel and
// a recording messenger for the user's chat.

const POLL_SECONDS = 60;
const CHANNEL: ConversationRef = {
  conversationId: '19:alerts@thread.tacv2',
  conversationType: 'channel',
  tenantId: 't1',
  channelId: '19:alerts@thread.tacv2',
  serviceUrl: 'http://127.0.0.1:56150/',
  reference: {
    bot: { id: 'bot-1', name: 'SecOps' },
    conversation: { id: '19:alerts@thread.tacv2', conversationType: 'channel' },
    serviceUrl: 'http://127.0.0.1:56150/',
    channelId: 'msteams',
    activityId: 'a-channel-message',
  },
};

interface Harness {
  runtime: ReturnType<typeof createAlertRuntime>;
  clock: ManualClock;
  storage: Storage;
  logger: RecordingLogger;
  posts: { to: ConversationRef; message: OutgoingMessage }[];
  chat: RecordingMessenger;
  graphEvidenceCalls: number;
  reportFallbackCalls: number;
  stop(): Promise<void>;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cardText = (m: { message: OutgoingMessage } | undefined): string => JSON.stringify(m?.message.card ?? null);

describe('bot/proactive/alert-runtime: the alert pipeline as the bot wires it (demo tenant over HTTP)', function () {
  this.timeout(30_000);
  let demo: DemoTenant;
  const running: Harness[] = [];

  beforeEach(async () => {
    demo = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
  });
  afterEach(async () => {
    for (const h of running.splice(0)) await h.stop();
    await demo.close();
  });

  function build(
    options: {
      env?: Record<string, string>;
      confirm?: boolean;
      storage?: Storage;
      clock?: ManualClock;
      edit?: (c: Config) => Config;
    } = {},
  ): Harness {
    const base = loadConfig({
      SECBOT_MODE: 'demo',
      PORT: '0',
      GRAPH_BASE_URL: demo.url,
      ALERT_POLL_SECONDS: String(POLL_SECONDS),
      ...options.env,
    });
    const config = options.edit ? options.edit(base) : base;
    const clock = options.clock ?? new ManualClock(Date.now());
    const storage = options.storage ?? createMemoryStorage();
    const logger = createRecordingLogger();
    const graph = createGraphClient({ baseUrl: demo.url, credential: base.graph.credential });
    const posts: Harness['posts'] = [];
    const chat = createRecordingMessenger();
    const h: Harness = {
      clock,
      storage,
      logger,
      posts,
      chat,
      graphEvidenceCalls: 0,
      reportFallbackCalls: 0,
      runtime: undefined as never,
      async stop() {
        await h.runtime.poller.stop();
        await h.runtime.delivery.stop();
        await h.runtime.confirmations?.stop();
      },
    };
    const graphEvidence: AuditEvidenceSource = {
      securityInfoEvents: (_user, since) => {
        h.graphEvidenceCalls++;
        return Promise.resolve({ events: [], coveredFrom: since });
      },
    };
    h.runtime = createAlertRuntime({
      config,
      storage,
      graph,
      users: createUserResolver({ client: graph, clock: systemClock }),
      clock,
      logger,
      sender: {
        send(to, message): Promise<SendOutcome> {
          posts.push({ to, message });
          return Promise.resolve({ kind: 'sent', activityId: `channel-${posts.length}` });
        },
      },
      graphEvidence,
      ...(options.confirm === false
        ? {}
        : {
            confirm: {
              messenger: chat,
              audit: createAuditLog(storage, systemClock),
              personalChats: createPersonalChats(storage),
            },
          }),
    });
    running.push(h);
    return h;
  }

  it('demo mode: an emitted scenario is polled, delivered to the subscribed channel at once, with no error logged', async () => {
    const h = build({ confirm: false });
    assert.equal(
      (await h.runtime.routeDeps.service.subscribe(CHANNEL, 'Alex Wilber')).kind,
      'subscribed',
      'the service allows the demo connector host',
    );
    assert.ok(h.runtime.routeDeps.emitter, 'demo mode can emit scenarios');
    // The emitter authenticates with the demo Graph token (the tenant refuses any other).
    const emitted = await h.runtime.routeDeps.emitter.emit('risky-user');
    assert.equal(emitted.scenario, 'risky-user');
    h.runtime.start();
    // Delivery runs on the poller's signal, not on its own tick: the manual clock never moves here.
    await until('the risky-user alert in the channel', () => h.posts.length > 0);
    assert.equal(h.posts[0]?.to.conversationId, CHANNEL.conversationId);
    assert.match(cardText(h.posts[0]), /risky/i);
    assert.equal(h.runtime.confirmations, undefined, 'no confirmations without their messenger');
    const errors = h.logger.lines.filter((l) => l.level === 'error');
    assert.deepEqual(errors, []);
  });

  it("the watched mailboxes: a new external forwarding rule in DEMO_WATCHED_MAILBOX's inbox is alerted", async () => {
    const h = build({ confirm: false });
    await h.runtime.routeDeps.service.subscribe(CHANNEL, null);
    await h.runtime.routeDeps.emitter?.emit('external-forwarding-rule');
    h.runtime.start();
    await until('the forwarding alert', () => h.posts.some((p) => /forward/i.test(cardText(p))));
    assert.ok(h.posts.some((p) => cardText(p).includes(DEMO_WATCHED_MAILBOX.split('@')[0] ?? '-')));
  });

  it('tenant mode has no emitter; the loops sleep the poll interval and the confirmation tick', async () => {
    const h = build({ edit: (c) => ({ ...c, mode: 'tenant' }) });
    assert.equal(h.runtime.routeDeps.emitter, undefined);
    assert.ok(h.runtime.routeDeps.service);
    h.runtime.start();
    await until('the first poll', async () => (await h.storage.get(POLLER_LEASE_KEY)) !== undefined);
    await until('the three loops waiting', () => h.clock.sleeps.length >= 3);
    const near = (ms: number) => h.clock.sleeps.some((s) => s >= ms * 0.9 && s <= ms * 1.1);
    assert.ok(near(POLL_SECONDS * 1000), `the poller waits its interval: ${h.clock.sleeps.join(', ')}`);
    assert.ok(near(15_000), `confirmations tick every 15 s at most: ${h.clock.sleeps.join(', ')}`);
  });

  it('the leases last three poll intervals (or LEASE_SECONDS when longer) and name this process', async () => {
    const h = build({ confirm: false });
    h.runtime.start();
    await until('both leases', async () => {
      const poller = await h.storage.get(POLLER_LEASE_KEY);
      const delivery = await h.storage.get(DELIVERY_LEASE_KEY);
      return poller !== undefined && delivery !== undefined;
    });
    for (const key of [POLLER_LEASE_KEY, DELIVERY_LEASE_KEY]) {
      const lease = (await h.storage.get<{ owner: string; expiresAt: number }>(key))?.value;
      assert.equal(lease?.expiresAt, h.clock.now() + 3 * POLL_SECONDS * 1000, key);
      assert.match(lease?.owner ?? '', new RegExp(`^${process.pid}-[0-9a-f]{8}$`));
    }
    const longer = build({ confirm: false, env: { LEASE_SECONDS: String(5 * POLL_SECONDS) } });
    longer.runtime.start();
    await until('the lease', async () => (await longer.storage.get(POLLER_LEASE_KEY)) !== undefined);
    const lease = (await longer.storage.get<{ expiresAt: number }>(POLLER_LEASE_KEY))?.value;
    assert.equal(lease?.expiresAt, longer.clock.now() + 5 * POLL_SECONDS * 1000);
  });

  it('two runtimes on one store: one polls, the other is told who leads', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(Date.now());
    const a = build({ confirm: false, storage, clock });
    const b = build({ confirm: false, storage, clock });
    const first = await a.runtime.poller.pollOnce();
    assert.equal(first.kind, 'polled');
    const second = await b.runtime.poller.pollOnce();
    assert.equal(second.kind, 'not-leader');
    assert.ok(second.kind === 'not-leader' && second.holder?.startsWith(`${process.pid}-`));
  });

  it('mfa and report evidence come from the mirror while the last poll is under three intervals old, else Graph', async () => {
    const h = build({ confirm: false });
    const isaiah = PLAYGROUND_USERS[3].aadObjectId;
    assert.equal((await h.runtime.poller.pollOnce()).kind, 'polled');
    const since = new Date(h.clock.now() - 5 * 60_000);
    let reportFallback = 0;
    const fallback: ReportEvidence = {
      open: () => {
        reportFallback++;
        return Promise.reject(new Error('the tenant-wide query'));
      },
    };
    const report = h.runtime.reportEvidence(fallback);

    h.clock.advance(2.9 * POLL_SECONDS * 1000);
    await h.runtime.evidence.securityInfoEvents(isaiah, since);
    assert.equal(h.graphEvidenceCalls, 0, 'fresh mirror: no Graph read');
    assert.equal((await report.open(since)).source, 'mirror');
    assert.equal(reportFallback, 0);

    h.clock.advance(0.2 * POLL_SECONDS * 1000);
    await h.runtime.evidence.securityInfoEvents(isaiah, since);
    assert.equal(h.graphEvidenceCalls, 1, 'stale mirror: Graph answers');
    await assert.rejects(report.open(since), /tenant-wide/);
    assert.equal(reportFallback, 1);
  });

  it('"was this you?": the owner of the new forwarding rule is asked in the chat of the app installed for them', async () => {
    const h = build({ env: { CONFIRM_MINUTES: '45' } });
    assert.ok(h.runtime.confirmations, 'USER_CONFIRMATIONS is on in demo mode');
    await h.runtime.routeDeps.service.subscribe(CHANNEL, null);
    const emitted = await h.runtime.routeDeps.emitter?.emit('external-forwarding-rule');
    h.runtime.start();
    // Asked on the poller's signal (the confirmation loop's own tick never comes: the clock stands still).
    await until('the question', () => h.chat.sent.length > 0);
    const question = h.chat.sent[0];
    assert.equal(question?.to.conversationType, 'personal');
    assert.match(question?.to.conversationId ?? '', /^19:.+@unq\.gbl\.spaces$/);
    // Reached through the alert channel's connector address and the bot's account.
    assert.equal(question?.to.serviceUrl, CHANNEL.serviceUrl);
    assert.deepEqual(question?.to.reference.bot, CHANNEL.reference.bot);
    assert.match(JSON.stringify(question?.message.card), /Was this you\?/);
    assert.ok(
      demo.state.writes.some((w) => w.path.endsWith('/teamwork/installedApps')),
      'the app was installed',
    );
    assert.ok(emitted);
    // CONFIRM_MINUTES reaches the service: the question's deadline is 45 minutes after it was sent.
    let asked: { askedAt?: number; deadline?: number } | undefined;
    await until('the question recorded as asked', async () => {
      const items = await h.storage.list<{ state?: string; askedAt?: number; deadline?: number }>('confirm/item/', {
        limit: 10,
      });
      asked = items.find((i) => i.value.state === 'asked')?.value;
      return asked !== undefined;
    });
    assert.equal((asked?.deadline ?? 0) - (asked?.askedAt ?? 0), 45 * 60_000);
    const errors = h.logger.lines.filter((l) => l.level === 'error');
    assert.deepEqual(errors, []);
  });

  it('"was this you?" without an active alert channel: the user cannot be reached, and the alert says why', async () => {
    const h = build();
    await h.runtime.routeDeps.service.subscribe(CHANNEL, null);
    await h.runtime.routeDeps.service.unsubscribe(CHANNEL);
    await h.runtime.routeDeps.emitter?.emit('external-forwarding-rule');
    h.runtime.start();
    let reason = '';
    await until('the confirmation to give up', async () => {
      const open = await h.storage.list<{ state?: string; reason?: string }>('confirm/item/', { limit: 10 });
      const c = open.find((i) => i.value.state === 'unreachable');
      reason = c?.value.reason ?? '';
      return c !== undefined;
    });
    assert.match(reason, /no conversation in the tenant/);
    assert.equal(h.chat.sent.length, 0);
  });

  it('USER_CONFIRMATIONS off: no confirmations even with their messenger; start() still runs the pipeline', async () => {
    const h = build({ env: { USER_CONFIRMATIONS: 'false' } });
    assert.equal(h.runtime.confirmations, undefined);
    await h.runtime.routeDeps.service.subscribe(CHANNEL, null);
    await h.runtime.routeDeps.emitter?.emit('external-forwarding-rule');
    h.runtime.start();
    await until('the forwarding alert', () => h.posts.length > 0);
    assert.equal(h.chat.sent.length, 0);
    assert.deepEqual(
      h.logger.lines.filter((l) => l.level === 'error'),
      [],
    );
  });
});
