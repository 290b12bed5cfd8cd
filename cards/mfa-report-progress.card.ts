import type { ReportProgressView, ReportScope } from '../services/identity/mfa-report/types';
import { adaptiveCard, heading, row, runs, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatDuration } from './sweep-progress.card';
import { formatCount, own, type Own } from './text';

/** What a report covers, in words (also in the command's plain-text replies). */
export function reportScopeLabel(scope: ReportScope): string {
  return scope.kind === 'all' ? 'every user in the tenant' : `the members of group ${scope.groupId}`;
}

/** A line naming the scope: the group id came from chat, so it is a TextRun like any other string. */
export function reportScopeLine(lead: Own, scope: ReportScope, tail: Own): CardElement {
  return runs(
    scope.kind === 'all'
      ? [lead, own('every user in the tenant'), tail]
      : [lead, own('the members of group '), scope.groupId, tail],
    { subtle: true },
  );
}

const STATE_LABEL = {
  running: 'Running',
  cancelled: 'Cancelled',
  done: 'Finished',
  failed: 'Stopped by an error',
} as const satisfies Record<ReportProgressView['state'], string>;

/** The progress card of `report mfa`, updated in place (done/total, rate, ETA, Cancel). */
export function mfaReportProgressCard(view: ReportProgressView): AdaptiveCard {
  const total = view.total === null ? '?' : formatCount(view.total);
  const pct = view.total ? own` (${Math.floor((100 * view.done) / Math.max(1, view.total))} %)` : '';
  const body: CardElement[] = [
    heading(own('MFA report')),
    reportScopeLine(own('Judging the MFA of '), view.scope, own(': registered × allowed by policy × verified.')),
    row(own('State'), own(STATE_LABEL[view.state])),
    row(own('Done'), own`${formatCount(view.done)} / ${total}${pct}`),
    row(own('So far'), own`${formatCount(view.usable)} usable, ${formatCount(view.notUsable)} not usable`),
    row(
      own('Rate'),
      view.ratePerMinute === null ? own('measuring…') : own`${formatCount(Math.round(view.ratePerMinute))} users/min`,
    ),
    row(
      own('ETA'),
      view.state !== 'running'
        ? own('—')
        : view.etaMs === null
          ? own('estimating…')
          : own`about ${formatDuration(view.etaMs)}`,
    ),
    row(own('Running for'), formatDuration(view.now - view.startedAt)),
  ];
  if (view.requesterName) body.push(runs([own('Started by '), view.requesterName], { max: 256, spacing: 'Small' }));
  const actions =
    view.state === 'running' ? [verbButton('Cancel report', 'mfaReport.cancel', { jobId: view.jobId })] : [];
  return adaptiveCard(body, actions, 'MFA report progress');
}
