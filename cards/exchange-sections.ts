/**
 * The Exchange sections of the investigate card (issue 13): mailbox delegates, mobile-device partnerships and mail
 * sent outside. Pure builders; every Exchange string (addresses, names, device models, domains, IPs) is a TextRun.
 */
import type { DelegateFinding, DelegateReason, DelegateRight } from '../services/exchange/delegates';
import type { ExchangeInvestigation } from '../services/exchange/investigation';
import { deviceLabel, type MobileDeviceFinding } from '../services/exchange/mobile-devices';
import type { OutboundDomain } from '../services/exchange/outbound-mail';
import type { ExchangeSection, NotChecked } from '../services/exchange/section';
import { container, text, type CardElement, type Part } from './elements';
import { line } from './mfa-trail.card';
import { formatTime, joinOwn, own, type Own } from './text';

const MAX_DEVICES = 5;
const MAX_DOMAINS = 8;

function section(title: Own, items: CardElement[]): CardElement {
  return container([text(title, { weight: 'Bolder' }), ...items], { separator: true, spacing: 'Medium' });
}

/** "Not checked", naming why: the admin API is off, a permission or role is missing, no mailbox, or a failure. */
export function notCheckedLine(reason: NotChecked): CardElement {
  switch (reason.why) {
    case 'disabled':
      return text(
        own(
          'Not checked: the Exchange Online admin API is off (EXCHANGE_ADMIN_ENABLED). Graph does not expose this; see the README for the permission and role it needs.',
        ),
        { color: 'Warning', isSubtle: true },
      );
    case 'permission':
      return line(
        [own('Not checked: Exchange refused the read; grant '), reason.permission, own('. The rest was read.')],
        { color: 'Warning' },
      );
    case 'no-mailbox':
      return text(own('Not checked: the user has no Exchange Online mailbox.'), { isSubtle: true });
    case 'failed':
      return text(own`Could not be checked (${reason.code}). The rest of this investigation was read.`, {
        color: 'Warning',
      });
  }
}

const icon = (severity: 'high' | 'medium' | null): Own =>
  severity === 'high' ? own('⚠️ ') : severity === 'medium' ? own('❔ ') : own('✅ ');

const RIGHT: Record<DelegateRight, Own> = {
  FullAccess: own('FullAccess'),
  SendAs: own('SendAs'),
  SendOnBehalf: own('SendOnBehalf'),
};

const REASON: Record<DelegateReason, Own> = {
  'added-in-window': own('added in the last 7 days'),
  external: own('outside the organisation'),
  'new-account': own('a newly created account'),
  'not-manager': own("not the user's manager"),
  unresolved: own('Exchange cannot resolve this holder'),
};

function delegateLine(f: DelegateFinding, nowMs: number): CardElement {
  const parts: Part[] = [icon(f.severity), { text: RIGHT[f.right], bold: true }, own(' — '), f.trustee];
  if (f.displayName && f.displayName.toLowerCase() !== f.trustee.toLowerCase())
    parts.push(own(' ('), f.displayName, own(')'));
  if (f.isManager) parts.push({ text: own(" — the user's manager"), subtle: true });
  if (f.addedAt) {
    parts.push({ text: own` — granted ${formatTime(f.addedAt, nowMs)}`, subtle: true });
    if (f.addedBy) parts.push({ text: own(' by '), subtle: true }, f.addedBy);
    if (f.addedFrom) parts.push({ text: own(' from '), subtle: true }, { text: f.addedFrom, mono: true });
  }
  if (f.reasons.length > 0)
    parts.push(own(' — '), {
      text: joinOwn(
        f.reasons.map((r) => REASON[r]),
        own(', '),
      ),
      bold: f.severity === 'high',
    });
  return line(parts);
}

function delegatesItems(inv: ExchangeInvestigation, nowMs: number): CardElement[] {
  const s = inv.delegates;
  if (s.kind === 'not-checked') return [notCheckedLine(s.reason)];
  const r = s.value;
  const items: CardElement[] = [];
  if (r.findings.length === 0)
    items.push(text(own('No one else holds FullAccess, SendAs or SendOnBehalf on this mailbox.')));
  items.push(...r.findings.map((f) => delegateLine(f, nowMs)));
  if (r.findings.some((f) => f.item))
    items.push(
      text(
        own('Flagged delegates keep reading or sending as the user after a password reset: remove them (contain).'),
        {
          isSubtle: true,
          spacing: 'Small',
        },
      ),
    );
  if (r.findings.some((f) => f.severity === 'medium'))
    items.push(
      text(
        own(
          '❔ Not the manager or unresolved, but not new: check with the user. contain leaves them; remove-delegate <upn> <delegate> <justification> removes one.',
        ),
        { isSubtle: true, spacing: 'Small' },
      ),
    );
  if (r.auditUnavailable)
    items.push(
      line([own('When each right was granted is unknown: the audit search needs '), r.auditUnavailable, own('.')], {
        color: 'Warning',
      }),
    );
  if (r.managerUnknown)
    items.push(
      text(own('The user\'s manager could not be read, so "not the manager" was not judged.'), { isSubtle: true }),
    );
  return items;
}

function deviceLine(d: MobileDeviceFinding, nowMs: number): CardElement {
  const parts: Part[] = [
    icon(d.severity),
    deviceLabel(d),
    { text: own` — first synced ${formatTime(d.firstSync, nowMs)}`, subtle: true },
  ];
  if (d.afterSuspicious) parts.push({ text: own(', after the suspicious sign-in'), bold: true });
  if (d.accessState && d.accessState.toLowerCase() !== 'allowed') parts.push(own(' — access '), d.accessState);
  // The id block-mobile-device takes.
  if (d.severity !== null && d.deviceId)
    parts.push(
      { text: own` (device id `, subtle: true },
      { text: d.deviceId, subtle: true },
      { text: own`)`, subtle: true },
    );
  return line(parts);
}

function devicesItems(inv: ExchangeInvestigation, nowMs: number): CardElement[] {
  const s: ExchangeSection<MobileDeviceFinding[]> = inv.mobileDevices;
  if (s.kind === 'not-checked') return [notCheckedLine(s.reason)];
  if (s.value.length === 0) return [text(own('No mobile device syncs with this mailbox.'))];
  const flagged = s.value.filter((d) => d.severity !== null);
  const shown = [...flagged, ...s.value.filter((d) => d.severity === null)].slice(0, MAX_DEVICES);
  const items = shown.map((d) => deviceLine(d, nowMs));
  if (s.value.length > shown.length) items.push(line([own`… and ${s.value.length - shown.length} more`]));
  if (flagged.length > 0)
    items.push(
      text(
        own(
          'An ActiveSync partnership keeps syncing mail after sessions are revoked: contain (or block-mobile-device <upn> <device id>) blocks it for the mailbox.',
        ),
        { isSubtle: true, spacing: 'Small' },
      ),
    );
  return items;
}

function domainLine(d: OutboundDomain, nowMs: number): CardElement {
  const parts: Part[] = [
    icon(d.suspicious ? 'high' : null),
    { text: d.domain, bold: true },
    own` — ${d.messages} message${d.messages === 1 ? '' : 's'} to ${d.recipients.length} recipient${d.recipients.length === 1 ? '' : 's'}`,
    { text: own`, first ${formatTime(d.first, nowMs)}, last ${formatTime(d.last, nowMs)}`, subtle: true },
  ];
  if (d.failed > 0) parts.push({ text: own` (${d.failed} failed)`, subtle: true });
  if (d.lookalikeOf) parts.push(own(' — looks like '), d.lookalikeOf);
  else if (d.suspicious) parts.push({ text: own(' — first written to after the suspicious sign-in'), bold: true });
  return line(parts);
}

function outboundItems(inv: ExchangeInvestigation, nowMs: number): CardElement[] {
  const s = inv.outboundMail;
  if (s.kind === 'not-checked') return [notCheckedLine(s.reason)];
  const r = s.value;
  const items: CardElement[] = [
    text(own`${r.total} sent (message × recipient) in the window, ${r.external} to outside recipients.`, {
      spacing: 'None',
    }),
    ...r.domains.slice(0, MAX_DOMAINS).map((d) => domainLine(d, nowMs)),
  ];
  if (r.domains.length > MAX_DOMAINS) items.push(line([own`… and ${r.domains.length - MAX_DOMAINS} more domains`]));
  if (r.truncated)
    items.push(
      text(own('The message trace has more rows than were read: the list may be incomplete.'), { color: 'Warning' }),
    );
  return items;
}

/** The three sections, in card order. */
export function exchangeSections(inv: ExchangeInvestigation, nowMs: number): CardElement[] {
  return [
    section(own('Mailbox delegates'), delegatesItems(inv, nowMs)),
    section(own('Mobile devices syncing the mailbox (Exchange)'), devicesItems(inv, nowMs)),
    section(own('Mail sent outside the organisation (last 7 days)'), outboundItems(inv, nowMs)),
  ];
}
