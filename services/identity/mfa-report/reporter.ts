/**
 * Starts, cancels and resumes `report mfa` jobs on the shared background-job module (services/jobs): one at a time per
 * tenant, a progress card updated in place, the result card at the end. This file holds only what the report shows.
 */
import type { GraphClient } from '../../graph/client';
import { createBackgroundJob, jobProgress, type BackgroundJobDeps } from '../../jobs/background-job';
import type { BackgroundJob, JobCancelResult, JobStartResult } from '../../jobs/types';
import type { ReportEvidence } from './evidence';
import { DEFAULT_MAX_WAITING, runReport, type ReportRunState } from './runner';
import { REPORT_KEYS, reportCounting } from './store';
import type { ReportCards, ReportProgressView, ReportResultView, ReportScope } from './types';

export interface MfaReporterDeps extends BackgroundJobDeps<ReportScope> {
  graph: GraphClient;
  cards: ReportCards;
  evidence: ReportEvidence;
  auditDays?: number;
  concurrency?: number;
  maxWaiting?: number;
  chunkSize?: number;
}

export type ReportStartResult = JobStartResult<ReportProgressView>;

export type ReportCancelResult = JobCancelResult;

export type MfaReporter = BackgroundJob<ReportScope, ReportProgressView>;

/** The progress card's numbers: done/total, usable so far, and the rate and ETA of this process's run. */
export function reportProgressView(s: ReportRunState, now: number): ReportProgressView {
  const c = s.counters.byCategory;
  return { ...jobProgress(s, now), usable: c.usable, notUsable: c['registered-not-usable'] + c['not-registered'] };
}

/** The result card's view of a finished (or stopped) run. */
export function reportResultView(s: ReportRunState, now: number, csvUrl: string | null): ReportResultView {
  const c = s.counters;
  return {
    ...reportProgressView(s, now),
    byCategory: { ...c.byCategory },
    byMethod: c.byMethod,
    caTargeted: c.caTargeted,
    caWouldFail: c.caWouldFail,
    adminsNotUsable: c.adminsNotUsable,
    admins: c.admins,
    others: c.others,
    evidenceFrom: s.extra.evidenceFrom,
    failure: s.job.failure,
    cancelledBy: s.job.cancelledBy,
    csvUrl,
  };
}

export function createMfaReporter(deps: MfaReporterDeps): MfaReporter {
  return createBackgroundJob(deps, {
    name: 'mfa report',
    keys: REPORT_KEYS,
    counting: reportCounting,
    extra: () => ({ evidenceFrom: null }),
    run: (job, signal, onState, logger) =>
      runReport(
        {
          graph: deps.graph,
          storage: deps.storage,
          clock: deps.clock,
          logger,
          evidence: deps.evidence,
          auditDays: deps.auditDays ?? 30,
          concurrency: deps.concurrency ?? 8,
          maxWaiting: deps.maxWaiting ?? DEFAULT_MAX_WAITING,
          chunkSize: deps.chunkSize ?? 500,
        },
        job,
        signal,
        onState,
      ),
    progressView: reportProgressView,
    resultView: reportResultView,
    cards: deps.cards,
  });
}
