import type { SweepSummaryView } from '../services/mailbox/sweep-types';
import { adaptiveCard, container, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatCount, own } from './text';
import { formatDuration, scopeLine } from './sweep-progress.card';

// The failure's code and permission are stored job data, so they are TextRuns.
function outcome(view: SweepSummaryView): CardElement {
  const color = view.state === 'done' ? 'Default' : 'Warning';
  if (view.state === 'failed') {
    const f = view.failure;
    if (f?.code === 'graph_forbidden')
      return runs(
        [
          own('Stopped: Graph refused access. Grant the app '),
          f.permission ?? 'MailboxSettings.Read',
          own(' (application permission) with admin consent, then start the sweep again.'),
        ],
        { color },
      );
    if (f?.code === 'graph_unauthorized')
      return text(own('Stopped: the bot could not authenticate to Graph (credential expired or rotated).'), { color });
    return runs([own('Stopped by an error ('), f?.code ?? 'unknown', own('). The results so far are below.')], {
      color,
    });
  }
  if (view.state === 'cancelled')
    return text(own('Cancelled before the end: the results cover the mailboxes checked so far.'), { color });
  return text(own('Finished: every mailbox in scope was checked once.'), { color });
}

/** The summary card at the end of a sweep: findings by severity, top external domains, and the CSV link. */
export function sweepSummaryCard(view: SweepSummaryView): AdaptiveCard {
  const s = view.findingsBySeverity;
  const body: CardElement[] = [
    heading(own('Forwarding sweep: summary')),
    outcome(view),
    scopeLine(own('Scope: '), view.scope, own('.')),
    row(
      own('Users checked'),
      own`${formatCount(view.done)}${view.total === null ? '' : own` of ${formatCount(view.total)}`}`,
    ),
    row(own('Mailboxes read'), formatCount(view.mailboxes)),
    row(own('No mailbox'), own`${formatCount(view.noMailbox)} (no Exchange licence: nothing to check)`),
    row(own('Could not read'), formatCount(view.errors)),
    row(
      own('Findings'),
      own`High ${s.high} · Medium ${s.medium} · Low ${s.low}, in ${view.flaggedMailboxes} mailboxes`,
    ),
    row(own('Took'), formatDuration(view.now - view.startedAt)),
  ];
  if (view.cancelledBy) body.push(row(own('Cancelled by'), view.cancelledBy));
  if (view.topDomains.length > 0) {
    body.push(
      container(
        [
          text(own('Top external domains receiving mail'), { weight: 'Bolder' }),
          ...view.topDomains.map((d) =>
            row(own`${d.findings} finding${d.findings === 1 ? '' : 's'}`, untrusted(d.domain, { mono: true })),
          ),
        ],
        { spacing: 'Medium' },
      ),
    );
  }
  body.push(
    text(
      view.mailboxForwardingChecked
        ? own('Mailbox-level forwarding (Exchange) was checked too.')
        : own(
            'Mailbox-level forwarding was NOT checked (set EXCHANGE_ADMIN_ENABLED=true with Exchange.ManageAsApp to include it). Hidden (MAPI) rules are not visible through Graph.',
          ),
      { isSubtle: true, spacing: 'Medium' },
    ),
  );
  const actions = view.csvUrl
    ? [{ type: 'Action.OpenUrl', title: 'Download all findings (CSV)', url: view.csvUrl }]
    : [];
  if (!view.csvUrl && view.state !== 'failed')
    body.push(text(own('The CSV of all findings is sent to the requester in a personal chat.'), { isSubtle: true }));
  if (view.csvUrl)
    body.push(
      text(
        own(
          'The download link works for 24 hours for anyone who has it (it carries its own credential): do not forward or paste it anywhere.',
        ),
        { isSubtle: true },
      ),
    );
  return adaptiveCard(body, actions, 'Forwarding sweep summary');
}
