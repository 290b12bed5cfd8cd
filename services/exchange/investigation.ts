/**
 * The Exchange sections of `investigate <upn>` (issue 13): mailbox delegates, mobile-device partnerships and mail
 * sent to outsiders. `gather` reads (concurrently, after the one Get-Mailbox every section needs); `judgeExchange`
 * is pure and takes the time of the first suspicious sign-in from the Graph side. Each section degrades on its own
 * to "not checked" with its reason; with EXCHANGE_ADMIN_ENABLED off all three say so.
 */
import { isCodedError } from '../errors';
import type { UserRef } from '../ids';
import type { PersistenceItem } from '../identity/persistence';
import type { SignInView } from '../identity/sign-ins';
import type { ExchangeAdminApi } from './admin-api';
import {
  delegateEvents,
  judgeDelegates,
  readAcceptedDomains,
  readGrantRecords,
  readGrants,
  readMailbox,
  readRecipient,
  type DelegateEvidence,
  type DelegatesReport,
  type MailboxView,
  type RecipientInfo,
} from './delegates';
import {
  deviceLabel,
  judgeMobileDevices,
  mobileDeviceEvents,
  readMobileDevices,
  type MobileDevice,
  type MobileDeviceFinding,
} from './mobile-devices';
import {
  outboundEvents,
  readSentMail,
  summarizeOutbound,
  type OutboundMailReport,
  type TraceRead,
} from './outbound-mail';
import {
  notCheckedBecause,
  section,
  type ExchangeSection,
  type ExchangeTimelineEvent,
  type NotChecked,
} from './section';

export interface Window {
  from: number;
  to: number;
}

/** The user's manager from Graph (`users/{id}/manager`): null when none is set. */
export interface ManagerSource {
  manager(ref: UserRef): Promise<{ id: string; upn: string | null } | null>;
}

export interface ExchangeReads {
  window: Window;
  delegates: ExchangeSection<DelegateEvidence>;
  devices: ExchangeSection<MobileDevice[]>;
  sent: ExchangeSection<{ read: TraceRead; acceptedDomains: string[] }>;
}

export interface ExchangeInvestigation {
  window: Window;
  delegates: ExchangeSection<DelegatesReport>;
  mobileDevices: ExchangeSection<MobileDeviceFinding[]>;
  outboundMail: ExchangeSection<OutboundMailReport>;
}

export interface ExchangeInvestigator {
  gather(ref: UserRef, window: Window): Promise<ExchangeReads>;
}

/** At most this many Get-Recipient calls at once (one per distinct holder). */
const RECIPIENT_CONCURRENCY = 4;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function notChecked(window: Window, reason: NotChecked): ExchangeReads {
  const nc = { kind: 'not-checked' as const, reason };
  return { window, delegates: nc, devices: nc, sent: nc };
}

async function gatherDelegates(
  api: ExchangeAdminApi,
  mailbox: MailboxView,
  ref: UserRef,
  window: Window,
  domains: Promise<string[]>,
  managers: ManagerSource | undefined,
): Promise<DelegateEvidence> {
  const managerRead = managers
    ? managers.manager(ref).catch((error: unknown) => {
        if (isCodedError(error)) return undefined;
        throw error;
      })
    : Promise.resolve(undefined);
  const auditRead = readGrantRecords(api, window).then(
    (records) => ({ kind: 'read' as const, records }),
    (error: unknown) => {
      const reason = notCheckedBecause(error);
      return { kind: 'unavailable' as const, permission: reason.why === 'permission' ? reason.permission : null };
    },
  );
  const grants = await readGrants(api, mailbox);
  const trustees = [...new Set(grants.map((g) => g.trustee.toLowerCase()))];
  const [infos, audit, acceptedDomains, manager] = await Promise.all([
    mapLimited(trustees, RECIPIENT_CONCURRENCY, (t) => readRecipient(api, t)),
    auditRead,
    domains,
    managerRead,
  ]);
  const recipients = new Map<string, RecipientInfo | null>(trustees.map((t, i) => [t, infos[i] ?? null]));
  return { mailbox, grants, recipients, audit, acceptedDomains, manager };
}

/** The investigator over the Exchange admin API, or one that says "not checked: disabled" when `api` is undefined. */
export function createExchangeInvestigator(deps: {
  api?: ExchangeAdminApi;
  managers?: ManagerSource;
}): ExchangeInvestigator {
  return {
    async gather(ref, window) {
      const api = deps.api;
      if (!api) return notChecked(window, { why: 'disabled' });
      let mailbox: MailboxView | null;
      try {
        mailbox = await readMailbox(api, ref.kind === 'id' ? ref.id : ref.upn);
      } catch (error) {
        return notChecked(window, notCheckedBecause(error));
      }
      if (!mailbox) return notChecked(window, { why: 'no-mailbox' });
      const found = mailbox;
      const domains = readAcceptedDomains(api);
      // Settled here too, so a rejection is never unhandled while the sections that use it are still pending.
      domains.catch(() => undefined);
      const [delegates, devices, sent] = await Promise.all([
        section(() => gatherDelegates(api, found, ref, window, domains, deps.managers)),
        section(() => readMobileDevices(api, found.upn)),
        section(async () => {
          const [read, acceptedDomains] = await Promise.all([
            readSentMail(api, found.primarySmtp ?? found.upn, window),
            domains,
          ]);
          return { read, acceptedDomains };
        }),
      ]);
      return { window, delegates, devices, sent };
    },
  };
}

function mapSection<T, R>(s: ExchangeSection<T>, fn: (value: T) => R): ExchangeSection<R> {
  return s.kind === 'read' ? { kind: 'read', value: fn(s.value) } : s;
}

/** Judges the reads. `suspiciousSince`: the first risky or new-country sign-in in the window (ms), if any. Pure. */
export function judgeExchange(reads: ExchangeReads, opts: { suspiciousSince: number | null }): ExchangeInvestigation {
  const window = reads.window;
  return {
    window,
    delegates: mapSection(reads.delegates, (e) => judgeDelegates(e, { window })),
    mobileDevices: mapSection(reads.devices, (d) =>
      judgeMobileDevices(d, { window, suspiciousSince: opts.suspiciousSince }),
    ),
    outboundMail: mapSection(reads.sent, (s) =>
      summarizeOutbound(s.read, { acceptedDomains: s.acceptedDomains, suspiciousSince: opts.suspiciousSince }),
    ),
  };
}

/** The Exchange sections' events for the investigation's timeline. */
export function exchangeTimelineEvents(inv: ExchangeInvestigation): ExchangeTimelineEvent[] {
  return [
    ...(inv.delegates.kind === 'read' ? delegateEvents(inv.delegates.value) : []),
    ...(inv.mobileDevices.kind === 'read' ? mobileDeviceEvents(inv.mobileDevices.value) : []),
    ...(inv.outboundMail.kind === 'read' ? outboundEvents(inv.outboundMail.value) : []),
  ];
}

/**
 * The flagged delegates and mobile-device partnerships not yet blocked, for the investigate card's checkboxes and
 * `contain`.
 */
export function exchangePersistence(inv: ExchangeInvestigation): PersistenceItem[] {
  const delegates =
    inv.delegates.kind === 'read' ? inv.delegates.value.findings.flatMap((f) => (f.item ? [f.item] : [])) : [];
  const devices =
    inv.mobileDevices.kind === 'read'
      ? inv.mobileDevices.value.flatMap((d): PersistenceItem[] =>
          // A partnership already blocked for the mailbox (DeviceAccessState Blocked, e.g. by contain) has no token
          // left to stop: still on the card, no longer offered for containment.
          d.severity !== null && d.deviceId && d.accessState?.toLowerCase() !== 'blocked'
            ? [{ kind: 'mobile-device', deviceId: d.deviceId, name: deviceLabel(d) }]
            : [],
        )
      : [];
  return [...delegates, ...devices];
}

/**
 * The first sign-in in the window that makes what followed suspicious: successful, and from a new country or with
 * Identity Protection risk. What Exchange shows after it (a grant, a partnership, mail to a new domain) is "after".
 */
export function firstSuspiciousSignIn(signIns: readonly SignInView[], window: Window): number | null {
  const times = signIns
    .filter(
      (s) =>
        s.result === 'success' &&
        (s.newCountry || (s.riskLevel !== null && ['low', 'medium', 'high'].includes(s.riskLevel.toLowerCase()))),
    )
    .map((s) => Date.parse(s.at))
    .filter((t) => Number.isFinite(t) && t >= window.from && t <= window.to);
  return times.length > 0 ? Math.min(...times) : null;
}
