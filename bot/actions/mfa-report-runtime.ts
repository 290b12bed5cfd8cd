import type { RuntimeDeps } from './runtime-deps';
import type restify from 'restify';
import { mfaReportCard } from '../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../cards/mfa-report-progress.card';
import type { AuditLog } from '../../services/audit/audit-log';
import { reportCsvLines } from '../../services/identity/mfa-report/csv';
import type { ReportEvidence } from '../../services/identity/mfa-report/evidence';
import { createMfaReporter, type MfaReporter } from '../../services/identity/mfa-report/reporter';
import { readReportJob } from '../../services/identity/mfa-report/store';
import type { Logger } from '../../services/log';
import { createCsvLinkSigner, loadCsvLinkSecret, type CsvLinkSigner } from '../../services/mailbox/sweep-csv';
import type { Storage } from '../../services/storage/port';
import type { Services } from '../commands/services';
import { registerSignedCsvDownload } from './sweep-download';

// The same signed, expiring, requester-bound link as the sweep's CSV (and the same key): a day, personal chat only.
const CSV_LINK_TTL_MS = 24 * 60 * 60_000;

/** Path of a report's CSV; the token in `t` is the only credential. */
export const REPORT_CSV_ROUTE = '/report/mfa/:jobId/users.csv';

export function reportCsvPath(jobId: string, token: string): string {
  return `/report/mfa/${encodeURIComponent(jobId)}/users.csv?t=${encodeURIComponent(token)}`;
}

/** GET /report/mfa/{job}/users.csv?t=…: the report's users, through the sweep's signed, requester-bound download. */
export function registerReportDownload(
  server: restify.Server,
  deps: { storage: Storage; signer: CsvLinkSigner; audit: AuditLog; logger: Logger },
): void {
  registerSignedCsvDownload(
    server,
    {
      route: REPORT_CSV_ROUTE,
      name: 'report',
      filename: (id) => `mfa-report-${id}.csv`,
      readJob: readReportJob,
      lines: reportCsvLines,
    },
    deps,
  );
}

/** `report mfa`, wired for the bot process. */
export interface MfaReportRuntime {
  routeDeps: Required<Pick<Services, 'mfaReport'>>;
  registerRoutes(server: restify.Server): void;
  /** After listen: the URL links point to, then resume a report a stopped process left running. */
  start(listenUrl: string): void;
  stop(): Promise<void>;
}

export function createMfaReportRuntime(
  deps: RuntimeDeps & {
    evidence: ReportEvidence;
  },
): MfaReportRuntime {
  const { config, storage, clock } = deps;
  const logger = deps.logger.child({ component: 'mfa-report' });
  let signer: CsvLinkSigner | null = null;
  let baseUrl: string | null = config.publicBaseUrl ?? null;
  const reporter: MfaReporter = createMfaReporter({
    graph: deps.graph,
    storage,
    messenger: deps.messenger,
    cards: { progress: mfaReportProgressCard, result: mfaReportCard },
    clock,
    logger,
    evidence: deps.evidence,
    leaseTtlMs: config.leaseSeconds * 1000,
    csvLink: async (job) => {
      if (baseUrl === null) return null;
      signer ??= createCsvLinkSigner(await loadCsvLinkSecret(storage), clock);
      return `${baseUrl}${reportCsvPath(job.id, signer.sign(job.id, job.requester.aadObjectId, CSV_LINK_TTL_MS))}`;
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
    routeDeps: { mfaReport: reporter },
    registerRoutes(server) {
      registerReportDownload(server, { storage, signer: lazySigner, audit: deps.audit, logger });
    },
    start(listenUrl) {
      if (baseUrl === null && config.mode === 'demo') baseUrl = listenUrl;
      void loadCsvLinkSecret(storage)
        .then((secret) => {
          signer ??= createCsvLinkSigner(secret, clock);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'CSV link key could not be loaded'));
      void (async () => {
        while (!watching.signal.aborted) {
          await reporter
            .resumeOnBoot()
            .catch((error: unknown) => logger.error({ err: error }, 'mfa report resume failed'));
          await reporter.idle();
          await clock.sleep(config.leaseSeconds * 1000, watching.signal).catch(() => undefined);
        }
      })();
    },
    stop: () => {
      watching.abort();
      return reporter.shutdown();
    },
  };
}
