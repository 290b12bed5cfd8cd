import type { RuntimeDeps } from './runtime-deps';
import type restify from 'restify';
import { sweepProgressCard } from '../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../cards/sweep-summary.card';
import type { UserResolver } from '../../services/graph';
import { createExchangeAdminReader } from '../../services/mailbox/exchange-admin';
import type { ExchangeAdminApi } from '../../services/exchange/admin-api';
import { checkForwarding } from '../../services/mailbox/forwarding-check';
import { createCsvLinkSigner, loadCsvLinkSecret, type CsvLinkSigner } from '../../services/mailbox/sweep-csv';
import { createSweeper, type Sweeper } from '../../services/mailbox/sweeper';
import type { Services } from '../commands/services';
import { registerSweepDownload, sweepCsvPath } from './sweep-download';

// A CSV link is a bearer credential sent only to the requester's personal chat; a day covers a sweep finishing overnight.
const CSV_LINK_TTL_MS = 24 * 60 * 60_000;

/** Mail forwarding and the sweep, wired for the bot process. */
export interface SweepRuntime {
  routeDeps: Required<Pick<Services, 'forwarding' | 'sweeper'>>;
  /** Adds the CSV download route to the bot's HTTP server. */
  registerRoutes(server: restify.Server): void;
  /** After listen: the URL links point to (PUBLIC_BASE_URL, or the listen URL in demo mode), then resume a sweep. */
  start(listenUrl: string): void;
  stop(): Promise<void>;
}

export function createSweepRuntime(
  deps: RuntimeDeps & {
    users: UserResolver;
    /** The Exchange Online admin API, when EXCHANGE_ADMIN_ENABLED (mailbox-level forwarding). */
    exchangeApi?: ExchangeAdminApi;
  },
): SweepRuntime {
  const { config, storage, graph, clock } = deps;
  const logger = deps.logger.child({ component: 'mailbox' });
  const exchange = deps.exchangeApi ? createExchangeAdminReader(deps.exchangeApi) : undefined;
  let signer: CsvLinkSigner | null = null;
  let baseUrl: string | null = config.publicBaseUrl ?? null;
  const sweeper: Sweeper = createSweeper({
    graph,
    storage,
    messenger: deps.messenger,
    cards: { progress: sweepProgressCard, summary: sweepSummaryCard },
    clock,
    logger,
    leaseTtlMs: config.leaseSeconds * 1000,
    ...(exchange ? { exchange } : {}),
    csvLink: async (job) => {
      if (baseUrl === null) return null;
      signer ??= createCsvLinkSigner(await loadCsvLinkSecret(storage), clock);
      return `${baseUrl}${sweepCsvPath(job.id, signer.sign(job.id, job.requester.aadObjectId, CSV_LINK_TTL_MS))}`;
    },
  });
  const watching = new AbortController();
  const lazySigner: CsvLinkSigner = {
    sign: () => {
      throw new Error('the download route only verifies');
    },
    verify: (token, jobId) => (signer ? signer.verify(token, jobId) : { ok: false, reason: 'bad-signature' }),
  };
  return {
    routeDeps: {
      forwarding: {
        checkForwarding: (ref) => checkForwarding({ graph, users: deps.users, ...(exchange ? { exchange } : {}) }, ref),
      },
      sweeper,
    },
    registerRoutes(server) {
      registerSweepDownload(server, { storage, signer: lazySigner, audit: deps.audit, logger });
    },
    start(listenUrl) {
      if (baseUrl === null && config.mode === 'demo') baseUrl = listenUrl;
      void loadCsvLinkSecret(storage)
        .then((secret) => {
          signer ??= createCsvLinkSigner(secret, clock);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'CSV link key could not be loaded'));
      // Not only on boot: when another instance dies mid-sweep, this one takes the sweep over once its lease lapses
      // (resumeOnBoot waits while a live instance holds the lease, and returns when no sweep is running).
      void (async () => {
        while (!watching.signal.aborted) {
          await sweeper.resumeOnBoot().catch((error: unknown) => logger.error({ err: error }, 'sweep resume failed'));
          await sweeper.idle();
          await clock.sleep(config.leaseSeconds * 1000, watching.signal).catch(() => undefined);
        }
      })();
    },
    stop: () => {
      watching.abort();
      return sweeper.shutdown();
    },
  };
}
