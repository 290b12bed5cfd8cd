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
import { withWaitingNotice } from '../services/graph/waiting-notice';
import { readSignIns } from '../services/identity/sign-ins-read';
import { readSspr } from '../services/identity/sspr-read';
import { createConsumerAccountLookup } from '../services/identity/consumer-account-lookup';
import { createGraphAuditEvidenceSource } from '../services/identity/audit-evidence';
import { createMfaChecker } from '../services/identity/mfa-check';
import { createInvestigator } from '../services/identity/investigation';
import { createPolicyCache } from '../services/identity/mfa-evidence';
import { openStorage } from '../services/storage/open-storage';
import { createApprovalRuntime } from './actions/approval-runtime';
import { createAlertRuntime } from './proactive/alert-runtime';
import { createSweepRuntime } from './actions/sweep-runtime';
import { createExchangeFromConfig } from './exchange';
import { createRoutes } from './app';
import { createBotAuthentication } from './auth';
import { describeConfig, loadConfigOrExit, readEnvironment } from './config';
import { createLogger } from './log';
import { createBotServer } from './server';
import { createTurnHandler } from './turn';
import { createLateMessenger } from './proactive/late-messenger';
import { createMessenger } from './proactive/messenger';

const READINESS_CACHE_MS = 15_000;

/** Composition root: settings → storage, Graph, authorisation, audit → routes → HTTP server. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(readEnvironment());
  const logger = createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'starting');

  const storage = openStorage(config.storageUrl);
  const graph = createGraphClient({
    baseUrl: config.graph.baseUrl,
    credential: config.graph.credential,
    clock: systemClock,
    logger: logger.child({ component: 'graph' }),
  });
  // One UPN → id map for every command and background read, so a user asked about again is read by id.
  const users = createUserResolver({ client: graph, clock: systemClock });
  const membership = createMembershipResolver({
    port: { checkMemberGroups: (userId, groupIds) => checkMemberGroups(graph, userId, groupIds) },
    clock: systemClock,
    operatorsGroupId: config.operatorsGroupId,
    approversGroupId: config.approversGroupId,
  });
  // One messenger for every proactive sender. It needs the adapter, which the server creates after the routes,
  // so the runtimes get a stand-in that is bound before the server listens.
  const messenger = createLateMessenger();
  const alerts = createAlertRuntime({
    messenger: messenger.messenger,
    config,
    storage,
    graph,
    users,
    clock: systemClock,
    logger,
    graphEvidence: createGraphAuditEvidenceSource(graph),
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
  const audit = createAuditLog(storage, systemClock);
  const approvals = createApprovalRuntime({
    config,
    storage,
    graph,
    audit,
    messenger: messenger.messenger,
    clock: systemClock,
    logger,
  });
  const exchangeApi = createExchangeFromConfig(config, systemClock);
  const mailbox = createSweepRuntime({
    config,
    ...(exchangeApi ? { exchangeApi } : {}),
    storage,
    graph,
    users,
    audit,
    messenger: messenger.messenger,
    clock: systemClock,
    logger,
  });
  const routes = createRoutes({
    mode: config.mode,
    approvals: approvals.routeDeps,
    alerts: alerts.routeDeps,
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
    investigation: createInvestigator({ ...mfaEvidence, forwarding: mailbox.routeDeps.forwarding }),
    ...mailbox.routeDeps,
  });
  const onTurn = createTurnHandler({
    allowedTenantId: config.allowedTenantId,
    routes,
    membership,
    audit,
    clock: systemClock,
    logger,
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
    extraRoutes: (s) => mailbox.registerRoutes(s),
  });
  messenger.bind(
    createMessenger({
      adapter: server.adapter,
      appId: config.bot.appId,
      allowedTenantId: config.allowedTenantId,
      allowedServiceUrlHosts: config.allowedServiceUrlHosts,
      logger: logger.child({ component: 'proactive' }),
    }),
  );
  const { url } = await server.listen();
  approvals.worker.start();
  alerts.start();
  // A sweep a stopped or killed process left running continues from its checkpoint.
  mailbox.start(url);
  logger.info({ url, mode: config.mode }, `bot listening on ${url}/api/messages`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // The loops and the worker stop first so a poll or an execution in flight records its outcome before storage closes.
    Promise.all([alerts.stop(), approvals.worker.stop(), mailbox.stop()])
      .then(() => server.close())
      .then(() => storage.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`secbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
