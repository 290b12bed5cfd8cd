import { randomUUID } from 'node:crypto';
import { createAlertStore } from '../../services/alerts/alert-store';
import { createAlertsService } from '../../services/alerts/alerts-service';
import type { AlertSender } from '../../services/alerts/ports';
import { createMirrorEvidenceSource, createMirrorReportEvidence } from '../../services/alerts/audit-mirror';
import type { ReportEvidence } from '../../services/identity/mfa-report/evidence';
import { createAlertDelivery } from '../../services/alerts/delivery';
import { createDemoEmitter } from '../../services/alerts/demo-emitter';
import { createAlertPoller } from '../../services/alerts/poller';
import { riskyUsersSource, watchedMailboxesSource } from '../../services/alerts/sources';
import type { Clock } from '../../services/clock';
import type { GraphClient } from '../../services/graph/client';
import type { UserResolver } from '../../services/graph/user-resolver';
import type { AuditEvidenceSource } from '../../services/identity/audit-evidence';
import type { UserRef } from '../../services/ids';
import type { Logger } from '../../services/log';
import { readVerifiedDomains } from '../../services/mailbox/forwarding-check';
import type { Storage } from '../../services/storage/port';
import type { Telemetry } from '../../services/telemetry/port';
import type { AlertRouteDeps } from '../commands/services';
import type { Config } from '../config';
import { createAlertRenderer } from './alert-renderer';
import type { AuditLog } from '../../services/audit/audit-log';
import { createConfirmations, type Confirmations } from '../../services/confirm/confirmations';
import type { PersonalChats } from '../../services/messaging/personal-chats';
import type { Messenger } from '../../services/messaging/port';
import { createConfirmRenderer } from './confirm-renderer';
import { createUserChatLocator } from './user-chat';

/** The alert pipeline for the bot process: routes now, the messenger once the adapter exists, start/stop. */
export function createAlertRuntime(deps: {
  config: Config;
  storage: Storage;
  graph: GraphClient;
  /** The shared UPN → id map (services/graph/user-resolver). */
  users: UserResolver;
  clock: Clock;
  logger: Logger;
  /** The process's one send queue (alerts share Teams' per-thread limits with every other proactive post). */
  sender: AlertSender;
  /** Where `mfa` reads audit evidence when the mirror does not cover the window. */
  graphEvidence: AuditEvidenceSource;
  telemetry?: Telemetry;
  /** "Was this you?" (USER_CONFIRMATIONS): the messenger for questions and card updates, audit, remembered chats. */
  confirm?: { messenger: Messenger; audit: Pick<AuditLog, 'append'>; personalChats: PersonalChats };
}) {
  const { config, clock, graph } = deps;
  const logger = deps.logger.child({ component: 'alerts' });
  const store = createAlertStore(deps.storage);
  const service = createAlertsService({
    store,
    clock,
    logger,
    allowedServiceUrlHosts: config.allowedServiceUrlHosts,
  });
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // The lease outlives a few polls, so a leader that is merely slow keeps it; a dead one loses it after this.
  const leaseTtlMs = Math.max(3 * config.alertPollSeconds, config.leaseSeconds) * 1000;
  const delivery = createAlertDelivery({
    store,
    owner,
    leaseTtlMs,
    sender: deps.sender,
    renderer: createAlertRenderer(clock),
    clock,
    logger,
    telemetry: deps.telemetry,
  });
  const confirmations: Confirmations | undefined =
    config.userConfirmations && deps.confirm
      ? createConfirmations({
          storage: deps.storage,
          alerts: store,
          clock,
          logger,
          audit: deps.confirm.audit,
          messenger: deps.confirm.messenger,
          renderer: createConfirmRenderer(clock),
          confirmMs: config.confirmMs,
          tickMs: Math.min(5_000, config.alertPollSeconds * 1000),
          chats: createUserChatLocator({
            chats: deps.confirm.personalChats,
            graph,
            ...(config.teamsAppCatalogId ? { catalogAppId: config.teamsAppCatalogId } : {}),
            // The Bot Connector address and the bot's account: those of an alert channel in this tenant.
            template: async () => (await store.subscriptions()).find((s) => s.active)?.conversation ?? null,
            logger,
          }),
        })
      : undefined;
  let verified: readonly string[] | null = null;
  const watched: UserRef[] = config.watchedMailboxes.map((upn) => ({ kind: 'upn', upn }));
  const poller = createAlertPoller({
    graph,
    store,
    clock,
    logger,
    owner,
    intervalMs: config.alertPollSeconds * 1000,
    leaseTtlMs,
    stallMs: config.stallMs,
    sources: [
      riskyUsersSource(graph, clock),
      watchedMailboxesSource({
        graph,
        users: deps.users,
        logger,
        clock,
        mailboxes: () => Promise.resolve(watched),
        verifiedDomains: async () => (verified ??= await readVerifiedDomains(graph)),
      }),
    ],
    ...(confirmations ? { onNewAlert: (alert) => confirmations.onNewAlert(alert) } : {}),
    onQueued: () => delivery.kick(),
  });
  const routeDeps: AlertRouteDeps = {
    service,
    ...(config.mode === 'demo'
      ? {
          emitter: createDemoEmitter({
            baseUrl: config.graph.baseUrl,
            token: config.graph.credential.kind === 'static' ? config.graph.credential.token : '',
          }),
        }
      : {}),
  };
  return {
    routeDeps,
    /** `mfa` evidence: the mirror while it covers the window and is fresh, else Graph. */
    evidence: createMirrorEvidenceSource({
      store,
      clock,
      maxLagMs: 3 * config.alertPollSeconds * 1000,
      fallback: deps.graphEvidence,
    }),
    /** The "was this you?" service when USER_CONFIRMATIONS is on. */
    confirmations,
    /** `report mfa` evidence: the mirror while it covers the window and is fresh, else one tenant-wide query. */
    reportEvidence: (fallback: ReportEvidence): ReportEvidence =>
      createMirrorReportEvidence({ store, clock, maxLagMs: 3 * config.alertPollSeconds * 1000, fallback }),
    start(): void {
      poller.start();
      delivery.start();
      confirmations?.start();
    },
    // Shutdown (bot/main.ts): delivery.stop() at once, a last delivery.deliverOnce() while draining, then
    // poller.stop() hands the poller lease over.
    poller,
    delivery,
  };
}
