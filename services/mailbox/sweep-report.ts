import { jobProgress } from '../jobs/background-job';
import type { SweepRunState } from './sweep-runner';
import { topDomains, totalFindings } from './sweep-store';
import type { SweepProgressView, SweepSummaryView } from './sweep-types';

/** The progress card's numbers: done/total, findings, and the rate and ETA of this process's run. */
export function progressView(s: SweepRunState, now: number): SweepProgressView {
  return { ...jobProgress(s, now), findings: totalFindings(s.counters), flaggedMailboxes: s.counters.flaggedMailboxes };
}

/** The summary card's numbers at the end of a sweep (the CSV link only where the requester alone sees it). */
export function summaryView(s: SweepRunState, now: number, csvUrl: string | null): SweepSummaryView {
  return {
    ...progressView(s, now),
    mailboxes: s.counters.mailboxes,
    noMailbox: s.counters.noMailbox,
    errors: s.counters.errors,
    findingsBySeverity: { ...s.counters.findingsBySeverity },
    topDomains: topDomains(s.counters),
    mailboxForwardingChecked: s.extra.mailboxForwardingChecked,
    failure: s.job.failure,
    cancelledBy: s.job.cancelledBy,
    csvUrl,
  };
}
