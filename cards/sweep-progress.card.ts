import type { SweepProgressView, SweepScope } from '../services/mailbox/sweep-types';
import { row, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { jobProgressLayout, jobScopeLabel, jobScopeLine } from './job';
import { formatCount, own, type Own } from './text';

/** What a sweep covers, in words (also in the command's plain-text replies). */
export function scopeLabel(scope: SweepScope): string {
  return jobScopeLabel(scope, 'every mailbox in the tenant');
}

/** A line naming the sweep's scope (the group id came from chat: a TextRun). */
export function scopeLine(lead: Own, scope: SweepScope, tail: Own): CardElement {
  return jobScopeLine(lead, scope, own('every mailbox in the tenant'), tail);
}

/** The progress card, updated in place while the sweep runs (done/total, findings, rate, ETA, Cancel). */
export function sweepProgressCard(view: SweepProgressView): AdaptiveCard {
  return jobProgressLayout(view, {
    title: own('Forwarding sweep'),
    scopeLine: scopeLine(own('Checking inbox rules of '), view.scope, own('.')),
    counts: row(
      own('Findings so far'),
      own`${formatCount(view.findings)} in ${formatCount(view.flaggedMailboxes)} mailboxes`,
    ),
    unit: 'mailboxes',
    cancel: verbButton('Cancel sweep', 'sweep.cancel', { jobId: view.jobId }),
    fallbackText: 'Forwarding sweep progress',
  });
}
