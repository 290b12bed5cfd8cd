import type { SweepProgressView, SweepScope } from '../services/mailbox/sweep-types';
import { adaptiveCard, heading, row, runs, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatCount, own, type Own } from './text';

/** What a sweep covers, in words (also in the command's plain-text replies). */
export function scopeLabel(scope: SweepScope): string {
  return scope.kind === 'all' ? 'every mailbox in the tenant' : `the members of group ${scope.groupId}`;
}

/** A line naming the scope: the group id came from chat, so it is a TextRun like any other string. */
export function scopeLine(lead: Own, scope: SweepScope, tail: Own): CardElement {
  return runs(
    scope.kind === 'all'
      ? [lead, own('every mailbox in the tenant'), tail]
      : [lead, own('the members of group '), scope.groupId, tail],
    { subtle: true },
  );
}

export function formatDuration(ms: number): Own {
  const s = Math.round(ms / 1000);
  if (s < 60) return own`${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return own`${m} min ${s % 60} s`;
  return own`${Math.floor(m / 60)} h ${m % 60} min`;
}

const STATE_LABEL = {
  running: 'Running',
  cancelled: 'Cancelled',
  done: 'Finished',
  failed: 'Stopped by an error',
} as const satisfies Record<SweepProgressView['state'], string>;

/** The progress card, updated in place while the sweep runs (done/total, findings, rate, ETA, Cancel). */
export function sweepProgressCard(view: SweepProgressView): AdaptiveCard {
  const total = view.total === null ? '?' : formatCount(view.total);
  const pct = view.total ? own` (${Math.floor((100 * view.done) / Math.max(1, view.total))} %)` : '';
  const body: CardElement[] = [
    heading(own('Forwarding sweep')),
    scopeLine(own('Checking inbox rules of '), view.scope, own('.')),
    row(own('State'), own(STATE_LABEL[view.state])),
    row(own('Done'), own`${formatCount(view.done)} / ${total}${pct}`),
    row(own('Findings so far'), own`${formatCount(view.findings)} in ${formatCount(view.flaggedMailboxes)} mailboxes`),
    row(
      own('Rate'),
      view.ratePerMinute === null
        ? own('measuring…')
        : own`${formatCount(Math.round(view.ratePerMinute))} mailboxes/min`,
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
  const actions = view.state === 'running' ? [verbButton('Cancel sweep', 'sweep.cancel', { jobId: view.jobId })] : [];
  return adaptiveCard(body, actions, 'Forwarding sweep progress');
}
