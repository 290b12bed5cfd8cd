import type { Messenger } from '../../services/messaging/port';
import type { AuditLog } from '../../services/audit/audit-log';
import { createApprovalService } from '../../services/approvals/approval-service';
import { createApprovalStore } from '../../services/approvals/approval-store';
import { createGraphTenant } from '../../services/approvals/graph-tenant';
import { createApprovalWorker, type ApprovalWorker } from '../../services/approvals/worker';
import type { Clock } from '../../services/clock';
import type { GraphClient } from '../../services/graph';
import type { Logger } from '../../services/log';
import type { Storage } from '../../services/storage/port';
import type { Telemetry } from '../../services/telemetry/port';
import type { Config } from '../config';
import type { ApprovalRouteDeps } from './approval-deps';
import { createApprovalNotifier } from './approval-notifier';
import { createSecretChannel } from './secret-channel';

/** The approval flow wired for the bot process: route deps now, the messenger once the adapter exists, the worker. */
export interface ApprovalRuntime {
  routeDeps: ApprovalRouteDeps;
  /** Binds proactive messaging to the server's adapter; call before the server listens. */
  worker: ApprovalWorker;
}

export function createApprovalRuntime(deps: {
  config: Config;
  storage: Storage;
  graph: GraphClient;
  audit: AuditLog;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  telemetry?: Telemetry;
}): ApprovalRuntime {
  const { config, storage, clock } = deps;
  const logger = deps.logger.child({ component: 'approvals' });
  const store = createApprovalStore(storage);
  const tenant = createGraphTenant(deps.graph, {
    ...(config.protectedGroupId ? { protectedGroupId: config.protectedGroupId } : {}),
  });
  const policy = { allowAdminTargets: config.allowAdminTargets, passwordWriteback: config.passwordWriteback };
  let worker: ApprovalWorker | null = null;
  const service = createApprovalService({
    store,
    tenant,
    audit: deps.audit,
    clock,
    policy: { ...policy, ttlMs: config.approvalTtlMinutes * 60_000, dryRun: config.dryRun },
    onApproved: () => worker?.kick(),
  });
  worker = createApprovalWorker({
    storage,
    store,
    tenant,
    secrets: createSecretChannel({ store, messenger: deps.messenger, logger }),
    notifier: createApprovalNotifier({ messenger: deps.messenger, clock }),
    audit: deps.audit,
    policy,
    clock,
    logger,
    telemetry: deps.telemetry,
  });
  return {
    routeDeps: { service, store, tenant, audit: deps.audit, messenger: deps.messenger },
    worker,
  };
}
