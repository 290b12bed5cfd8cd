/**
 * What the progress and result cards of every background job share (the forwarding sweep, `report mfa`): the scope
 * line, durations, the progress card's frame (state, done/total, rate, ETA, Cancel), how a stopped job explains
 * itself, and the CSV link's warning. Each job's card adds only its own numbers. Pure.
 */
import type { JobProgress, JobRecord, JobScope } from '../services/jobs/types';
import { adaptiveCard, heading, row, runs, text, type AdaptiveCard, type CardElement } from './elements';
import { formatCount, own, type Own } from './text';

/** What a job covers, in words (also in the command's plain-text replies). */
export function jobScopeLabel(scope: JobScope, everyone: string): string {
  return scope.kind === 'all' ? everyone : `the members of group ${scope.groupId}`;
}

/** A line naming the scope: the group id came from chat, so it is a TextRun like any other string. */
export function jobScopeLine(lead: Own, scope: JobScope, everyone: Own, tail: Own): CardElement {
  return runs(
    scope.kind === 'all' ? [lead, everyone, tail] : [lead, own('the members of group '), scope.groupId, tail],
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
} as const satisfies Record<JobProgress['state'], string>;

/** The progress card, updated in place while the job runs: its scope line and counts between the common rows. */
export function jobProgressLayout(
  view: JobProgress,
  spec: {
    title: Own;
    scopeLine: CardElement;
    counts: CardElement;
    unit: 'mailboxes' | 'users';
    cancel: CardElement;
    fallbackText: string;
  },
): AdaptiveCard {
  const total = view.total === null ? '?' : formatCount(view.total);
  const pct = view.total ? own` (${Math.floor((100 * view.done) / Math.max(1, view.total))} %)` : '';
  const body: CardElement[] = [
    heading(spec.title),
    spec.scopeLine,
    row(own('State'), own(STATE_LABEL[view.state])),
    row(own('Done'), own`${formatCount(view.done)} / ${total}${pct}`),
    spec.counts,
    row(
      own('Rate'),
      view.ratePerMinute === null
        ? own('measuring…')
        : own`${formatCount(Math.round(view.ratePerMinute))} ${spec.unit}/min`,
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
  return adaptiveCard(body, view.state === 'running' ? [spec.cancel] : [], spec.fallbackText);
}

/** How a job ended, at the top of its result card. The failure's code and permission are stored job data (TextRuns). */
export function jobOutcome(
  view: { state: JobProgress['state']; failure: JobRecord['failure'] },
  /** The permission a 403 names when Graph named none. */
  permission: string,
  words: { again: Own; soFar: Own; cancelled: Own; finished: Own },
): CardElement {
  const color = view.state === 'done' ? 'Default' : 'Warning';
  if (view.state === 'failed') {
    const f = view.failure;
    if (f?.code === 'graph_forbidden')
      return runs(
        [
          own('Stopped: Graph refused access. Grant the app '),
          f.permission ?? permission,
          own` (application permission) with admin consent, then ${words.again}.`,
        ],
        { color },
      );
    if (f?.code === 'graph_unauthorized')
      return text(own('Stopped: the bot could not authenticate to Graph (credential expired or rotated).'), { color });
    return runs([own('Stopped by an error ('), f?.code ?? 'unknown', own`). ${words.soFar} are below.`], { color });
  }
  if (view.state === 'cancelled') return text(words.cancelled, { color });
  return text(words.finished, { color });
}

/** The download button and the warning that goes with it, or where the CSV goes instead. */
export function csvLinkParts(
  view: { csvUrl: string | null; state: JobProgress['state'] },
  words: { button: string; elsewhere: Own },
): { actions: CardElement[]; notes: CardElement[] } {
  if (view.csvUrl)
    return {
      actions: [{ type: 'Action.OpenUrl', title: words.button, url: view.csvUrl }],
      notes: [
        text(
          own(
            'The download link works for 24 hours for anyone who has it (it carries its own credential): do not forward or paste it anywhere.',
          ),
          { isSubtle: true },
        ),
      ],
    };
  return { actions: [], notes: view.state === 'failed' ? [] : [text(words.elsewhere, { isSubtle: true })] };
}
