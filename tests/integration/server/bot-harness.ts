import { randomUUID } from 'node:crypto';
import { createApprovalRuntime, type ApprovalRuntime } from '../../../bot/actions/approval-runtime';
import { createRoutes } from '../../../bot/app';
import type { Services } from '../../../bot/commands/services';
import { createBotAuthentication } from '../../../bot/auth';
import { createBackgroundTasks, type BackgroundTasks } from '../../../bot/background';
import { loadConfig } from '../../../bot/config';
import { createEdgeGuards, type EdgeGuards } from '../../../bot/middleware/edge-guards';
import { createLateMessenger } from '../../../bot/proactive/late-messenger';
import { createMessenger } from '../../../bot/proactive/messenger';
import { createProactiveAdapter } from '../../../bot/proactive/proactive-adapter';
import { createSendQueue } from '../../../bot/proactive/send-queue';
import { createBotServer } from '../../../bot/server';
import { createTurnHandler } from '../../../bot/turn';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../../demo/server';
import { createAuditLog, type AuditLog } from '../../../services/audit/audit-log';
import { createMembershipResolver } from '../../../services/authz/membership';
import { systemClock, type Clock } from '../../../services/clock';
import { checkMemberGroups, createGraphClient, readUserProfile, type GraphClient } from '../../../services/graph';
import { currentWait } from '../../../services/graph/waiting-notice';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { createRecordingLogger, type RecordingLogger } from '../../fakes/recording-logger';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';

export const USERS = { alex: PLAYGROUND_USERS[0], megan: PLAYGROUND_USERS[1], isaiah: PLAYGROUND_USERS[3] } as const;
export type UserKey = keyof typeof USERS;

/** The whole demo-mode bot in this process over real HTTP: server, turn, guards, approvals, demo tenant, connector. */
export interface BotHarness {
  url: string;
  tenant: DemoTenant;
  connector: FakeConnector;
  storage: Storage;
  audit: AuditLog;
  graph: GraphClient;
  approvals: ApprovalRuntime;
  guards: EdgeGuards;
  background: BackgroundTasks;
  logger: RecordingLogger;
  post(body: unknown): Promise<{ status: number; text: string }>;
  /** A Teams activity from `user` in their personal chat (or the group chat), addressed to the fake connector. */
  activity(user: UserKey, fields: Record<string, unknown>, where?: 'personal' | 'group'): Record<string, unknown>;
  close(): Promise<void>;
}

export interface BotHarnessOptions {
  tenant?: DemoTenantOptions;
  routes?: (graph: GraphClient) => Omit<Services, 'mode' | 'profiles' | 'approvals'>;
  deadlineMs?: number;
  env?: Record<string, string>;
  /** The edge guards' clock (drop-audit minutes, caller rate): a test counting per-minute records passes a fixed one. */
  guardsClock?: Clock;
  /**
   * Proactive posts as bot/main.ts makes them: through the send queue (per-thread order, Teams' retry matrix) and the
   * proactive adapter (no SDK retries). Default: the messenger straight on the server's adapter.
   */
  production?: boolean;
}

export async function startBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN, ...options.tenant });
  const connector = await startFakeConnector();
  const config = loadConfig({ SECBOT_MODE: 'demo', PORT: '0', GRAPH_BASE_URL: tenant.url, ...options.env });
  const logger = createRecordingLogger();
  const clock = systemClock;
  const storage = createMemoryStorage();
  const graph = createGraphClient({ baseUrl: tenant.url, credential: config.graph.credential, clock, logger });
  const audit = createAuditLog(storage, clock);
  const late = createLateMessenger();
  const messenger = options.production
    ? createSendQueue({ messenger: late.messenger, clock, logger }).messenger
    : late.messenger;
  const approvals = createApprovalRuntime({ config, storage, graph, audit, messenger, clock, logger });
  const background = createBackgroundTasks(logger);
  const guards = createEdgeGuards({
    storage,
    audit,
    clock: options.guardsClock ?? clock,
    logger,
    background,
    callerRatePerMinute: config.callerRatePerMinute,
  });
  const onTurn = createTurnHandler({
    allowedTenantId: config.allowedTenantId,
    idShape: 'demo',
    routes: createRoutes({
      mode: 'demo',
      profiles: { readUserProfile: (ref) => readUserProfile(graph, ref) },
      approvals: approvals.routeDeps,
      ...options.routes?.(graph),
    }),
    membership: createMembershipResolver({
      port: { checkMemberGroups: (u, g) => checkMemberGroups(graph, u, g) },
      clock,
      operatorsGroupId: config.operatorsGroupId,
      approversGroupId: config.approversGroupId,
    }),
    audit,
    guards,
    messenger,
    background,
    clock,
    logger,
    waitStatus: () => currentWait(graph),
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
  });
  const server = createBotServer({
    config,
    logger,
    auth: createBotAuthentication(config),
    onTurn,
    readiness: () => Promise.resolve({ storage: true }),
    onInvalidActivity: (problem, ref) => guards.drops.record('invalid_activity', problem, ref),
  });
  late.bind(
    createMessenger({
      adapter: options.production ? createProactiveAdapter(server.adapter) : server.adapter,
      appId: config.bot.appId,
      allowedTenantId: config.allowedTenantId,
      allowedServiceUrlHosts: config.allowedServiceUrlHosts,
      allowLoopbackHttp: true,
      logger,
    }),
  );
  const { url } = await server.listen();
  return {
    url,
    tenant,
    connector,
    storage,
    audit,
    graph,
    approvals,
    guards,
    background,
    logger,
    async post(body) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
    activity(user, fields, where = 'personal') {
      const u = USERS[user];
      return {
        type: 'message',
        id: `act-${randomUUID()}`,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: u.playgroundId, name: u.displayName, aadObjectId: u.aadObjectId },
        recipient: { id: 'bot', name: 'SecOps Bot' },
        conversation:
          where === 'group'
            ? { id: 'group-approvals', conversationType: 'groupChat', isGroup: true, tenantId: DEMO_TENANT_ID }
            : { id: `personal-${u.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
        channelData: { tenant: { id: DEMO_TENANT_ID } },
        ...fields,
      };
    },
    async close() {
      await server.close();
      await background.drain();
      await approvals.worker.stop();
      await connector.close();
      await tenant.close();
    },
  };
}

/** Texts and card JSON the bot posted or updated at the connector, one string per request. */
export function connectorBodies(connector: FakeConnector): string[] {
  return connector.requests.map((r) => JSON.stringify(r.body));
}
