import type restify from 'restify';
import { z } from 'zod';
import { mfaReportCard } from '../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../cards/mfa-report-progress.card';
import type { AuditLog } from '../../services/audit/audit-log';
import type { Clock } from '../../services/clock';
import type { GraphClient } from '../../services/graph';
import { reportCsvLines } from '../../services/identity/mfa-report/csv';
import type { ReportEvidence } from '../../services/identity/mfa-report/evidence';
import { createMfaReporter, type MfaReporter } from '../../services/identity/mfa-report/reporter';
import { readReportJob } from '../../services/identity/mfa-report/store';
import type { Logger } from '../../services/log';
import { createCsvLinkSigner, loadCsvLinkSecret, type CsvLinkSigner } from '../../services/mailbox/sweep-csv';
import type { Messenger } from '../../services/messaging/port';
import type { Storage } from '../../services/storage/port';
import type { Services } from '../commands/services';
import type { Config } from '../config';

// The same signed, expiring, requester-bound link as the sweep's CSV (and the same key): a day, personal chat only.
const CSV_LINK_TTL_MS = 24 * 60 * 60_000;

/** Path of a report's CSV; the token in `t` is the only credential. */
export const REPORT_CSV_ROUTE = '/report/mfa/:jobId/users.csv';

export function reportCsvPath(jobId: string, token: string): string {
  return `/report/mfa/${encodeURIComponent(jobId)}/users.csv?t=${encodeURIComponent(token)}`;
}

const paramsSchema = z.object({ jobId: z.uuid() });

/** GET /report/mfa/{job}/users.csv?t=…: streams the CSV when the token is valid, unexpired and names the requester. */
export function registerReportDownload(
  server: restify.Server,
  deps: { storage: Storage; signer: CsvLinkSigner; audit: AuditLog; logger: Logger },
): void {
  const log = deps.logger.child({ component: 'mfa-report-download' });
  server.get(REPORT_CSV_ROUTE, async (req: restify.Request, res: restify.Response) => {
    const params = paramsSchema.safeParse(req.params);
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('t') ?? '';
    // One answer for every refusal, so the endpoint does not reveal which jobs exist.
    const refuse = (reason: string): void => {
      log.warn({ reason }, 'mfa report CSV download refused');
      res.send(403, { error: 'forbidden' });
    };
    if (!params.success) return refuse('bad job id');
    const check = deps.signer.verify(token, params.data.jobId);
    if (!check.ok) return refuse(check.reason);
    const job = await readReportJob(deps.storage, params.data.jobId);
    if (!job || job.requester.aadObjectId !== check.claims.requester) return refuse('not the requester of this job');
    await deps.audit.append({
      actor: { aadObjectId: check.claims.requester, name: job.requester.name },
      action: 'report:csv-download',
      target: job.id,
      outcome: 'allowed',
      correlationId: job.id,
      details: { via: 'link' },
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="mfa-report-${job.id}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    try {
      for await (const chunk of reportCsvLines(deps.storage, job.id)) {
        if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
      }
    } catch (error) {
      log.error({ err: error }, 'mfa report CSV stream failed');
    }
    res.end();
  });
}

/** `report mfa`, wired for the bot process. */
export interface MfaReportRuntime {
  routeDeps: Required<Pick<Services, 'mfaReport'>>;
  registerRoutes(server: restify.Server): void;
  /** After listen: the URL links point to, then resume a report a stopped process left running. */
  start(listenUrl: string): void;
  stop(): Promise<void>;
}

export function createMfaReportRuntime(deps: {
  config: Config;
  storage: Storage;
  graph: GraphClient;
  audit: AuditLog;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  evidence: ReportEvidence;
}): MfaReportRuntime {
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
