import type { RuntimeDeps } from './runtime-deps';
import { sweepProgressCard } from '../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../cards/sweep-summary.card';
import type { UserResolver } from '../../services/graph';
import { createExchangeAdminReader } from '../../services/mailbox/exchange-admin';
import type { ExchangeAdminApi } from '../../services/exchange/admin-api';
import { checkForwarding } from '../../services/mailbox/forwarding-check';
import { createSweeper } from '../../services/mailbox/sweeper';
import type { Services } from '../commands/services';
import { createJobRuntime, type RuntimeLifecycle } from './job-runtime';
import { SWEEP_DOWNLOAD } from './sweep-download';

/** Mail forwarding and the sweep, wired for the bot process. */
export interface SweepRuntime extends RuntimeLifecycle {
  routeDeps: Required<Pick<Services, 'forwarding' | 'sweeper'>>;
}

export function createSweepRuntime(
  deps: RuntimeDeps & {
    users: UserResolver;
    /** The Exchange Online admin API, when EXCHANGE_ADMIN_ENABLED (mailbox-level forwarding). */
    exchangeApi?: ExchangeAdminApi;
  },
): SweepRuntime {
  const { graph } = deps;
  const logger = deps.logger.child({ component: 'mailbox' });
  const exchange = deps.exchangeApi ? createExchangeAdminReader(deps.exchangeApi) : undefined;
  const runtime = createJobRuntime(deps, {
    logger,
    download: SWEEP_DOWNLOAD,
    create: (jobDeps) =>
      createSweeper({
        ...jobDeps,
        graph,
        cards: { progress: sweepProgressCard, summary: sweepSummaryCard },
        ...(exchange ? { exchange } : {}),
      }),
  });
  return {
    routeDeps: {
      forwarding: {
        checkForwarding: (ref) => checkForwarding({ graph, users: deps.users, ...(exchange ? { exchange } : {}) }, ref),
      },
      sweeper: runtime.job,
    },
    ...runtime.lifecycle,
  };
}
