import type { RuntimeDeps } from './runtime-deps';
import { randomUUID } from 'node:crypto';
import { createApprovalService } from '../../services/approvals/approval-service';
import { createApprovalStore } from '../../services/approvals/approval-store';
import { createGraphPersistence } from '../../services/approvals/graph-persistence';
import { createGraphTenant } from '../../services/approvals/graph-tenant';
import type { FlaggedPersistenceSource, MailboxDelegatePort, MobileDevicePort } from '../../services/approvals/ports';
import { createApprovalWorker, type ApprovalWorker } from '../../services/approvals/worker';
import type { Telemetry } from '../../services/telemetry/port';
import type { ApprovalRouteDeps } from './approval-deps';
import { createApprovalNotifier } from './approval-notifier';
import { createSecretChannel } from './secret-channel';

/** The approval flow wired for the bot process: route deps now, the messenger once the adapter exists, the worker. */
export interface ApprovalRuntime {
  routeDeps: ApprovalRouteDeps;
  /** Binds proactive messaging to the server's adapter; call before the server listens. */
  worker: ApprovalWorker;
}

export function createApprovalRuntime(
  deps: RuntimeDeps & {
    telemetry?: Telemetry;
    /** What `investigate` flags for a user: the items `contain` removes (without it, contain removes no persistence). */
    flagged?: FlaggedPersistenceSource;
    /** Mailbox delegates through the Exchange admin API (only with EXCHANGE_ADMIN_ENABLED). */
    delegates?: MailboxDelegatePort;
    /** Mobile-device blocks through the Exchange admin API (only with EXCHANGE_ADMIN_ENABLED). */
    mobileDevices?: MobileDevicePort;
  },
): ApprovalRuntime {
  const { config, storage, clock } = deps;
  const logger = deps.logger.child({ component: 'approvals' });
  const store = createApprovalStore(storage);
  const tenant = createGraphTenant(deps.graph, {
    ...(config.protectedGroupId ? { protectedGroupId: config.protectedGroupId } : {}),
  });
  const ports = {
    persistence: createGraphPersistence(deps.graph),
    ...(deps.delegates ? { delegates: deps.delegates } : {}),
    ...(deps.mobileDevices ? { mobileDevices: deps.mobileDevices } : {}),
  };
  const policy = { allowAdminTargets: config.allowAdminTargets, passwordWriteback: config.passwordWriteback };
  let worker: ApprovalWorker | null = null;
  const instance = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const service = createApprovalService({
    instance,
    store,
    tenant,
    audit: deps.audit,
    clock,
    policy: { ...policy, ttlMs: config.approvalTtlMinutes * 60_000, dryRun: config.dryRun },
    onApproved: () => worker?.kick(),
    sources: { ...ports, ...(deps.flagged ? { flagged: deps.flagged } : {}) },
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
    owner: instance,
    telemetry: deps.telemetry,
    ...ports,
  });
  return {
    routeDeps: { service, store, tenant, audit: deps.audit, messenger: deps.messenger },
    worker,
  };
}
