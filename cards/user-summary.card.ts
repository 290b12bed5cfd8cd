import { sanitizeUntrusted } from '../services/text';
import type { ProxyAddressView, UserSummary } from '../services/identity/user-summary';
import {
  adaptiveCard,
  container,
  heading,
  row,
  runLine,
  text,
  trustedRow,
  untrusted,
  type AdaptiveCard,
  type CardElement,
  type Run,
} from './elements';
import { formatTime } from './format';

const PROXY_NOTES: Record<ProxyAddressView['kind'], string> = {
  primary: 'primary SMTP address: mail is sent from it',
  upn: 'the UPN, kept as an smtp: proxy by design (not a sign of tampering)',
  routing: 'the tenant routing address (*.onmicrosoft.com)',
  alias: 'alias: mail to it is delivered to this mailbox',
  other: 'non-SMTP address (SIP, X500, …)',
};

function proxyRow(proxy: ProxyAddressView): CardElement {
  return {
    type: 'RichTextBlock',
    spacing: 'None',
    inlines: [
      { type: 'TextRun', text: sanitizeUntrusted(proxy.address), fontType: 'Monospace' },
      { type: 'TextRun', text: ` — ${PROXY_NOTES[proxy.kind]}`, isSubtle: true },
    ],
  };
}

/** The SKU and provisioning status come from Graph, so they are TextRuns between our words. */
function auditingLine(summary: UserSummary): CardElement {
  const a = summary.advancedAuditing;
  const line = (parts: Run[]): CardElement => runLine(parts, { untrustedMax: 120, dropEmpty: false });
  switch (a.state) {
    case 'provisioned':
      return line([
        { text: 'Provisioned (' },
        { text: a.sku ?? 'licence', untrusted: true },
        { text: '): MailItemsAccessed is recorded, so mail an attacker read can be traced.' },
      ]);
    case 'not-provisioned':
      return line([
        { text: 'Licensed but not active (status ' },
        { text: a.status, untrusted: true },
        { text: '): MailItemsAccessed may be missing.' },
      ]);
    case 'not-licensed':
      return text('Not licensed: MailItemsAccessed is not recorded, so you cannot tell which mail an attacker read.');
  }
}

/** The `user <upn>` reply. Every Graph-sourced string goes through untrusted(). */
export function userSummaryCard(summary: UserSummary, nowMs: number): AdaptiveCard {
  const status =
    summary.enabled === null ? 'Unknown' : summary.enabled ? 'Enabled (sign-in allowed)' : 'Disabled (sign-in blocked)';
  const source =
    summary.source === 'synced'
      ? 'Synced from on-premises AD: sign-in state and password are mastered on-premises.'
      : 'Cloud-only';
  const type = summary.userType === 'guest' ? 'Guest (external)' : summary.userType === 'member' ? 'Member' : 'Unknown';
  const upnNote = summary.upnMatchesPrimarySmtp
    ? 'The UPN and the primary SMTP address are the same.'
    : 'The UPN differs from the primary SMTP address: people may know this user by either.';
  const body: CardElement[] = [
    heading('User'),
    untrusted(summary.displayName ?? summary.upn, { weight: 'Bolder' }),
    trustedRow('Status', status),
    trustedRow('Type', type),
    trustedRow('Source', source),
    row('UPN', untrusted(summary.upn, { monospace: true })),
    row('Object id', untrusted(summary.id, { monospace: true })),
    row('Primary SMTP', summary.primarySmtp ? untrusted(summary.primarySmtp, { monospace: true }) : text('none')),
    text(upnNote, { isSubtle: true, spacing: 'Small' }),
    container(
      [
        text('Proxy addresses', { weight: 'Bolder' }),
        ...(summary.proxies.length > 0 ? summary.proxies.map(proxyRow) : [text('none')]),
      ],
      { spacing: 'Medium' },
    ),
    row(
      'Admin roles',
      summary.adminRoles.length > 0
        ? untrusted(summary.adminRoles.join(', '))
        : text('none (no active directory role)'),
    ),
    row('Licences', summary.licenses.length > 0 ? untrusted(summary.licenses.join(', ')) : text('none')),
    row('Advanced auditing', auditingLine(summary)),
    trustedRow('Password changed', formatTime(summary.lastPasswordChange, nowMs)),
    trustedRow('Sessions valid from', formatTime(summary.sessionsValidFrom, nowMs)),
  ];
  return adaptiveCard(body, [], 'User summary');
}
