import type restify from 'restify';
import type { JobRecord } from '../../services/jobs/types';
import type { Logger } from '../../services/log';
import { createCsvLinkSigner, loadCsvLinkSecret, type CsvLinkSigner } from '../../services/mailbox/sweep-csv';
import type { RuntimeDeps } from './runtime-deps';
import { registerSignedCsvDownload, type SignedCsvRoute } from './sweep-download';

// A CSV link is a bearer credential sent only to the requester's personal chat; a day covers a job finishing overnight.
const CSV_LINK_TTL_MS = 24 * 60 * 60_000;

/** What the bot process needs of a background job (services/jobs/background-job.ts). */
export interface ResumableJob {
  resumeOnBoot(): Promise<boolean>;
  idle(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What main.ts runs of a background runtime: its routes, its start after listen, and its stop. */
export interface RuntimeLifecycle {
  /** Adds the job's CSV download route to the bot's HTTP server. */
  registerRoutes: (server: restify.Server) => void;
  /** After listen: the URL links point to (PUBLIC_BASE_URL, or the listen URL in demo mode), then resume a job. */
  start: (listenUrl: string) => void;
  stop: () => Promise<void>;
}

/** A background job wired for the bot process: its signed CSV route, resume after boot, and stop. */
export interface JobRuntime<J extends ResumableJob> {
  job: J;
  lifecycle: RuntimeLifecycle;
}

/** What every job of the bot process is built with (services/jobs/background-job.ts deps). */
export type JobDeps = Pick<RuntimeDeps, 'storage' | 'messenger' | 'clock' | 'logger'> & {
  leaseTtlMs: number;
  csvLink: (job: Pick<JobRecord, 'id' | 'requester'>) => Promise<string | null>;
};

/** One kind of job: its download route (and the path a link names), and how the job is built given its CSV link. */
export interface JobRuntimeSpec<J extends ResumableJob> {
  logger: Logger;
  download: SignedCsvRoute & { path: (jobId: string, token: string) => string };
  create(jobDeps: JobDeps): J;
}

export function createJobRuntime<J extends ResumableJob>(deps: RuntimeDeps, spec: JobRuntimeSpec<J>): JobRuntime<J> {
  const { config, storage, clock } = deps;
  const logger = spec.logger;
  let signer: CsvLinkSigner | null = null;
  let baseUrl: string | null = config.publicBaseUrl ?? null;
  const job = spec.create({
    storage,
    messenger: deps.messenger,
    clock,
    logger,
    leaseTtlMs: config.leaseSeconds * 1000,
    csvLink: async (j) => {
      if (baseUrl === null) return null;
      signer ??= createCsvLinkSigner(await loadCsvLinkSecret(storage), clock);
      return `${baseUrl}${spec.download.path(j.id, signer.sign(j.id, j.requester.aadObjectId, CSV_LINK_TTL_MS))}`;
    },
  });
  const watching = new AbortController();
  const lazySigner: CsvLinkSigner = {
    sign: () => {
      throw new Error('the download route only verifies');
    },
    verify: (token, jobId) => (signer ? signer.verify(token, jobId) : { ok: false, reason: 'bad-signature' }),
  };
  const lifecycle: RuntimeLifecycle = {
    registerRoutes(server) {
      registerSignedCsvDownload(server, spec.download, { storage, signer: lazySigner, audit: deps.audit, logger });
    },
    start(listenUrl) {
      if (baseUrl === null && config.mode === 'demo') baseUrl = listenUrl;
      void loadCsvLinkSecret(storage)
        .then((secret) => {
          signer ??= createCsvLinkSigner(secret, clock);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'CSV link key could not be loaded'));
      // Not only on boot: when another instance dies mid-job, this one takes the job over once its lease lapses
      // (resumeOnBoot waits while a live instance holds the lease, and returns when no job is running).
      void (async () => {
        while (!watching.signal.aborted) {
          await job.resumeOnBoot().catch((error: unknown) => logger.error({ err: error }, 'job resume failed'));
          await job.idle();
          await clock.sleep(config.leaseSeconds * 1000, watching.signal).catch(() => undefined);
        }
      })();
    },
    stop: () => {
      watching.abort();
      return job.shutdown();
    },
  };
  return { job, lifecycle };
}
