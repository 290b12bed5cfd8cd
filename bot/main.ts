import { createAlertStore } from '../services/alerts/alert-store';
import { withHealthReports } from '../services/alerts/health-graph';
import { createSelfHealth, runAsJob } from '../services/alerts/self-health';
import { createAuditLog } from '../services/audit/audit-log';
import { createMembershipResolver } from '../services/authz/membership';
import { systemClock } from '../services/clock';
import {
  checkMemberGroups,
  createGraphClient,
  createUserResolver,
  getOrganization,
  readUserProfile,
} from '../services/graph';
import { currentWait, withWaitingNotice } from '../services/graph/waiting-notice';
import { readSignIns } from '../services/identity/sign-ins-read';
import { readSspr } from '../services/identity/sspr-read';
import { createConsumerAccountLookup } from '../services/identity/consumer-account-lookup';
import { createGraphAuditEvidenceSource } from '../services/identity/audit-evidence';
import { createMfaChecker } from '../services/identity/mfa-check';
import { createInvestigator } from '../services/identity/investigation';
import { createPeopleFinder } from '../services/identity/people';
import type { UserId } from '../services/ids';
import { createPolicyCache } from '../services/identity/mfa-evidence';
import { createPostureChecker } from '../services/posture/posture';
import { createCredential } from '../services/graph/credentials';
import { openStorage } from '../services/storage/open-storage';
import { createPersonalChats } from '../services/messaging/personal-chats';
import { startTelemetry } from '../services/telemetry/azure-monitor';
import { createApprovalRuntime } from './actions/approval-runtime';
import { createAlertRuntime } from './proactive/alert-runtime';
import { createSweepRuntime } from './actions/sweep-runtime';
import { createMfaReportRuntime } from './actions/mfa-report-runtime';
import { createGraphReportEvidence } from '../services/identity/mfa-report/evidence';
import { createExchangeFromConfig } from './exchange';
import { createExchangeInvestigator } from '../services/exchange/investigation';
import { createGraphManagerSource } from '../services/exchange/manager';
import { createDelegatePort } from '../services/exchange/remove-delegate';
import { createMobileDevicePort } from '../services/exchange/mobile-device-block';
import { createRoutes } from './app';
import { createBotAuthentication } from './auth';
import { createBackgroundTasks } from './background';
import { describeConfig, loadConfigOrExit, readEnvironment } from './config';
import { createLogger } from './log';
import { createBotServer } from './server';
import { createEdgeGuards } from './middleware/edge-guards';
import { createShutdown } from './shutdown';
import { createTurnHandler } from './turn';
import { createLateMessenger } from './proactive/late-messenger';
import { createMessenger } from './proactive/messenger';
import { createProactiveAdapter } from './proactive/proactive-adapter';
import { createSendQueue } from './proactive/send-queue';

const READINESS_CACHE_MS = 15_000;

/** Composition root: settings → storage, Graph, authorisation, audit → routes → HTTP server. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(readEnvironment());
  const logger = createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'starting');
  // Application Insights when configured; otherwise a no-op that loads nothing.
  const monitoring = startTelemetry({ connectionString: config.applicationInsightsConnectionString });
  const { telemetry } = monitoring;

  const credential = config.graph.credential;
  const storage = openStorage(config.storage, {
    ...(credential.kind !== 'static' && { credential: createCredential(credential) }),
  });
  // A wrong account, key or permission shows here, at start, rather than on the first command.
  await storage.ping();
  // A Graph 401/403 met by a background job (run under runAsJob below, or at background priority) also posts a
  // self-health card to the alert channels, at most hourly per problem.
  const health = createSelfHealth({
    store: createAlertStore(storage),
    clock: systemClock,
    logger,
    credential: config.graph.credential.kind,
  });
  const graph = withHealthReports(
    createGraphClient({
      baseUrl: config.graph.baseUrl,
      credential: config.graph.credential,
      clock: systemClock,
      logger: logger.child({ component: 'graph' }),
      telemetry,
    }),
    health,
  );
  // One UPN → id map for every command and background read, so a user asked about again is read by id.
  const users = createUserResolver({ client: graph, clock: systemClock });
  const membership = createMembershipResolver({
    port: { checkMemberGroups: (userId, groupIds) => checkMemberGroups(graph, userId, groupIds) },
    clock: systemClock,
    operatorsGroupId: config.operatorsGroupId,
    approversGroupId: config.approversGroupId,
  });
  // One messenger for every proactive sender. It needs the adapter, which the server creates after the routes,
  // so the runtimes get a stand-in that is bound before the server listens. Everything goes through one send
  // queue (per-thread limits, retries), so no caller posts or updates around it.
  const connector = createLateMessenger();
  const sendQueue = createSendQueue({
    messenger: connector.messenger,
    clock: systemClock,
    logger: logger.child({ component: 'send-queue' }),
    telemetry,
  });
  const messenger = sendQueue.messenger;
  const audit = createAuditLog(storage, systemClock, { logger: logger.child({ component: 'audit' }) });
  // Users' last personal messages to the bot, so it can ask them "was this you?" later.
  const personalChats = createPersonalChats(storage);
  const alerts = createAlertRuntime({
    confirm: { messenger, audit, personalChats },
    sender: sendQueue,
    config,
    storage,
    graph,
    users,
    clock: systemClock,
    logger,
    graphEvidence: createGraphAuditEvidenceSource(graph),
    telemetry,
  });
  // Interactive MFA checks read audit evidence from the alert poller's mirror when it covers the window, else Graph.
  const mfaEvidence = {
    client: graph,
    users,
    audit: alerts.evidence,
    clock: systemClock,
    policies: createPolicyCache(60_000),
    auditDays: 30,
  };
  const exchangeApi = createExchangeFromConfig(config, systemClock);
  // What every background runtime (sweep, approvals, MFA report) is built from.
  const runtime = { config, storage, graph, audit, messenger, clock: systemClock, logger };
  const mailbox = createSweepRuntime({ ...runtime, ...(exchangeApi ? { exchangeApi } : {}), users });
  const investigator = createInvestigator({
    ...mfaEvidence,
    forwarding: mailbox.routeDeps.forwarding,
    // Delegates, mobile devices and mail sent outside: "not checked" unless EXCHANGE_ADMIN_ENABLED.
    exchange: createExchangeInvestigator({
      ...(exchangeApi ? { api: exchangeApi } : {}),
      managers: createGraphManagerSource(graph),
    }),
  });
  const approvals = createApprovalRuntime({
    ...runtime,
    telemetry,
    // `contain` removes what the investigation flags, read again when the request is made (never taken from a card).
    flagged: {
      flagged: async (target) => (await investigator.investigate({ kind: 'id', id: target.id as UserId })).flagged,
    },
    // Mailbox delegates are removed through the Exchange admin API; without it `contain` says they were not removed.
    ...(exchangeApi ? { delegates: createDelegatePort(exchangeApi) } : {}),
    // ActiveSync partnerships are blocked the same way; without it `contain` says they were not contained, and why.
    ...(exchangeApi ? { mobileDevices: createMobileDevicePort(exchangeApi) } : {}),
  });
  const posture = createPostureChecker({
    client: graph,
    ...(exchangeApi ? { exchange: exchangeApi } : {}),
    storage,
    ...(config.vipGroupId !== undefined ? { vipGroupId: config.vipGroupId } : {}),
    clock: systemClock,
  });
  const mfaReport = createMfaReportRuntime({
    ...runtime,
    evidence: alerts.reportEvidence(createGraphReportEvidence(graph)),
  });
  const routes = createRoutes({
    mode: config.mode,
    approvals: approvals.routeDeps,
    alerts: alerts.routeDeps,
    ...(alerts.confirmations ? { confirmations: alerts.confirmations } : {}),
    profiles: { readUserProfile: (ref) => readUserProfile(graph, ref, { priority: 'interactive', users }) },
    signIns: {
      readSignIns: (ref, opts) =>
        withWaitingNotice(graph, () => readSignIns({ client: graph, users }, ref), opts?.onWaiting),
    },
    sspr: {
      readSspr: (ref, since, opts) =>
        withWaitingNotice(
          graph,
          () => readSspr({ client: graph, users }, ref, since, alerts.evidence),
          opts?.onWaiting,
        ),
    },
    consumerAccounts: createConsumerAccountLookup({
      baseUrl: config.loginBaseUrl,
      clock: systemClock,
      logger: logger.child({ component: 'login-lookup' }),
    }),
    mfa: createMfaChecker(mfaEvidence),
    people: createPeopleFinder(graph),
    investigation: investigator,
    ...mailbox.routeDeps,
    posture: { checkPosture: (opts) => withWaitingNotice(graph, () => posture.checkPosture(), opts?.onWaiting) },
    ...mfaReport.routeDeps,
  });
  // Answers that miss Teams' time are delivered in the background; shutdown drains them.
  const background = createBackgroundTasks(logger);
  const guards = createEdgeGuards({
    storage,
    audit,
    clock: systemClock,
    logger,
    background,
    callerRatePerMinute: config.callerRatePerMinute,
  });
  const onTurn = createTurnHandler({
    allowedTenantId: config.allowedTenantId,
    idShape: config.mode === 'demo' ? 'demo' : 'guid',
    routes,
    membership,
    audit,
    guards,
    messenger,
    background,
    clock: systemClock,
    logger,
    waitStatus: () => currentWait(graph),
    personalChats,
  });

  // Graph reachability is cached briefly so a busy probe cannot spend the identity budget.
  let graphReady: { ok: boolean; at: number } | null = null;
  const readiness = async (): Promise<Record<string, boolean>> => {
    const storageOk = await storage.ping().then(
      () => true,
      () => false,
    );
    if (!graphReady || systemClock.now() - graphReady.at > READINESS_CACHE_MS) {
      const ok = await getOrganization(graph).then(
        () => true,
        () => false,
      );
      graphReady = { ok, at: systemClock.now() };
    }
    return { storage: storageOk, graph: graphReady.ok };
  };

  const server = createBotServer({
    config,
    logger,
    auth: createBotAuthentication(config),
    onTurn,
    readiness,
    extraRoutes: (s) => {
      mailbox.registerRoutes(s);
      mfaReport.registerRoutes(s);
    },
    onInvalidActivity: (problem, ref) => guards.drops.record('invalid_activity', problem, ref),
    telemetry,
  });
  connector.bind(
    createMessenger({
      adapter: createProactiveAdapter(server.adapter),
      appId: config.bot.appId,
      allowedTenantId: config.allowedTenantId,
      allowedServiceUrlHosts: config.allowedServiceUrlHosts,
      allowLoopbackHttp: config.mode === 'demo',
      logger: logger.child({ component: 'proactive' }),
    }),
  );
  const { url } = await server.listen();
  runAsJob('approval worker', () => approvals.worker.start());
  runAsJob('alert poller', () => alerts.start());
  // A sweep a stopped or killed process left running continues from its checkpoint.
  runAsJob('forwarding sweep', () => mailbox.start(url));
  runAsJob('mfa report', () => mfaReport.start(url));
  logger.info({ url, mode: config.mode }, `bot listening on ${url}/api/messages`);

  const shutdown = createShutdown({ graceMs: config.shutdownGraceMs, clock: systemClock, logger });
  shutdown.on('refuse', 'http', () => server.stopAccepting());
  shutdown.on('refuse', 'alert delivery loop', () => alerts.delivery.stop());
  shutdown.on('drain', 'turns in flight', () => server.drain());
  shutdown.on('drain', 'alert outboxes', () => alerts.delivery.deliverOnce());
  shutdown.on('drain', 'user confirmations', () => alerts.confirmations?.stop() ?? Promise.resolve());
  // Executions in flight record their outcome (their claims are not renewed after); the instance's heartbeat ends.
  shutdown.on('drain', 'approval worker', () => approvals.worker.stop());
  // Cards, card updates and secrets already queued still reach Teams.
  shutdown.on('drain', 'send queues', () => sendQueue.idle());
  // A running sweep checkpoints and gives up its lease; another instance resumes it.
  shutdown.on('drain', 'sweep', () => mailbox.stop());
  shutdown.on('drain', 'mfa report', () => mfaReport.stop());
  // Turns that answered Teams early and finish in the background deliver their card before the process ends.
  shutdown.on('drain', 'background turns', () => background.drain());
  shutdown.on('drain', 'drop audit', () => guards.drops.flush());
  shutdown.on('release', 'alert poller', () => alerts.poller.stop());
  shutdown.on('release', 'alert delivery', () => alerts.delivery.release());
  shutdown.on('close', 'http', () => server.close());
  shutdown.on('close', 'storage', () => storage.close());
  shutdown.on('close', 'telemetry', () => monitoring.shutdown());
  const stop = (signal: string): void => {
    void shutdown.run(signal).then((report) => process.exit(report.exitCode));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`secbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
