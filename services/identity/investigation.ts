/**
 * `investigate <upn>`: the compromised-account view, gathered in one `$batch` plus the audit port, judged purely; the
 * forwarding check runs alongside it.
 */
import { isCodedError, type ErrorCode } from '../errors';
import type { UserId, UserRef } from '../ids';
import { endpoints } from '../graph/endpoints';
import type { BatchReplies } from '../graph/read';
import type { LicenseDetail } from '../graph/schemas/license';
import type { ForwardingReport } from '../mailbox/forwarding-check';
import type { SignIn } from '../graph/schemas/sign-in';
import { gatherMfaInput, type MfaEvidenceDeps } from './mfa-evidence';
import type { TrailEntry } from './mfa-trail';
import { assessMfa, type MfaAssessment } from './mfa-verdict';
import { withWaitingNotice, type WaitNotice } from '../graph/waiting-notice';
import { refusedPermission, riskOf, signInReads, type RiskRead } from './sign-ins-read';
import { summarizeSignIns, type SignInSummary } from './sign-ins';
import { summarizeUser, type UserSummary } from './user-summary';
import {
  createExchangeInvestigator,
  exchangePersistence,
  firstSuspiciousSignIn,
  judgeExchange,
  type ExchangeInvestigation,
  type ExchangeInvestigator,
} from '../exchange/investigation';
import type { GraphClient } from '../graph/client';
import { readAll, readBatch, readRest, type Reads } from '../graph/read';
import type { PermissionGrant, ServicePrincipal } from '../graph/schemas/access';
import type { BoundRead } from '../graph/endpoint';
import { appIdsToRead, judgeAppAccess, type AppAccess } from './app-access';
import { judgeAccountChanges, methodsAdded, type AccountChange, type AddedMethod } from './account-changes';
import { judgeDevices, type DeviceView } from './devices';
import { persistenceKey, type PersistenceItem } from './persistence';
import { buildTimeline, type Timeline } from './timeline';
import { TIMELINE_SOURCES } from './timeline-sources';

/** How far back "recent security-info changes" reach: the investigation window (consents, devices, changes). */
export const CHANGES_WINDOW_DAYS = 7;
/** How many audit records the user initiated are read (newest first; the window's are what the card shows). */
export const INITIATED_AUDITS_READ = 500;
/** Bound on the pages of grants, assignments and devices followed past the batch's first page. */
const MAX_ITEMS = 1_000;
const DAY = 24 * 3600_000;

/** A section that could not be read because a permission or licence is missing; the rest of the view still shows. */
export type Section<T> = { kind: 'read'; value: T } | { kind: 'unavailable'; permission: string };

/** A section read on its own: read, refused (the permission named), or failed with another coded error. */
export type OwnSection<T> = Section<T> | { kind: 'failed'; code: ErrorCode };

export interface AppsSection {
  apps: AppAccess[];
  /** The permission a refused service principal read needs (apps are then listed by id, publisher unknown). */
  publishersUnavailable: string | null;
}

export interface ChangesSection {
  /** Directory audits the user initiated in the window, oldest first. */
  changes: AccountChange[];
  /** True when the read stopped at its bound before the window's start. */
  truncated: boolean;
}

export interface Investigation {
  /** The investigation window: what happened since `from` is flagged (ISO; CHANGES_WINDOW_DAYS before now). */
  window: { from: string; days: number };
  profile: UserSummary;
  mfa: MfaAssessment;
  /** Security-info, SSPR and StrongAuthentication records of the last 7 days, oldest first. */
  recentChanges: TrailEntry[];
  signIns: Section<SignInSummary>;
  /** The permission Identity Protection needs, when its read was refused (the sign-ins still show). */
  riskUnavailable: string | null;
  /** Inbox rules and mailbox forwarding; a failure of that check degrades only this section. */
  forwarding: ForwardingSection;
  /** Apps with access to the user's data: delegated grants and app role assignments. */
  apps: OwnSection<AppsSection>;
  /** Devices the user registered or joined. */
  devices: OwnSection<DeviceView[]>;
  /** Changes the user's own account made in the window (directory audits it initiated). */
  changes: OwnSection<ChangesSection>;
  /** Authentication methods added in the window (from the MFA reads, always available). */
  methodsAdded: AddedMethod[];
  /** Every flagged item of every section, once each (by persistenceKey), in section order. */
  flagged: PersistenceItem[];
  /** One ordered list of the sections' security-relevant events, the first suspicious one marked. */
  timeline: Timeline;
  /** Mailbox delegates, mobile-device partnerships, mail sent outside (Exchange admin API; each degrades alone). */
  exchange: ExchangeInvestigation;
}

/** The forwarding check's report, or why it is missing: a refused permission (403), or another coded failure. */
export type ForwardingSection =
  | { kind: 'read'; report: ForwardingReport }
  | { kind: 'unavailable'; permission: string }
  | { kind: 'failed'; code: ErrorCode };

/** The per-user forwarding check (services/mailbox's checkForwarding, bound to the Graph client and Exchange reader). */
export interface ForwardingSource {
  checkForwarding(ref: UserRef): Promise<ForwardingReport>;
}

export interface InvestigationDeps extends MfaEvidenceDeps {
  forwarding: ForwardingSource;
  /** The Exchange sections' reads; absent, they say "not checked: EXCHANGE_ADMIN_ENABLED is off". */
  exchange?: ExchangeInvestigator;
}

/** The raw reads the investigation adds to the MFA batch, addressed like it (by id when known, else by UPN). */
function extraReads(address: UserRef, since: Date) {
  return {
    licenses: endpoints.licenseDetails.at({ user: address }),
    ...signInReads(address),
    assignments: endpoints.userAppRoleAssignments.at({ user: address }),
    registeredDevices: endpoints.registeredDevices.at({ user: address }),
    ownedDevices: endpoints.ownedDevices.at({ user: address }),
    initiated: endpoints.initiatedAudits.at({ who: address, since, top: INITIATED_AUDITS_READ }),
    // The tenant's own id: its own apps are neither Microsoft's nor a third party's.
    organization: endpoints.organization.at({}),
    // Grants filter on principalId, an object id: in the batch when the id is known, else read alongside the audit.
    grants: address.kind === 'id' ? endpoints.permissionGrants.at({ userId: address.id }) : undefined,
  } satisfies Reads;
}
type ExtraReads = ReturnType<typeof extraReads>;

/** A section's outcome from a read: refused → unavailable (permission named), other coded error → failed. */
async function own<T>(read: () => Promise<T>): Promise<OwnSection<T>> {
  try {
    return { kind: 'read', value: await read() };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission !== null) return { kind: 'unavailable', permission };
    if (isCodedError(error)) return { kind: 'failed', code: error.code };
    throw error;
  }
}

/** A collection from the batch, with its further pages (bounded) when Graph paged it. */
async function allOf<T>(
  client: GraphClient,
  first: { value: T[]; '@odata.nextLink'?: string | undefined },
  read: BoundRead<{ value: T[] }> | undefined,
): Promise<T[]> {
  const more = first['@odata.nextLink'];
  if (more === undefined || read === undefined) return first.value;
  const rest = await readRest(client, read, more, { maxItems: MAX_ITEMS });
  return [...first.value, ...rest.items];
}

/** Service principals by id, read in one `$batch`; a refused read names its permission, a missing one is null. */
async function readServicePrincipals(
  client: GraphClient,
  ids: readonly string[],
): Promise<{ byId: Map<string, ServicePrincipal | null>; refused: string | null }> {
  const byId = new Map<string, ServicePrincipal | null>();
  if (ids.length === 0) return { byId, refused: null };
  const reads: Record<string, ReturnType<typeof endpoints.servicePrincipal.at>> = {};
  ids.forEach((id, i) => (reads[`sp${i}`] = endpoints.servicePrincipal.at({ id })));
  const replies = await readBatch(client, reads);
  let refused: string | null = null;
  ids.forEach((id, i) => {
    try {
      byId.set(id, replies.valueOrNull(`sp${i}`));
    } catch (error) {
      const permission = refusedPermission(error);
      if (permission === null && !isCodedError(error)) throw error;
      refused ??= permission;
      byId.set(id, null);
    }
  });
  return { byId, refused };
}

/** What the extra reads returned: a refused sign-ins read (403) leaves the rest of the card. */
interface InvestigationReads {
  licenses: LicenseDetail[];
  signIns: Section<SignIn[]>;
  risk: RiskRead;
}

function parseExtras(replies: BatchReplies<ReturnType<typeof extraReads>>): InvestigationReads {
  let signIns: Section<SignIn[]>;
  try {
    signIns = { kind: 'read', value: replies.value('signIns').value };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission === null) throw error;
    signIns = { kind: 'unavailable', permission };
  }
  return { licenses: replies.value('licenses').value, signIns, risk: riskOf(replies) };
}

/** Coded failures become the section's state so the rest of the investigation still shows; bugs still throw. */
async function readForwarding(source: ForwardingSource, ref: UserRef): Promise<ForwardingSection> {
  try {
    return { kind: 'read', report: await source.checkForwarding(ref) };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission !== null) return { kind: 'unavailable', permission };
    if (isCodedError(error)) return { kind: 'failed', code: error.code };
    throw error;
  }
}

export interface Investigator {
  investigate(ref: UserRef, opts?: { onWaiting?: (notice: WaitNotice) => void }): Promise<Investigation>;
}

/** The grants, from the batch (id known) or read alongside the audit read (first ask by UPN). */
function grantsRead(client: GraphClient) {
  return (userId: string, address: UserRef): Promise<OwnSection<PermissionGrant[]>> | Promise<undefined> =>
    address.kind === 'id'
      ? Promise.resolve(undefined)
      : own(
          async () => (await readAll(client, endpoints.permissionGrants.at({ userId }), { maxItems: MAX_ITEMS })).items,
        );
}

/** Apps, devices and the user's own changes, each degrading on its own; service principals are the second round. */
async function readAccess(
  client: GraphClient,
  userId: string,
  gathered: { extra: BatchReplies<ExtraReads>; address: UserRef; alongside: OwnSection<PermissionGrant[]> | undefined },
  since: Date,
) {
  const reads = extraReads(gathered.address, since);
  const replies = gathered.extra;
  const grants = gathered.alongside ?? (await own(() => allOf(client, replies.value('grants'), reads.grants)));
  const assignments = await own(() => allOf(client, replies.value('assignments'), reads.assignments));
  const registered = await own(() => allOf(client, replies.value('registeredDevices'), reads.registeredDevices));
  const owned = await own(() => allOf(client, replies.value('ownedDevices'), reads.ownedDevices));
  const initiated = await own(() => {
    const page = replies.value('initiated');
    return Promise.resolve({ audits: page.value, truncated: page['@odata.nextLink'] !== undefined });
  });
  let homeTenantId: string | null = null;
  try {
    homeTenantId = replies.value('organization').value[0]?.id ?? null;
  } catch (error) {
    // Without it every non-Microsoft app counts as third-party; a bug still throws.
    if (!isCodedError(error)) throw error;
  }
  const sps =
    grants.kind === 'read' && assignments.kind === 'read'
      ? await readServicePrincipals(client, appIdsToRead(grants.value, assignments.value))
      : null;
  return { userId, grants, assignments, registered, owned, initiated, sps, homeTenantId };
}

export function createInvestigator(deps: InvestigationDeps): Investigator {
  return {
    async investigate(ref, opts = {}) {
      const started = deps.clock.now();
      const since = new Date(started - deps.auditDays * DAY);
      const exchangeWindow = { from: started - CHANGES_WINDOW_DAYS * DAY, to: started };
      const exchange = deps.exchange ?? createExchangeInvestigator({});
      // Concurrent: the mailbox reads do not depend on the batch, so the card costs the slower of the two, not the sum.
      const [{ gathered, access }, forwarding, exchangeReads] = await withWaitingNotice(
        deps.client,
        () =>
          Promise.all([
            (async () => {
              const g = await gatherMfaInput(
                deps,
                ref,
                (address) => extraReads(address, since),
                grantsRead(deps.client),
              );
              return { gathered: g, access: await readAccess(deps.client, g.data.user.id, g, since) };
            })(),
            readForwarding(deps.forwarding, ref),
            exchange.gather(ref, exchangeWindow),
          ]),
        opts.onWaiting,
      );
      const reads = parseExtras(gathered.extra);
      const now = deps.clock.now();
      const mfa = assessMfa(gathered.input);
      const profile = summarizeUser({
        user: gathered.data.user,
        directoryRoles: gathered.data.directoryRoles.map((displayName) => ({ displayName })),
        licenses: reads.licenses,
      });
      const signIns: Section<SignInSummary> =
        reads.signIns.kind === 'unavailable'
          ? reads.signIns
          : {
              kind: 'read',
              value: summarizeSignIns(
                reads.signIns.value,
                reads.risk.kind === 'read' ? reads.risk.riskyUser : null,
                now,
              ),
            };
      const windowStart = now - CHANGES_WINDOW_DAYS * DAY;
      const recentChanges = mfa.trail.filter((e) => Date.parse(e.at) >= windowStart);
      const initiated = access.initiated.kind === 'read' ? access.initiated.value.audits : [];
      const apps: OwnSection<AppsSection> =
        access.grants.kind !== 'read'
          ? access.grants
          : access.assignments.kind !== 'read'
            ? access.assignments
            : {
                kind: 'read',
                value: {
                  apps: judgeAppAccess({
                    userId: profile.id,
                    grants: access.grants.value,
                    assignments: access.assignments.value,
                    servicePrincipals: access.sps?.byId ?? new Map(),
                    initiated,
                    windowStart,
                    homeTenantId: access.homeTenantId,
                  }),
                  publishersUnavailable: access.sps?.refused ?? null,
                },
              };
      const devices: OwnSection<DeviceView[]> =
        access.registered.kind !== 'read'
          ? access.registered
          : access.owned.kind !== 'read'
            ? access.owned
            : {
                kind: 'read',
                value: judgeDevices(
                  access.registered.value,
                  access.owned.value,
                  signIns.kind === 'read' ? signIns.value.signIns : null,
                  windowStart,
                ),
              };
      const changes: OwnSection<ChangesSection> =
        access.initiated.kind !== 'read'
          ? access.initiated
          : {
              kind: 'read',
              value: {
                changes: judgeAccountChanges(initiated, windowStart),
                truncated:
                  access.initiated.value.truncated &&
                  initiated.every((a) => Date.parse(a.activityDateTime) >= windowStart),
              },
            };
      const added = methodsAdded(mfa.methods, recentChanges, windowStart);
      const partial = {
        window: { from: new Date(windowStart).toISOString(), days: CHANGES_WINDOW_DAYS },
        profile,
        mfa,
        recentChanges,
        signIns,
        riskUnavailable: reads.risk.kind === 'unavailable' ? reads.risk.permission : null,
        forwarding,
        apps,
        devices,
        changes,
        methodsAdded: added,
        exchange: judgeExchange(exchangeReads, {
          suspiciousSince:
            signIns.kind === 'read' ? firstSuspiciousSignIn(signIns.value.signIns, exchangeWindow) : null,
        }),
      };
      const inv: Investigation = {
        ...partial,
        flagged: flaggedItems(partial),
        timeline: { events: [], firstSuspicious: null },
      };
      inv.timeline = buildTimeline(inv, TIMELINE_SOURCES);
      return inv;
    },
  };
}

/** Every flagged item of the sections, once each, in section order (apps, devices, methods, changes, delegates). */
export function flaggedItems(
  inv: Pick<Investigation, 'apps' | 'devices' | 'methodsAdded' | 'changes' | 'exchange'>,
): PersistenceItem[] {
  const items: PersistenceItem[] = [
    ...(inv.apps.kind === 'read' ? inv.apps.value.apps.flatMap((a) => a.items) : []),
    ...(inv.devices.kind === 'read' ? inv.devices.value.flatMap((d) => (d.item ? [d.item] : [])) : []),
    ...inv.methodsAdded.map((m) => m.item),
    ...(inv.changes.kind === 'read' ? inv.changes.value.changes.flatMap((c) => c.items) : []),
    ...exchangePersistence(inv.exchange),
  ];
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = persistenceKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The items `investigate` flags for a user, read afresh (the contain request's FlaggedPersistenceSource: a picked key
 * counts only if a new read still flags it).
 */
export function flaggedSource(investigator: Investigator): {
  flagged(target: { id: string; upn: string }): Promise<PersistenceItem[]>;
} {
  return {
    flagged: async (target) => (await investigator.investigate({ kind: 'id', id: target.id as UserId })).flagged,
  };
}
