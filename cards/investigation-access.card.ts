/**
 * The investigate card's persistence sections: apps with access, devices, changes made by the account, methods added,
 * and the timeline. Pure; every tenant string (app, publisher, device, activity, scope) is a TextRun.
 */
import type { AccountChange, ChangeCategory } from '../services/identity/account-changes';
import type { AppAccess, AppFlag } from '../services/identity/app-access';
import type { DeviceView } from '../services/identity/devices';
import type { Investigation, OwnSection } from '../services/identity/investigation';
import type { TimelineEvent, TimelineSection } from '../services/identity/timeline';
import { container, text, type CardElement, type Part } from './elements';
import { FAMILY_NAMES } from './mfa-method.card';
import { line } from './mfa-trail.card';
import { formatTime, joinOwn, own, type Own } from './text';

/** How many of each list the card shows (the rest is counted): the whole card stays well under Teams' ~28 KB. */
const MAX_APPS = 3;
const MAX_DEVICES = 3;
const MAX_CHANGES = 4;
const MAX_EVENTS = 8;

function section(title: Own, items: CardElement[]): CardElement {
  return container([text(title, { weight: 'Bolder' }), ...items], { separator: true, spacing: 'Medium' });
}

/** A section that could not be read: the permission it needs, or the error code; the rest of the card still shows. */
function notRead(s: Exclude<OwnSection<unknown>, { kind: 'read' }>): CardElement {
  return s.kind === 'unavailable'
    ? line(
        [
          own("Not readable: the bot's app registration is missing "),
          s.permission,
          own('. The rest of this investigation was read.'),
        ],
        { color: 'Warning' },
      )
    : text(own`Could not be read (${s.code}). The rest of this investigation was read.`, { color: 'Warning' });
}

const APP_FLAGS = {
  'high-risk-scopes': 'high-risk scopes',
  'consented-in-window': 'consented in the window',
  'unverified-third-party': 'unverified third party',
} as const satisfies Record<AppFlag, string>;

function appLines(a: AppAccess, nowMs: number): CardElement[] {
  const flagged = a.items.length > 0;
  const who: Part[] =
    a.firstParty === true
      ? [own(' — Microsoft first-party')]
      : a.ownOrganization
        ? [own(" — this organisation's own app")]
        : a.verifiedPublisher !== null
          ? [own(' — verified publisher '), { text: a.verifiedPublisher, max: 40 }]
          : a.publisher !== null
            ? [
                own(' — publisher '),
                { text: a.publisher, max: 40 },
                own(a.firstParty === false ? ' (not verified)' : ''),
              ]
            : [own(a.firstParty === null ? ' — publisher unknown' : ' — publisher not verified')];
  const out: CardElement[] = [
    line([
      { text: flagged ? own('⚠️ ') : own('• '), bold: true },
      { text: a.name ?? a.servicePrincipalId, bold: true, max: 60 },
      ...who,
    ]),
  ];
  if (a.scopes.length > 0) {
    const parts: Part[] = [
      { text: own('Scopes: '), subtle: true },
      { text: a.scopes.join(' '), max: 80 },
    ];
    if (a.highRiskScopes.length > 0)
      parts.push(own(' — high risk: '), { text: a.highRiskScopes.join(' '), bold: true, max: 80 });
    if (a.offlineMail) parts.push(own(' + offline_access (reads on without the user)'));
    out.push(line(parts, { spacing: 'None' }));
  }
  const meta: Part[] = [
    own('Consented: '),
    a.consentedAt === null ? own('not in the audit log') : formatTime(a.consentedAt, nowMs),
  ];
  if (a.flags.length > 0)
    meta.push(own(' — '), {
      text: joinOwn(
        a.flags.map((f) => own(APP_FLAGS[f])),
        own(', '),
      ),
      bold: flagged,
    });
  out.push(line(meta, { spacing: 'None', subtle: !flagged }));
  return out;
}

export function appsSection(inv: Investigation, nowMs: number): CardElement {
  const title = own("Apps with access to the user's data");
  if (inv.apps.kind !== 'read') return section(title, [notRead(inv.apps)]);
  const { apps, publishersUnavailable } = inv.apps.value;
  const items: CardElement[] = [];
  const flagged = apps.filter((a) => a.items.length > 0).length;
  items.push(
    text(
      apps.length === 0
        ? own('No delegated grants or app role assignments for this user.')
        : own`${apps.length} app(s) with the user's delegated grants or assignments, ${flagged} flagged.`,
    ),
  );
  if (publishersUnavailable !== null)
    items.push(line([own('Publishers not readable: missing '), publishersUnavailable, own('.')], { color: 'Warning' }));
  // Flagged first (the judge sorts them so); past the cap the rest is only counted (Teams caps a message near 28 KB).
  const shown = apps.slice(0, MAX_APPS);
  items.push(...shown.flatMap((a) => appLines(a, nowMs)));
  const moreFlagged = apps.slice(MAX_APPS).filter((a) => a.items.length > 0).length;
  const moreOther = apps.length - shown.length - moreFlagged;
  if (moreFlagged > 0) items.push(text(own`… and ${moreFlagged} more flagged app(s).`));
  if (moreOther > 0) items.push(text(own`… and ${moreOther} more unflagged app(s).`));
  return section(title, items);
}

const JOIN = {
  registered: 'registered',
  joined: 'Entra joined',
  hybrid: 'hybrid joined',
  unknown: 'trust unknown',
} as const;

function deviceLines(d: DeviceView, nowMs: number): CardElement[] {
  const head: Part[] = [
    { text: d.severity === 'high' ? own('🚨 ') : d.severity === 'medium' ? own('⚠️ ') : own('• '), bold: true },
    { text: d.name ?? d.deviceId ?? d.id, bold: true, max: 60 },
  ];
  if (d.operatingSystem)
    head.push(own(' — '), { text: [d.operatingSystem, d.operatingSystemVersion].filter(Boolean).join(' '), max: 50 });
  head.push(own` — ${JOIN[d.join]}`);
  if (d.enabled === false) head.push(own(' — disabled'));
  const meta: Part[] = [own('Registered '), formatTime(d.registeredAt, nowMs)];
  if (d.signIn) {
    const where = [d.signIn.city, d.signIn.country].filter((p): p is string => p !== null).join(', ');
    meta.push(own(' after a sign-in from '), where ? { text: where, max: 60 } : own('an unknown place'));
    if (d.signIn.newCountry) meta.push({ text: own(' (new country)'), bold: true });
    if (d.signIn.risk === 'medium' || d.signIn.risk === 'high')
      meta.push(own(' — risk '), { text: d.signIn.risk, bold: true, max: 20 });
  }
  return [line(head), line(meta, { spacing: 'None', subtle: d.severity === null })];
}

export function devicesSection(inv: Investigation, nowMs: number): CardElement {
  const title = own('Devices registered or joined');
  if (inv.devices.kind !== 'read') return section(title, [notRead(inv.devices)]);
  const devices = inv.devices.value;
  const flagged = devices.filter((d) => d.severity !== null).length;
  return section(title, [
    text(
      devices.length === 0
        ? own('No registered or joined devices.')
        : own`${devices.length} device(s), ${flagged} registered in the last ${inv.window.days} days.`,
    ),
    ...devices.slice(0, MAX_DEVICES).flatMap((d) => deviceLines(d, nowMs)),
    ...(devices.length > MAX_DEVICES ? [text(own`… and ${devices.length - MAX_DEVICES} more device(s).`)] : []),
  ]);
}

const CATEGORY = {
  method: 'security info',
  consent: 'consent',
  group: 'group',
  role: 'role',
  'app-credential': 'app credential',
  app: 'app',
  invitation: 'invitation',
  password: 'password',
  other: 'other',
} as const satisfies Record<ChangeCategory, string>;

function changeLine(c: AccountChange, nowMs: number): CardElement {
  const parts: Part[] = [
    { text: c.suspicious ? own('⚠️ ') : own('• '), bold: true },
    { text: formatTime(c.at, nowMs), subtle: true },
    own` — ${CATEGORY[c.category]}: `,
    { text: c.activity, max: 80 },
  ];
  if (c.target) parts.push(own(' → '), { text: c.target, max: 60 });
  if (!c.succeeded) parts.push(own(' (failed)'));
  if (c.ipAddress) parts.push(own(' from '), { text: c.ipAddress, mono: true, max: 45 });
  return line(parts);
}

export function changesSection(inv: Investigation, nowMs: number): CardElement {
  const title = own`Changes made by the account in the last ${inv.window.days} days`;
  const items: CardElement[] = [];
  if (inv.methodsAdded.length > 0)
    items.push(
      ...inv.methodsAdded.map((m) =>
        line([
          { text: own('⚠️ Method added: '), bold: true },
          own(FAMILY_NAMES[m.family]),
          ...(m.label ? [own(' — '), { text: m.label, max: 60 }] : []),
          { text: own(' — '), subtle: true },
          { text: formatTime(m.addedAt, nowMs), subtle: true },
        ]),
      ),
    );
  if (inv.changes.kind !== 'read') return section(title, [...items, notRead(inv.changes)]);
  const { changes, truncated } = inv.changes.value;
  if (changes.length === 0 && items.length === 0) items.push(text(own('None in the audit log.')));
  const newest = [...changes].reverse();
  items.push(...newest.slice(0, MAX_CHANGES).map((c) => changeLine(c, nowMs)));
  if (changes.length > MAX_CHANGES) items.push(text(own`… and ${changes.length - MAX_CHANGES} older changes.`));
  if (truncated)
    items.push(text(own('The audit read stopped at its bound: older changes in the window were not read.')));
  return section(title, items);
}

const SECTION = {
  'sign-ins': 'Sign-in',
  risk: 'Risk',
  'security-info': 'Security info',
  account: 'Account',
  apps: 'Apps',
  devices: 'Devices',
  changes: 'Changes',
  mailbox: 'Mailbox',
  delegates: 'Delegates',
  'mail-sent': 'Mail sent',
} as const satisfies Record<TimelineSection, string>;

/**
 * The timeline: oldest first, the first suspicious event marked; at most `max` events besides it. When it must cut,
 * the first suspicious event is kept, then the other suspicious ones, then the newest of the rest, so the remediation
 * that follows a contain does not push the attack off the card.
 */
export function timelineSection(inv: Investigation, nowMs: number, max = MAX_EVENTS): CardElement {
  const { events, firstSuspicious } = inv.timeline;
  const items: CardElement[] = [];
  if (events.length === 0) items.push(text(own('No security-relevant events.')));
  else if (firstSuspicious === null) items.push(text(own('Nothing suspicious among these events.')));
  const rank = ({ e, i }: { e: TimelineEvent; i: number }): number =>
    i === firstSuspicious ? 0 : e.suspicious ? 1 : 2;
  const shown = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a) - rank(b) || b.i - a.i)
    .slice(0, firstSuspicious === null ? max : max + 1)
    .sort((a, b) => a.i - b.i);
  if (shown.length < events.length)
    items.push(text(own`${events.length - shown.length} event(s) not shown: the suspicious and the newest are kept.`));
  for (const { e, i } of shown) {
    const first = i === firstSuspicious;
    const parts: Part[] = [
      { text: first ? own('➡️ FIRST SUSPICIOUS — ') : e.suspicious ? own('⚠️ ') : own('• '), bold: first },
      { text: e.at === null ? own('time not recorded') : formatTime(e.at, nowMs), subtle: true },
      { text: own` — ${SECTION[e.section]}: `, subtle: true },
      { text: e.what, bold: e.suspicious, max: 60 },
    ];
    if (e.detail) parts.push(own(' — '), { text: e.detail, max: 70 });
    items.push(line(parts, first ? { color: 'Attention' } : {}));
  }
  return section(own('Timeline'), items);
}
