import type { ReportProgressView, ReportScope } from '../services/identity/mfa-report/types';
import { row, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { jobProgressLayout, jobScopeLabel, jobScopeLine } from './job';
import { formatCount, own, type Own } from './text';

/** What a report covers, in words (also in the command's plain-text replies). */
export function reportScopeLabel(scope: ReportScope): string {
  return jobScopeLabel(scope, 'every user in the tenant');
}

/** A line naming the report's scope (the group id came from chat: a TextRun). */
export function reportScopeLine(lead: Own, scope: ReportScope, tail: Own): CardElement {
  return jobScopeLine(lead, scope, own('every user in the tenant'), tail);
}

/** The progress card of `report mfa`, updated in place (done/total, rate, ETA, Cancel). */
export function mfaReportProgressCard(view: ReportProgressView): AdaptiveCard {
  return jobProgressLayout(view, {
    title: own('MFA report'),
    scopeLine: reportScopeLine(
      own('Judging the MFA of '),
      view.scope,
      own(': registered × allowed by policy × verified.'),
    ),
    counts: row(own('So far'), own`${formatCount(view.usable)} usable, ${formatCount(view.notUsable)} not usable`),
    unit: 'users',
    cancel: verbButton('Cancel report', 'mfaReport.cancel', { jobId: view.jobId }),
    fallbackText: 'MFA report progress',
  });
}
