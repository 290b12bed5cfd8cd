import type { ForwardingReport, MailboxForwardingView } from '../services/mailbox/forwarding-check';
import type { RecipientView, RuleFinding, RuleVerdict, Severity } from '../services/mailbox/rule-verdict';
import { adaptiveCard, commandButton, container, heading, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, Part } from './elements';
import { own } from './text';

export const SEVERITY_LABEL = {
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  none: 'OK',
} as const satisfies Record<Severity, string>;

const SEVERITY_COLOR: Record<Severity, string> = {
  high: 'Attention',
  medium: 'Warning',
  low: 'Accent',
  none: 'Good',
};

const KIND_NOTE = {
  internal: 'internal (a verified domain)',
  external: 'EXTERNAL',
  lookalike: 'EXTERNAL, look-alike of',
  invalid: 'not a valid address',
} as const satisfies Record<RecipientView['kind'], string>;

const line = (parts: Part[], spacing = 'None'): CardElement => runs(parts, { spacing });

function recipientLine(r: RecipientView): CardElement {
  const parts: Part[] = [own`• `, { text: r.address || '(no address)', mono: true }];
  if (r.name && r.name !== r.address) parts.push(own` (name: `, r.name, own`)`);
  parts.push(own` — ${KIND_NOTE[r.kind]}`);
  if (r.kind === 'lookalike' && r.lookalikeOf) parts.push(own` `, { text: r.lookalikeOf, mono: true });
  return line(parts);
}

const VIA_LABEL = {
  forwardTo: 'Forwards to',
  forwardAsAttachmentTo: 'Forwards as attachment to',
  redirectTo: 'Redirects to',
} as const;

function findingElements(f: RuleFinding): CardElement[] {
  switch (f.kind) {
    case 'forward':
      return [text(own`${VIA_LABEL[f.via]}:`, { spacing: 'Small' }), ...f.recipients.map(recipientLine)];
    case 'delete':
      return [
        text(
          f.permanent
            ? own('Permanently deletes the mail (it never reaches Deleted Items).')
            : own`Deletes the mail${f.markAsRead ? ' and marks it read' : ''}.`,
          { spacing: 'Small' },
        ),
      ];
    case 'move': {
      const verb = f.copy ? 'Copies' : 'Moves';
      const tail = f.obscure ? ' — a folder users rarely open' : '';
      const read = f.markAsRead && !f.copy ? ' and marks it read' : '';
      if (f.folder === null) return [text(own`${verb} the mail to another folder${read}.`, { spacing: 'Small' })];
      if (!f.folder.found)
        return [
          text(own`${verb} the mail to a folder that could not be read (deleted or hidden)${read}.`, {
            spacing: 'Small',
          }),
        ];
      return [
        line(
          [
            own`${verb} the mail to `,
            f.folder.displayName || '(unnamed)',
            own`${f.folder.isHidden ? ' (hidden folder)' : ''}${read}${tail}.`,
          ],
          'Small',
        ),
      ];
    }
    case 'mark-read':
      return [text(own('Marks the mail read.'), { spacing: 'Small' })];
    case 'stop-processing':
      return [text(own('Stops processing further rules.'), { spacing: 'Small' })];
    case 'has-error':
      return [text(own('Exchange flags this rule as in error: it may not run as shown.'), { spacing: 'Small' })];
    case 'inconspicuous-name':
      return [
        text(own('Its name is punctuation or blank, a common trick to keep it unnoticed.'), { spacing: 'Small' }),
      ];
  }
}

function ruleBlock(rule: RuleVerdict, user: string): CardElement {
  const state = rule.enabled ? '' : ' · DISABLED (not running)';
  const items: CardElement[] = [
    line(
      [
        own`${SEVERITY_LABEL[rule.severity]} · rule `,
        rule.name === '' ? '(no name)' : rule.name,
        rule.sequence !== null ? own` · order ${rule.sequence}${state}` : own`${state}`,
      ],
      'Medium',
    ),
    ...rule.findings.flatMap(findingElements),
  ];
  if (rule.conditions.length > 0 && rule.severity !== 'none')
    items.push(
      line(
        [
          own`When: `,
          ...rule.conditions.flatMap((c, i) => [
            ...(i > 0 ? [own`; `] : []),
            c.name,
            ...(c.values.length > 0 ? [own` `, c.values.join(', ')] : []),
          ]),
        ],
        'Small',
      ),
    );
  else if (rule.severity !== 'none')
    items.push(text(own('When: every message (no conditions).'), { spacing: 'Small' }));
  if (rule.findings.length === 0)
    items.push(text(own('Nothing that forwards, deletes or hides mail.'), { isSubtle: true }));
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
          own(
            'Mailbox-level forwarding (ForwardingSmtpAddress, ForwardingAddress) was NOT checked: Graph does not expose it. To check it, grant the app Exchange.ManageAsApp and an Exchange role (View-Only Recipients), then set EXCHANGE_ADMIN_ENABLED=true.',
          ),
          { color: 'Warning' },
        ),
      ];
    case 'failed':
      return [
        runs(
          view.permission
            ? [
                own('Mailbox-level forwarding could NOT be checked: Exchange refused the bot. Grant '),
                view.permission,
                own`.`,
              ]
            : [
                own('Mailbox-level forwarding could NOT be checked: the Exchange admin API failed ('),
                view.code,
                own('). The inbox rules above were checked.'),
              ],
          { color: 'Warning' },
        ),
      ];
    case 'no-exchange-mailbox':
      return [text(own('Exchange reports no mailbox for this user, so no mailbox-level forwarding.'))];
    case 'checked': {
      const out: CardElement[] = [];
      if (view.smtp === null && view.recipient === null) out.push(text(own('No mailbox-level forwarding.')));
      if (view.smtp)
        out.push(
          line([
            own`${SEVERITY_LABEL[view.severity]} · Mailbox forwards (ForwardingSmtpAddress) to `,
            { text: view.smtp.address, mono: true },
            own` — ${KIND_NOTE[view.smtp.class.kind]}`,
            ...(view.smtp.class.lookalikeOf ? [own` `, { text: view.smtp.class.lookalikeOf, mono: true }] : []),
          ]),
        );
      if (view.recipient)
        out.push(line([own('Mailbox forwards (ForwardingAddress) to the recipient '), view.recipient]));
      if (view.smtp || view.recipient)
        out.push(
          text(
            view.deliverToMailboxAndForward
              ? own('A copy is kept in the mailbox (DeliverToMailboxAndForward).')
              : own('No copy is kept: the user does not see these messages.'),
          ),
        );
      return out;
    }
  }
}

const OVERALL = {
  high: 'Mail is leaving the tenant or being hidden: treat this mailbox as compromised until explained.',
  medium: 'Rules delete or hide mail, or forwarding is set: check with the user.',
  low: 'Minor findings (internal forwarding, mark-read, rule errors): probably benign.',
  none: 'No forwarding, deleting or hiding rules found.',
} as const satisfies Record<Severity, string>;

const HIDDEN_NOTE = own(
  'Hidden inbox rules (made with MAPI tools) are not returned by Graph; Get-InboxRule -IncludeHidden in Exchange Online PowerShell is the only way to see them.',
);

const NO_MAILBOX = own('No mailbox: this user has no Exchange Online licence, so there are no inbox rules to check.');

/**
 * The verdict, the rules (all, or only the flagged ones), mailbox forwarding and the hidden-rules caveat: the body of
 * the `forwarding` card and the forwarding section of the `investigate` card.
 */
export function forwardingFindings(report: ForwardingReport, opts: { flaggedOnly?: boolean } = {}): CardElement[] {
  if (report.kind === 'no-mailbox') return [text(NO_MAILBOX)];
  const flagged = report.rules.filter((r) => r.severity !== 'none');
  return [
    text(own`**Verdict: ${SEVERITY_LABEL[report.severity]}.** ${OVERALL[report.severity]}`, {
      color: SEVERITY_COLOR[report.severity],
    }),
    text(own`${report.rules.length} inbox rule${report.rules.length === 1 ? '' : 's'}, ${flagged.length} flagged.`, {
      isSubtle: true,
    }),
    ...(opts.flaggedOnly ? flagged : report.rules).map((r) => ruleBlock(r, report.user)),
    container([text(own('Mailbox forwarding'), { weight: 'Bolder' }), ...mailboxBlock(report.mailbox)], {
      separator: true,
      spacing: 'Medium',
    }),
    text(HIDDEN_NOTE, { isSubtle: true, spacing: 'Medium' }),
  ];
}

/** The `forwarding <upn>` reply. Rule names, recipients and folder names are untrusted and only appear in TextRuns. */
export function forwardingCard(report: ForwardingReport): AdaptiveCard {
  return adaptiveCard(
    [heading(own('Mail forwarding')), untrusted(report.user, { bold: true }), ...forwardingFindings(report)],
    [],
    report.kind === 'no-mailbox' ? 'Mail forwarding: no mailbox' : 'Mail forwarding report',
  );
}
