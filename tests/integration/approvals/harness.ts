import { TestAdapter, type Activity } from 'botbuilder';
import { createRoutes } from '../../../bot/app';
import type { ApprovalRouteDeps } from '../../../bot/actions/approval-deps';
import { createApprovalNotifier } from '../../../bot/actions/approval-notifier';
import { createSecretChannel } from '../../../bot/actions/secret-channel';
import { createTurnHandler } from '../../../bot/turn';
import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_GRAPH_TOKEN,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_PROTECTED_GROUP_ID,
  DEMO_TENANT_ID,
  PLAYGROUND_USERS,
} from '../../../demo/constants';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../../demo/server';
import { createApprovalService, type ApprovalService } from '../../../services/approvals/approval-service';
import { createApprovalStore } from '../../../services/approvals/approval-store';
import { createGraphPersistence } from '../../../services/approvals/graph-persistence';
import { createGraphTenant } from '../../../services/approvals/graph-tenant';
import type {
  FlaggedPersistenceSource,
  MailboxDelegatePort,
  MobileDevicePort,
} from '../../../services/approvals/ports';
import { createApprovalWorker, type ApprovalWorker } from '../../../services/approvals/worker';
import { createAuditLog, type AuditLog } from '../../../services/audit/audit-log';
import { createMembershipResolver } from '../../../services/authz/membership';
import { checkMemberGroups, createGraphClient, readUserProfile } from '../../../services/graph';
import type { ConversationRef } from '../../../services/messaging/port';
import { createMemoryStorage, createMemoryStore, type MemoryStore } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import type { Telemetry } from '../../../services/telemetry/port';
import { createGatedStorage, type GatedStorage } from '../../fakes/gated-storage';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger, type RecordingLogger } from '../../fakes/recording-logger';
import { createRecordingMessenger, type RecordingMessenger } from '../../support/recording-messenger';
import { edgeDeps } from '../../support/edge-deps';
import { visibleLines } from '../../support/cards';

export { createRecordingMessenger, type RecordingMessenger };

export const USERS = {
  alex: PLAYGROUND_USERS[0],
  megan: PLAYGROUND_USERS[1],
  adele: PLAYGROUND_USERS[2],
  isaiah: PLAYGROUND_USERS[3],
} as const;
type UserKey = keyof typeof USERS;

export const GROUP: ConversationRef = {
  conversationId: 'group-approvals',
  conversationType: 'groupChat',
  tenantId: DEMO_TENANT_ID,
  serviceUrl: 'http://127.0.0.1:1/',
  reference: {},
};

export interface Harness {
  tenant: DemoTenant;
  storage: Storage;
  clock: ManualClock;
  audit: AuditLog;
  messenger: RecordingMessenger;
  service: ApprovalService;
  worker: ApprovalWorker;
  adapter: TestAdapter;
  logger: RecordingLogger;
  deps: ApprovalRouteDeps;
  say(user: UserKey, text: string, where?: 'personal' | 'group'): Promise<Partial<Activity>[]>;
  click(
    user: UserKey,
    verb: string,
    data: Record<string, unknown>,
    trigger?: 'automatic',
  ): Promise<Partial<Activity>[]>;
  writes(fragment: string): number;
  lastCardData(): { requestId: string; hash: string };
  /**
   * A second instance on the same store and tenant (its own service and worker, as another bot process), with the
   * next `count` reads of keys that `match` held at a barrier so both instances act on the same version.
   */
  gate(match: (key: string) => boolean, count: number): { otherService: ApprovalService; otherWorker: ApprovalWorker };
  /** The next read of a key that `match`es is held until released (one click reads, another decides meanwhile). */
  holdRead: GatedStorage['holdRead'];
  close(): Promise<void>;
}

export interface HarnessOptions {
  tenant?: DemoTenantOptions;
  store?: MemoryStore;
  storage?: Storage;
  dryRun?: boolean;
  allowAdminTargets?: boolean;
  passwordWriteback?: boolean;
  clock?: ManualClock;
  /**
   * The Graph client and the worker run on this clock instead (a SkippingClock lets their retry waits pass at once);
   * turns stay on `clock`, so their 5-second answer deadline does not pass with them.
   */
  workerClock?: ManualClock;
  telemetry?: Telemetry;
  /** What the investigation flags (contain's items); absent: contain removes no persistence. */
  flagged?: FlaggedPersistenceSource;
  /** Mailbox delegates (the Exchange side); absent: as with EXCHANGE_ADMIN_ENABLED off. */
  delegates?: MailboxDelegatePort;
  /** Mobile-device blocks (the Exchange side); absent: as with EXCHANGE_ADMIN_ENABLED off. */
  mobileDevices?: MobileDevicePort;
}

/** The approval flow in-process: real demo tenant over HTTP, real Graph client, turn handler via TestAdapter. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN, ...options.tenant });
  const clock = options.clock ?? new ManualClock(Date.now());
  const workerClock = options.workerClock ?? clock;
  const graph = createGraphClient({
    baseUrl: tenant.url,
    credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
    ...(options.workerClock ? { clock: workerClock } : {}),
  });
  const gated = createGatedStorage(options.storage ?? createMemoryStorage(options.store ?? createMemoryStore()));
  const storage = gated.storage;
  const logger = createRecordingLogger();
  const audit = createAuditLog(storage, clock);
  const store = createApprovalStore(storage);
  const messenger = createRecordingMessenger();
  const graphTenant = createGraphTenant(graph, { protectedGroupId: DEMO_PROTECTED_GROUP_ID });
  const persistence = createGraphPersistence(graph);
  const ports = {
    persistence,
    ...(options.delegates ? { delegates: options.delegates } : {}),
    ...(options.mobileDevices ? { mobileDevices: options.mobileDevices } : {}),
  };
  const policy = {
    allowAdminTargets: options.allowAdminTargets ?? false,
    passwordWriteback: options.passwordWriteback ?? false,
  };
  const instance = (owner: string) => ({
    service: createApprovalService({
      store,
      tenant: graphTenant,
      audit,
      clock,
      policy: { ...policy, ttlMs: 30 * 60_000, dryRun: options.dryRun ?? false },
      instance: owner,
      sources: { ...ports, ...(options.flagged ? { flagged: options.flagged } : {}) },
    }),
    worker: createApprovalWorker({
      storage,
      store,
      tenant: graphTenant,
      secrets: createSecretChannel({ store, messenger, logger }),
      notifier: createApprovalNotifier({ messenger, clock }),
      audit,
      policy,
      clock: workerClock,
      logger,
      owner,
      telemetry: options.telemetry,
      ...ports,
    }),
  });
  const { service, worker } = instance('harness');
  const deps: ApprovalRouteDeps = { service, store, tenant: graphTenant, audit, messenger };
  const handler = createTurnHandler({
    ...edgeDeps({ storage, audit, clock, logger, messenger }),
    allowedTenantId: DEMO_TENANT_ID,
    routes: createRoutes({
      mode: 'demo',
      profiles: { readUserProfile: (ref) => readUserProfile(graph, ref) },
      approvals: deps,
    }),
    membership: createMembershipResolver({
      port: { checkMemberGroups: (u, g) => checkMemberGroups(graph, u, g) },
      clock,
      operatorsGroupId: DEMO_OPERATORS_GROUP_ID,
      approversGroupId: DEMO_APPROVERS_GROUP_ID,
    }),
    audit,
    clock,
    logger,
  });
  const adapter = new TestAdapter(handler);

  function base(user: UserKey, where: 'personal' | 'group'): Partial<Activity> {
    const u = USERS[user];
    return {
      channelId: 'msteams',
      serviceUrl: GROUP.serviceUrl,
      channelData: { tenant: { id: DEMO_TENANT_ID } },
      from: { id: u.playgroundId, name: u.displayName, aadObjectId: u.aadObjectId },
      recipient: { id: 'bot', name: 'SecOps Bot' },
      conversation:
        where === 'group'
          ? {
              id: GROUP.conversationId,
              conversationType: 'groupChat',
              isGroup: true,
              name: 'approvals',
              tenantId: DEMO_TENANT_ID,
            }
          : {
              id: `personal-${u.playgroundId}`,
              conversationType: 'personal',
              isGroup: false,
              name: '',
              tenantId: DEMO_TENANT_ID,
            },
    };
  }

  async function run(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = adapter.activeQueue.length;
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(before);
  }

  return {
    tenant,
    storage,
    clock,
    audit,
    messenger,
    service,
    worker,
    adapter,
    logger,
    deps,
    say: (user, text, where = 'personal') => run({ ...base(user, where), type: 'message', text }),
    click: (user, verb, data, trigger) =>
      run({
        ...base(user, 'group'),
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'act-1',
        value: { action: { type: 'Action.Execute', verb, data }, ...(trigger ? { trigger } : {}) },
      }),
    writes: (fragment) => tenant.stats().writes.filter((w) => w.path.includes(fragment)).length,
    lastCardData() {
      const card = [...messenger.sent].reverse().find((s) => JSON.stringify(s.message).includes('approval.approve'));
      const match = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(JSON.stringify(card?.message ?? {}));
      if (!match) throw new Error('no approval card was sent');
      return { requestId: match[1] ?? '', hash: match[2] ?? '' };
    },
    gate(match, count) {
      gated.barrier(match, count);
      const other = instance('harness-2');
      return { otherService: other.service, otherWorker: other.worker };
    },
    holdRead: (match) => gated.holdRead(match),
    close: () => tenant.close(),
  };
}

/** The text of an invoke answer or message, and the card JSON, flattened for assertions. */
export function replyText(replies: Partial<Activity>[]): string {
  return JSON.stringify(
    replies.map((r): unknown => ({
      text: r.text,
      // What a reader sees of the cards: names sit in their own TextRuns, so the JSON alone splits sentences.
      seen: visibleLines([r.value, r.attachments]).join('\n'),
      value: r.value as unknown,
      attachments: r.attachments,
    })),
  );
}

/** Megan approves the newest approval card and the worker runs it; the request's id. */
export async function approveLast(h: Harness): Promise<string> {
  const data = h.lastCardData();
  await h.click('megan', 'approval.approve', data);
  await h.worker.runOnce();
  await h.worker.idle();
  return data.requestId;
}

/** The Undo line for `command` on the newest finished approval card that has one (what the operator copies). */
export function undoLine(h: Harness, command: string): string {
  const pattern = new RegExp(`"text":"(${command} [^"<]+)<justification>"`);
  for (const update of [...h.messenger.updates].reverse()) {
    const match = pattern.exec(JSON.stringify(update.message));
    if (match?.[1]) return match[1].trim();
  }
  throw new Error(`no "${command}" Undo line on a finished card`);
}
