import type { ForwardingReport, MailboxForwardingView } from '../services/mailbox/forwarding-check';
import type { RecipientView, RuleFinding, RuleVerdict, Severity } from '../services/mailbox/rule-verdict';
import { sanitizeUntrusted } from '../services/text';
import {
  adaptiveCard,
  commandButton,
  container,
  heading,
  text,
  untrusted,
  type AdaptiveCard,
  type CardElement,
} from './elements';

export const SEVERITY_LABEL: Record<Severity, string> = {
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  none: 'OK',
};

const SEVERITY_COLOR: Record<Severity, string> = {
  high: 'Attention',
  medium: 'Warning',
  low: 'Accent',
  none: 'Good',
};

const KIND_NOTE: Record<RecipientView['kind'], string> = {
  internal: 'internal (a verified domain)',
  external: 'EXTERNAL',
  lookalike: 'EXTERNAL, look-alike of',
  invalid: 'not a valid address',
};

/** A line mixing our wording (TextRuns we wrote) with untrusted parts (TextRuns that are sanitised and never markdown). */
function line(parts: ({ trusted: string } | { untrusted: string; mono?: boolean })[], spacing = 'None'): CardElement {
  return {
    type: 'RichTextBlock',
    spacing,
    inlines: parts.map((p) =>
      'trusted' in p
        ? { type: 'TextRun', text: p.trusted }
        : { type: 'TextRun', text: sanitizeUntrusted(p.untrusted, 200), ...(p.mono ? { fontType: 'Monospace' } : {}) },
    ),
  };
}

function recipientLine(r: RecipientView): CardElement {
  const parts: ({ trusted: string } | { untrusted: string; mono?: boolean })[] = [
    { trusted: '• ' },
    { untrusted: r.address || '(no address)', mono: true },
  ];
  if (r.name && r.name !== r.address) parts.push({ trusted: ' (name: ' }, { untrusted: r.name }, { trusted: ')' });
  parts.push({ trusted: ` — ${KIND_NOTE[r.kind]}` });
  if (r.kind === 'lookalike' && r.lookalikeOf) parts.push({ trusted: ' ' }, { untrusted: r.lookalikeOf, mono: true });
  return line(parts);
}

const VIA_LABEL = {
  forwardTo: 'Forwards to',
  forwardAsAttachmentTo: 'Forwards as attachment to',
  redirectTo: 'Redirects to',
};

function findingElements(f: RuleFinding): CardElement[] {
  switch (f.kind) {
    case 'forward':
      return [text(`${VIA_LABEL[f.via]}:`, { spacing: 'Small' }), ...f.recipients.map(recipientLine)];
    case 'delete':
      return [
        text(
          f.permanent
            ? 'Permanently deletes the mail (it never reaches Deleted Items).'
            : `Deletes the mail${f.markAsRead ? ' and marks it read' : ''}.`,
          { spacing: 'Small' },
        ),
      ];
    case 'move': {
      const verb = f.copy ? 'Copies' : 'Moves';
      const tail = f.obscure ? ' — a folder users rarely open' : '';
      const read = f.markAsRead && !f.copy ? ' and marks it read' : '';
      if (f.folder === null) return [text(`${verb} the mail to another folder${read}.`, { spacing: 'Small' })];
      if (!f.folder.found)
        return [
          text(`${verb} the mail to a folder that could not be read (deleted or hidden)${read}.`, { spacing: 'Small' }),
        ];
      return [
        line(
          [
            { trusted: `${verb} the mail to ` },
            { untrusted: f.folder.displayName || '(unnamed)' },
            { trusted: `${f.folder.isHidden ? ' (hidden folder)' : ''}${read}${tail}.` },
          ],
          'Small',
        ),
      ];
    }
    case 'mark-read':
      return [text('Marks the mail read.', { spacing: 'Small' })];
    case 'stop-processing':
      return [text('Stops processing further rules.', { spacing: 'Small' })];
    case 'has-error':
      return [text('Exchange flags this rule as in error: it may not run as shown.', { spacing: 'Small' })];
    case 'inconspicuous-name':
      return [text('Its name is punctuation or blank, a common trick to keep it unnoticed.', { spacing: 'Small' })];
  }
}

function ruleBlock(rule: RuleVerdict, user: string): CardElement {
  const state = rule.enabled ? '' : ' · DISABLED (not running)';
  const items: CardElement[] = [
    line(
      [
        { trusted: `${SEVERITY_LABEL[rule.severity]} · rule ` },
        { untrusted: rule.name === '' ? '(no name)' : rule.name },
        { trusted: `${rule.sequence !== null ? ` · order ${rule.sequence}` : ''}${state}` },
      ],
      'Medium',
    ),
    ...rule.findings.flatMap(findingElements),
  ];
  if (rule.conditions.length > 0 && rule.severity !== 'none')
    items.push(
      line(
        [
          { trusted: 'When: ' },
          ...rule.conditions.flatMap((c, i) => [
            ...(i > 0 ? [{ trusted: '; ' }] : []),
            { untrusted: c.name },
            ...(c.values.length > 0 ? [{ trusted: ' ' }, { untrusted: c.values.join(', ') }] : []),
          ]),
        ],
        'Small',
      ),
    );
  else if (rule.severity !== 'none') items.push(text('When: every message (no conditions).', { spacing: 'Small' }));
  if (rule.findings.length === 0) items.push(text('Nothing that forwards, deletes or hides mail.', { isSubtle: true }));
  const actions =
    rule.severity === 'none'
      ? []
      : [{ type: 'ActionSet', actions: [commandButton('Disable this rule', 'disable-rule', `${user} ${rule.id}`)] }];
  return container([...items, ...actions], {
    style: rule.severity === 'high' ? 'attention' : 'default',
    separator: true,
  });
}

function mailboxBlock(view: MailboxForwardingView): CardElement[] {
  switch (view.kind) {
    case 'not-configured':
      return [
        text(
          'Mailbox-level forwarding (ForwardingSmtpAddress, ForwardingAddress) was NOT checked: Graph does not expose it. ' +
            'To check it, grant the app Exchange.ManageAsApp and an Exchange role (View-Only Recipients), then set EXCHANGE_ADMIN_ENABLED=true.',
          { color: 'Warning' },
        ),
      ];
    case 'failed':
      return [
        text(
          view.permission
            ? `Mailbox-level forwarding could NOT be checked: Exchange refused the bot. Grant ${view.permission}.`
            : `Mailbox-level forwarding could NOT be checked: the Exchange admin API failed (${view.code}). The inbox rules above were checked.`,
          { color: 'Warning' },
        ),
      ];
    case 'no-exchange-mailbox':
      return [text('Exchange reports no mailbox for this user, so no mailbox-level forwarding.')];
    case 'checked': {
      const out: CardElement[] = [];
      if (view.smtp === null && view.recipient === null) out.push(text('No mailbox-level forwarding.'));
      if (view.smtp)
        out.push(
          line([
            { trusted: `${SEVERITY_LABEL[view.severity]} · Mailbox forwards (ForwardingSmtpAddress) to ` },
            { untrusted: view.smtp.address, mono: true },
            { trusted: ` — ${KIND_NOTE[view.smtp.class.kind]}` },
            ...(view.smtp.class.lookalikeOf
              ? [{ trusted: ' ' }, { untrusted: view.smtp.class.lookalikeOf, mono: true }]
              : []),
          ]),
        );
      if (view.recipient)
        out.push(
          line([{ trusted: 'Mailbox forwards (ForwardingAddress) to the recipient ' }, { untrusted: view.recipient }]),
        );
      if (view.smtp || view.recipient)
        out.push(
          text(
            view.deliverToMailboxAndForward
              ? 'A copy is kept in the mailbox (DeliverToMailboxAndForward).'
              : 'No copy is kept: the user does not see these messages.',
          ),
        );
      return out;
    }
  }
}

const OVERALL: Record<Severity, string> = {
  high: 'Mail is leaving the tenant or being hidden: treat this mailbox as compromised until explained.',
  medium: 'Rules delete or hide mail, or forwarding is set: check with the user.',
  low: 'Minor findings (internal forwarding, mark-read, rule errors): probably benign.',
  none: 'No forwarding, deleting or hiding rules found.',
};

const HIDDEN_NOTE =
  'Hidden inbox rules (made with MAPI tools) are not returned by Graph; Get-InboxRule -IncludeHidden in Exchange Online PowerShell is the only way to see them.';

const NO_MAILBOX = 'No mailbox: this user has no Exchange Online licence, so there are no inbox rules to check.';

/**
 * The verdict, the rules (all, or only the flagged ones), mailbox forwarding and the hidden-rules caveat: the body of
 * the `forwarding` card and the forwarding section of the `investigate` card.
 */
export function forwardingFindings(report: ForwardingReport, opts: { flaggedOnly?: boolean } = {}): CardElement[] {
  if (report.kind === 'no-mailbox') return [text(NO_MAILBOX)];
  const flagged = report.rules.filter((r) => r.severity !== 'none');
  return [
    text(`**Verdict: ${SEVERITY_LABEL[report.severity]}.** ${OVERALL[report.severity]}`, {
      color: SEVERITY_COLOR[report.severity],
    }),
    text(`${report.rules.length} inbox rule${report.rules.length === 1 ? '' : 's'}, ${flagged.length} flagged.`, {
      isSubtle: true,
    }),
    ...(opts.flaggedOnly ? flagged : report.rules).map((r) => ruleBlock(r, report.user)),
    container([text('Mailbox forwarding', { weight: 'Bolder' }), ...mailboxBlock(report.mailbox)], {
      separator: true,
      spacing: 'Medium',
    }),
    text(HIDDEN_NOTE, { isSubtle: true, spacing: 'Medium' }),
  ];
}

/** The `forwarding <upn>` reply. Rule names, recipients and folder names are untrusted and only appear in TextRuns. */
export function forwardingCard(report: ForwardingReport): AdaptiveCard {
  return adaptiveCard(
    [heading('Mail forwarding'), untrusted(report.user, { weight: 'Bolder' }), ...forwardingFindings(report)],
    [],
    report.kind === 'no-mailbox' ? 'Mail forwarding: no mailbox' : 'Mail forwarding report',
  );
}
