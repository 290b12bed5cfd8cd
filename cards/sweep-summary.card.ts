import type { SweepSummaryView } from '../services/mailbox/sweep-types';
import { adaptiveCard, container, heading, row, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatCount, own } from './text';
import { csvLinkParts, formatDuration, jobOutcome } from './job';
import { scopeLine } from './sweep-progress.card';

// How the job ended, in the words of this job (cards/job.ts jobOutcome).
const SWEEP_OUTCOME = {
  again: own('start the sweep again'),
  soFar: own('The results so far'),
  cancelled: own('Cancelled before the end: the results cover the mailboxes checked so far.'),
  finished: own('Finished: every mailbox in scope was checked once.'),
};

/** The summary card at the end of a sweep: findings by severity, top external domains, and the CSV link. */
export function sweepSummaryCard(view: SweepSummaryView): AdaptiveCard {
  const s = view.findingsBySeverity;
  const body: CardElement[] = [
    heading(own('Forwarding sweep: summary')),
    jobOutcome(view, 'MailboxSettings.Read', SWEEP_OUTCOME),
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
  const csv = csvLinkParts(view, {
    button: 'Download all findings (CSV)',
    elsewhere: own('The CSV of all findings is sent to the requester in a personal chat.'),
  });
  body.push(...csv.notes);
  return adaptiveCard(body, csv.actions, 'Forwarding sweep summary');
}
