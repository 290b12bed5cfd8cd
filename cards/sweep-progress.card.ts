import type { SweepProgressView, SweepScope } from '../services/mailbox/sweep-types';
import {
  adaptiveCard,
  heading,
  text,
  trustedRow,
  untrusted,
  verbButton,
  type AdaptiveCard,
  type CardElement,
} from './elements';

export function scopeLabel(scope: SweepScope): string {
  return scope.kind === 'all' ? 'every mailbox in the tenant' : `the members of group ${scope.groupId}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const STATE_LABEL: Record<SweepProgressView['state'], string> = {
  running: 'Running',
  cancelled: 'Cancelled',
  done: 'Finished',
  failed: 'Stopped by an error',
};

/** The progress card, updated in place while the sweep runs (done/total, findings, rate, ETA, Cancel). */
export function sweepProgressCard(view: SweepProgressView): AdaptiveCard {
  const total = view.total === null ? '?' : view.total.toLocaleString('en-US');
  const pct = view.total ? ` (${Math.floor((100 * view.done) / Math.max(1, view.total))} %)` : '';
  const body: CardElement[] = [
    heading('Forwarding sweep'),
    text(`Checking inbox rules of ${scopeLabel(view.scope)}.`, { isSubtle: true }),
    trustedRow('State', STATE_LABEL[view.state]),
    trustedRow('Done', `${view.done.toLocaleString('en-US')} / ${total}${pct}`),
    trustedRow(
      'Findings so far',
      `${view.findings.toLocaleString('en-US')} in ${view.flaggedMailboxes.toLocaleString('en-US')} mailboxes`,
    ),
    trustedRow(
      'Rate',
      view.ratePerMinute === null
        ? 'measuring…'
        : `${Math.round(view.ratePerMinute).toLocaleString('en-US')} mailboxes/min`,
    ),
    trustedRow(
      'ETA',
      view.state !== 'running' ? '—' : view.etaMs === null ? 'estimating…' : `about ${formatDuration(view.etaMs)}`,
    ),
    trustedRow('Running for', formatDuration(view.now - view.startedAt)),
  ];
  if (view.requesterName) body.push({ ...untrusted(`Started by ${view.requesterName}`), spacing: 'Small' });
  const actions = view.state === 'running' ? [verbButton('Cancel sweep', 'sweep.cancel', { jobId: view.jobId })] : [];
  return adaptiveCard(body, actions, 'Forwarding sweep progress');
}
