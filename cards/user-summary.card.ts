import type { ProxyAddressView, UserSummary } from '../services/identity/user-summary';
import { adaptiveCard, container, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatTime, own } from './text';

const PROXY_NOTES = {
  primary: 'primary SMTP address: mail is sent from it',
  upn: 'the UPN, kept as an smtp: proxy by design (not a sign of tampering)',
  routing: 'the tenant routing address (*.onmicrosoft.com)',
  alias: 'alias: mail to it is delivered to this mailbox',
  other: 'non-SMTP address (SIP, X500, …)',
} as const satisfies Record<ProxyAddressView['kind'], string>;

function proxyRow(proxy: ProxyAddressView): CardElement {
  return runs(
    [
      { text: proxy.address, mono: true },
      { text: own` — ${PROXY_NOTES[proxy.kind]}`, subtle: true },
    ],
    { spacing: 'None', max: 256 },
  );
}

// The SKU name and provisioning status are Graph strings, so they are TextRuns.
function auditingLine(summary: UserSummary): CardElement {
  const a = summary.advancedAuditing;
  switch (a.state) {
    case 'provisioned':
      return runs([
        own('Provisioned ('),
        a.sku ?? 'licence',
        own('): MailItemsAccessed is recorded, so mail an attacker read can be traced.'),
      ]);
    case 'not-provisioned':
      return runs([own('Licensed but not active (status '), a.status, own('): MailItemsAccessed may be missing.')]);
    case 'not-licensed':
      return text(
        own('Not licensed: MailItemsAccessed is not recorded, so you cannot tell which mail an attacker read.'),
      );
  }
}

/** The `user <upn>` reply. Every Graph-sourced string is a sanitised TextRun. */
export function userSummaryCard(summary: UserSummary, nowMs: number): AdaptiveCard {
  const status =
    summary.enabled === null
      ? own('Unknown')
      : summary.enabled
        ? own('Enabled (sign-in allowed)')
        : own('Disabled (sign-in blocked)');
  const source =
    summary.source === 'synced'
      ? own('Synced from on-premises AD: sign-in state and password are mastered on-premises.')
      : own('Cloud-only');
  const type =
    summary.userType === 'guest'
      ? own('Guest (external)')
      : summary.userType === 'member'
        ? own('Member')
        : own('Unknown');
  const upnNote = summary.upnMatchesPrimarySmtp
    ? own('The UPN and the primary SMTP address are the same.')
    : own('The UPN differs from the primary SMTP address: people may know this user by either.');
  const body: CardElement[] = [
    heading(own('User')),
    untrusted(summary.displayName ?? summary.upn, { bold: true }),
    row(own('Status'), status),
    row(own('Type'), type),
    row(own('Source'), source),
    row(own('UPN'), untrusted(summary.upn, { mono: true })),
    row(own('Object id'), untrusted(summary.id, { mono: true })),
    row(own('Primary SMTP'), summary.primarySmtp ? untrusted(summary.primarySmtp, { mono: true }) : own('none')),
    text(upnNote, { isSubtle: true, spacing: 'Small' }),
    container(
      [
        text(own('Proxy addresses'), { weight: 'Bolder' }),
        ...(summary.proxies.length > 0 ? summary.proxies.map(proxyRow) : [text(own('none'))]),
      ],
      { spacing: 'Medium' },
    ),
    row(
      own('Admin roles'),
      summary.adminRoles.length > 0 ? summary.adminRoles.join(', ') : own('none (no active directory role)'),
    ),
    row(own('Licences'), summary.licenses.length > 0 ? summary.licenses.join(', ') : own('none')),
    row(own('Advanced auditing'), auditingLine(summary)),
    row(own('Password changed'), formatTime(summary.lastPasswordChange, nowMs)),
    row(own('Sessions valid from'), formatTime(summary.sessionsValidFrom, nowMs)),
  ];
  return adaptiveCard(body, [], own('User summary'));
}
