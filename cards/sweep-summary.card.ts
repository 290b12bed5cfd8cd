import type { SweepSummaryView } from '../services/mailbox/sweep-types';
import {
  adaptiveCard,
  container,
  heading,
  row,
  text,
  trustedRow,
  untrusted,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { formatDuration, scopeLabel } from './sweep-progress.card';

function outcome(view: SweepSummaryView): string {
  if (view.state === 'failed') {
    const f = view.failure;
    if (f?.code === 'graph_forbidden')
      return `Stopped: Graph refused access. Grant the app ${f.permission ?? 'MailboxSettings.Read'} (application permission) with admin consent, then start the sweep again.`;
    if (f?.code === 'graph_unauthorized')
      return 'Stopped: the bot could not authenticate to Graph (credential expired or rotated).';
    return `Stopped by an error (${f?.code ?? 'unknown'}). The results so far are below.`;
  }
  if (view.state === 'cancelled') return 'Cancelled before the end: the results cover the mailboxes checked so far.';
  return 'Finished: every mailbox in scope was checked once.';
}

/** The summary card at the end of a sweep: findings by severity, top external domains, and the CSV link. */
export function sweepSummaryCard(view: SweepSummaryView): AdaptiveCard {
  const s = view.findingsBySeverity;
  const body: CardElement[] = [
    heading('Forwarding sweep: summary'),
    text(outcome(view), { color: view.state === 'done' ? 'Default' : 'Warning' }),
    text(`Scope: ${scopeLabel(view.scope)}.`, { isSubtle: true }),
    trustedRow(
      'Users checked',
      `${view.done.toLocaleString('en-US')}${view.total === null ? '' : ` of ${view.total.toLocaleString('en-US')}`}`,
    ),
    trustedRow('Mailboxes read', view.mailboxes.toLocaleString('en-US')),
    trustedRow('No mailbox', `${view.noMailbox.toLocaleString('en-US')} (no Exchange licence: nothing to check)`),
    trustedRow('Could not read', view.errors.toLocaleString('en-US')),
    trustedRow('Findings', `High ${s.high} · Medium ${s.medium} · Low ${s.low}, in ${view.flaggedMailboxes} mailboxes`),
    trustedRow('Took', formatDuration(view.now - view.startedAt)),
  ];
  if (view.cancelledBy) body.push(row('Cancelled by', untrusted(view.cancelledBy)));
  if (view.topDomains.length > 0) {
    body.push(
      container(
        [
          text('Top external domains receiving mail', { weight: 'Bolder' }),
          ...view.topDomains.map((d) =>
            row(`${d.findings} finding${d.findings === 1 ? '' : 's'}`, untrusted(d.domain, { monospace: true })),
          ),
        ],
        { spacing: 'Medium' },
      ),
    );
  }
  body.push(
    text(
      view.mailboxForwardingChecked
        ? 'Mailbox-level forwarding (Exchange) was checked too.'
        : 'Mailbox-level forwarding was NOT checked (set EXCHANGE_ADMIN_ENABLED=true with Exchange.ManageAsApp to include it). Hidden (MAPI) rules are not visible through Graph.',
      { isSubtle: true, spacing: 'Medium' },
    ),
  );
  const actions = view.csvUrl
    ? [{ type: 'Action.OpenUrl', title: 'Download all findings (CSV)', url: view.csvUrl }]
    : [];
  if (!view.csvUrl && view.state !== 'failed')
    body.push(text('The CSV of all findings is sent to the requester in a personal chat.', { isSubtle: true }));
  if (view.csvUrl)
    body.push(
      text(
        'The download link works for 24 hours for anyone who has it (it carries its own credential): do not forward or paste it anywhere.',
        { isSubtle: true },
      ),
    );
  return adaptiveCard(body, actions, 'Forwarding sweep summary');
}
