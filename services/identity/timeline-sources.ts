/**
 * Each investigation section's contribution to the timeline. A new section adds its source to TIMELINE_SOURCES (one
 * line); the merge (./timeline.ts) and the card need no change. Pure.
 */
import type { Investigation } from './investigation';
import type { TrailKind } from './mfa-trail';
import { persistenceKey } from './persistence';
import type { TimelineEvent, TimelineSource } from './timeline';
import { exchangeTimelineEvents } from '../exchange/investigation';

type Source = TimelineSource<Investigation>;
const place = (city: string | null, country: string | null): string | null =>
  [city, country].filter((p): p is string => p !== null && p !== '').join(', ') || null;
const inWindow = (inv: Investigation, at: string | null): boolean =>
  at !== null && Date.parse(at) >= Date.parse(inv.window.from);

/** Sign-ins from a new country, and risky (medium/high) ones. */
export const signInEvents: Source = (inv) =>
  inv.signIns.kind !== 'read'
    ? []
    : inv.signIns.value.signIns.flatMap((s): TimelineEvent[] => {
        const risky = s.riskLevel === 'medium' || s.riskLevel === 'high';
        if (!s.newCountry && !risky) return [];
        const what = s.newCountry
          ? s.result === 'success'
            ? 'Signed in from a new country'
            : 'Sign-in attempt from a new country'
          : 'Risky sign-in';
        const detail = [place(s.city, s.country), s.ipAddress, s.app, risky ? `risk ${s.riskLevel ?? ''}` : null]
          .filter((p): p is string => p !== null && p !== '')
          .join(' — ');
        return [{ at: s.at, section: 'sign-ins', what, detail: detail || null, suspicious: true }];
      });

/** Identity Protection's current verdict, at the time it was last updated. */
export const riskEvents: Source = (inv) => {
  if (inv.signIns.kind !== 'read') return [];
  const r = inv.signIns.value.risk;
  if (r.kind !== 'risky' || r.updated === null) return [];
  return [
    {
      at: r.updated,
      section: 'risk',
      what: r.open ? 'Identity Protection: user at risk' : 'Identity Protection: risk updated',
      detail: `${r.level} / ${r.state}`,
      suspicious: r.open,
    },
  ];
};

const SECURITY_INFO_WHAT: Partial<Record<TrailKind, string>> = {
  registered: 'Security info registered',
  'admin-registered': 'Security info registered by an admin',
  updated: 'Security info changed',
  deleted: 'Security info deleted',
  'admin-deleted': 'Security info deleted by an admin',
  'default-changed': 'Default sign-in method changed',
  'strong-auth-update': 'MFA methods changed',
  'device-registration': 'Passkey / security key registered',
  sspr: 'Self-service password reset activity',
};
const SUSPICIOUS_TRAIL: ReadonlySet<TrailKind> = new Set(['registered', 'admin-registered', 'default-changed']);

/** Security-info records of the window; a registration is suspicious (a method the attacker may hold). */
export const securityInfoEvents: Source = (inv) =>
  inv.recentChanges.flatMap((e): TimelineEvent[] => {
    const what = SECURITY_INFO_WHAT[e.kind];
    if (!what || !e.succeeded) return [];
    const method = inv.methodsAdded.find((m) => m.family === e.family && m.addedAt === e.at);
    return [
      {
        at: e.at,
        section: 'security-info',
        what,
        detail: [e.resultReason, e.ipAddress].filter((p): p is string => p !== null).join(' — ') || null,
        suspicious: SUSPICIOUS_TRAIL.has(e.kind),
        ...(method ? { key: persistenceKey(method.item) } : {}),
      },
    ];
  });

/** Password change and session revocation, when they fall in the window (often the remediation itself). */
export const accountEvents: Source = (inv) => {
  const events: TimelineEvent[] = [];
  const p = inv.profile;
  if (inWindow(inv, p.lastPasswordChange))
    events.push({
      at: p.lastPasswordChange,
      section: 'account',
      what: 'Password changed',
      detail: null,
      suspicious: false,
    });
  if (inWindow(inv, p.sessionsValidFrom) && p.sessionsValidFrom !== p.lastPasswordChange)
    events.push({
      at: p.sessionsValidFrom,
      section: 'account',
      what: 'Sessions revoked',
      detail: null,
      suspicious: false,
    });
  return events;
};

/** Consents in the window (the audit log dates them); a consent to a flagged app is suspicious. */
export const appEvents: Source = (inv) =>
  inv.apps.kind !== 'read'
    ? []
    : inv.apps.value.apps.flatMap((a): TimelineEvent[] => {
        if (!inWindow(inv, a.consentedAt)) return [];
        const first = a.items[0];
        return [
          {
            at: a.consentedAt,
            section: 'apps',
            what: 'Consented to an app',
            detail: [a.name ?? a.servicePrincipalId, a.scopes.join(' ')].filter((p) => p !== '').join(' — '),
            suspicious: a.items.length > 0,
            ...(first ? { key: persistenceKey(first) } : {}),
          },
        ];
      });

/** Device registrations in the window. */
export const deviceEvents: Source = (inv) =>
  inv.devices.kind !== 'read'
    ? []
    : inv.devices.value.flatMap((d): TimelineEvent[] =>
        d.inWindow && d.registeredAt !== null
          ? [
              {
                at: d.registeredAt,
                section: 'devices',
                what: d.join === 'joined' ? 'Device joined' : 'Device registered',
                detail:
                  [d.name, d.operatingSystem, d.signIn ? place(d.signIn.city, d.signIn.country) : null]
                    .filter((p): p is string => p !== null && p !== '')
                    .join(' — ') || null,
                suspicious: d.severity !== null,
                ...(d.item ? { key: persistenceKey(d.item) } : {}),
              },
            ]
          : [],
      );

/** Whether the apps source already shows a consent at this time (an app the user still has, consented then). */
const consentShown = (inv: Investigation, at: string): boolean =>
  inv.apps.kind === 'read' && inv.apps.value.apps.some((a) => a.consentedAt !== null && sameTime(a.consentedAt, at));
const sameTime = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/**
 * The user's own changes, except those another source already shows: security info (the security-info source) and
 * consents of apps the apps section lists. A consent whose grant is gone (revoked by contain, or by the attacker)
 * stays on the timeline from its audit record.
 */
export const changeEvents: Source = (inv) =>
  inv.changes.kind !== 'read'
    ? []
    : inv.changes.value.changes.flatMap((c): TimelineEvent[] => {
        if (c.category === 'method' || (c.category === 'consent' && consentShown(inv, c.at))) return [];
        const first = c.items[0];
        return [
          {
            at: c.at,
            section: 'changes',
            what: c.succeeded ? 'Change made by the account' : 'Failed change by the account',
            detail: [c.activity, c.target].filter((p): p is string => p !== null).join(' — '),
            suspicious: c.suspicious,
            ...(first ? { key: persistenceKey(first) } : {}),
          },
        ];
      });

/** Flagged inbox rules and mailbox forwarding: Graph does not date them, so they are listed undated. */
export const forwardingEvents: Source = (inv) => {
  if (inv.forwarding.kind !== 'read' || inv.forwarding.report.kind !== 'checked') return [];
  const report = inv.forwarding.report;
  const events: TimelineEvent[] = report.rules
    .filter((r) => r.severity === 'high' || r.severity === 'medium')
    .map((r) => ({
      at: null,
      section: 'mailbox',
      what: 'Inbox rule seen',
      detail: [
        r.name,
        ...r.findings.flatMap((f) => (f.kind === 'forward' ? f.recipients.map((x) => x.address) : [])),
      ].join(' — '),
      suspicious: r.severity === 'high',
    }));
  if (report.mailbox.kind === 'checked' && report.mailbox.severity !== 'none')
    events.push({
      at: null,
      section: 'mailbox',
      what: 'Mailbox forwarding seen',
      detail: report.mailbox.smtp?.address ?? null,
      suspicious: report.mailbox.severity === 'high',
    });
  return events;
};

/** Exchange: delegate grants, mobile devices first synced, the first mail to each outside domain (dated). */
export const exchangeEvents: Source = (inv) => exchangeTimelineEvents(inv.exchange);

/** Every section's source; the timeline is their merge. Sections added later append theirs here. */
export const TIMELINE_SOURCES: readonly Source[] = [
  signInEvents,
  riskEvents,
  securityInfoEvents,
  accountEvents,
  appEvents,
  deviceEvents,
  changeEvents,
  forwardingEvents,
  exchangeEvents,
];
