import type { RuntimeDeps } from './runtime-deps';
import { mfaReportCard } from '../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../cards/mfa-report-progress.card';
import { reportCsvLines } from '../../services/identity/mfa-report/csv';
import type { ReportEvidence } from '../../services/identity/mfa-report/evidence';
import { createMfaReporter } from '../../services/identity/mfa-report/reporter';
import { readReportJob } from '../../services/identity/mfa-report/store';
import type { Services } from '../commands/services';
import { createJobRuntime, type RuntimeLifecycle } from './job-runtime';

/** Path of a report's CSV; the token in `t` is the only credential. */
export const REPORT_CSV_ROUTE = '/report/mfa/:jobId/users.csv';

export function reportCsvPath(jobId: string, token: string): string {
  return `/report/mfa/${encodeURIComponent(jobId)}/users.csv?t=${encodeURIComponent(token)}`;
}

/** GET /report/mfa/{job}/users.csv?t=…: the report's users, through the same signed, requester-bound download. */
export const REPORT_DOWNLOAD = {
  route: REPORT_CSV_ROUTE,
  name: 'report',
  filename: (id: string) => `mfa-report-${id}.csv`,
  readJob: readReportJob,
  lines: reportCsvLines,
  path: reportCsvPath,
};

/** `report mfa`, wired for the bot process. */
export interface MfaReportRuntime extends RuntimeLifecycle {
  routeDeps: Required<Pick<Services, 'mfaReport'>>;
}

export function createMfaReportRuntime(deps: RuntimeDeps & { evidence: ReportEvidence }): MfaReportRuntime {
  const logger = deps.logger.child({ component: 'mfa-report' });
  // The same signed, expiring, requester-bound link as the sweep's CSV (and the same key): a day, personal chat only.
  const runtime = createJobRuntime(deps, {
    logger,
    download: REPORT_DOWNLOAD,
    create: (jobDeps) =>
      createMfaReporter({
        ...jobDeps,
        graph: deps.graph,
        cards: { progress: mfaReportProgressCard, result: mfaReportCard },
        evidence: deps.evidence,
      }),
  });
  return {
    routeDeps: { mfaReport: runtime.job },
    ...runtime.lifecycle,
  };
}
