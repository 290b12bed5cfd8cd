/**
 * Apps with access to a user's data: the user's delegated permission grants and app role assignments, judged against
 * the service principals they point at and the "Consent to application" audit records. Pure.
 *
 * Consent phishing leaves a grant with mail scopes to a third-party app; revoking sessions leaves it working (the app
 * holds its own refresh token), so each grant is a PersistenceItem the operator may pick for `contain`.
 */
import type { AppRoleAssignment, PermissionGrant, ServicePrincipal } from '../graph/schemas/access';
import type { DirectoryAudit } from '../graph/schemas';
import type { PersistenceItem } from './persistence';

/** Delegated scopes that read, change or send mail or files in bulk (compared case-insensitively). */
export const HIGH_RISK_SCOPES = [
  'Mail.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'Mail.Read.Shared',
  'Mail.ReadWrite.Shared',
  'Mail.Send.Shared',
  'MailboxSettings.ReadWrite',
  'Files.ReadWrite.All',
  'full_access_as_user',
  'EWS.AccessAsUser.All',
  'IMAP.AccessAsUser.All',
  'POP.AccessAsUser.All',
  'SMTP.Send',
] as const;
const HIGH_RISK = new Set(HIGH_RISK_SCOPES.map((s) => s.toLowerCase()));
const MAIL_SCOPE = /^(mail\.|mailboxsettings\.|ews\.|imap\.|pop\.|smtp\.|full_access_as_user$)/i;

/** Tenants that own Microsoft's first-party apps (appOwnerOrganizationId). */
export const MICROSOFT_TENANT_IDS = ['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47'];

export type AppFlag = 'high-risk-scopes' | 'consented-in-window' | 'unverified-third-party';

export interface AppAccess {
  /** The service principal's object id (a grant's clientId, an assignment's resourceId). */
  servicePrincipalId: string;
  /** The app's name (service principal, else the assignment's resourceDisplayName); null when neither says. */
  name: string | null;
  publisher: string | null;
  /** The verified publisher's name, or null when Microsoft has not verified the publisher. */
  verifiedPublisher: string | null;
  /** Owned by Microsoft's tenant; null when the service principal could not be read. */
  firstParty: boolean | null;
  /** Registered in the user's own tenant (an app of the organisation, not a third party's). */
  ownOrganization: boolean;
  /** Delegated scopes over all of the user's grants to this app, in Graph's order, without duplicates. */
  scopes: string[];
  highRiskScopes: string[];
  /** Also offline_access with a mail scope: the app keeps reading mail without the user. */
  offlineMail: boolean;
  /** When the user consented (newest "Consent to application" record), or null when the audit log does not say. */
  consentedAt: string | null;
  /** App role assignments of the user (or of a direct group: not removable per user) to this app. */
  assignments: { id: string; viaGroup: string | null; createdAt: string | null }[];
  flags: AppFlag[];
  /** The grants and the user's own assignments, when the app is flagged; the operator picks from these. */
  items: PersistenceItem[];
}

export interface AppAccessInput {
  userId: string;
  grants: PermissionGrant[];
  assignments: AppRoleAssignment[];
  /** Service principals by object id; null when that read failed (the app is still listed, by id). */
  servicePrincipals: ReadonlyMap<string, ServicePrincipal | null>;
  /** Directory audits the user initiated (any order); "Consent to application" records date the consents. */
  initiated: readonly DirectoryAudit[];
  windowStart: number;
  /** The tenant's id (its own apps are not third-party); null when unknown. */
  homeTenantId?: string | null;
}

/** The service principal ids a judgement needs read (grants' clients and assignments' resources), deduplicated. */
export function appIdsToRead(grants: readonly PermissionGrant[], assignments: readonly AppRoleAssignment[]): string[] {
  return [...new Set([...grants.map((g) => g.clientId), ...assignments.map((a) => a.resourceId)])];
}

function isConsent(a: DirectoryAudit): boolean {
  return a.activityDisplayName.trim().toLowerCase() === 'consent to application' && a.result !== 'failure';
}

/** Newest consent time per service principal id (the record's ServicePrincipal target). */
export function consentTimes(initiated: readonly DirectoryAudit[]): Map<string, string> {
  const times = new Map<string, string>();
  for (const a of initiated) {
    if (!isConsent(a)) continue;
    for (const t of a.targetResources) {
      if (!t.id || (t.type ?? '').toLowerCase() !== 'serviceprincipal') continue;
      const seen = times.get(t.id);
      if (!seen || Date.parse(a.activityDateTime) > Date.parse(seen)) times.set(t.id, a.activityDateTime);
    }
  }
  return times;
}

function splitScopes(scope: string | null): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

/** Judge every app the user's grants and assignments point at; flagged apps first, then by name. */
export function judgeAppAccess(input: AppAccessInput): AppAccess[] {
  const consents = consentTimes(input.initiated);
  const ids = appIdsToRead(input.grants, input.assignments);
  const apps = ids.map((spId): AppAccess => {
    const sp = input.servicePrincipals.get(spId) ?? null;
    const grants = input.grants.filter((g) => g.clientId === spId);
    const assignments = input.assignments.filter((a) => a.resourceId === spId);
    const scopes = [...new Set(grants.flatMap((g) => splitScopes(g.scope)))];
    const highRiskScopes = scopes.filter((s) => HIGH_RISK.has(s.toLowerCase()));
    const offlineMail =
      scopes.some((s) => s.toLowerCase() === 'offline_access') && scopes.some((s) => MAIL_SCOPE.test(s));
    const name = sp?.displayName ?? assignments.find((a) => a.resourceDisplayName)?.resourceDisplayName ?? null;
    const owner = (sp?.appOwnerOrganizationId ?? '').toLowerCase();
    const firstParty = sp ? MICROSOFT_TENANT_IDS.includes(owner) : null;
    const ownOrganization = sp !== null && !!input.homeTenantId && owner === input.homeTenantId.toLowerCase();
    const verifiedPublisher = sp?.verifiedPublisher?.verifiedPublisherId
      ? (sp.verifiedPublisher.displayName ?? '')
      : null;
    const consentedAt = consents.get(spId) ?? null;
    const flags: AppFlag[] = [];
    if (highRiskScopes.length > 0) flags.push('high-risk-scopes');
    if (consentedAt !== null && Date.parse(consentedAt) >= input.windowStart) flags.push('consented-in-window');
    if (firstParty === false && !ownOrganization && verifiedPublisher === null) flags.push('unverified-third-party');
    // An unverified publisher alone is common; it makes a flagged app worse but does not flag one on its own.
    const flagged = flags.includes('high-risk-scopes') || flags.includes('consented-in-window');
    const label = name ?? spId;
    const items: PersistenceItem[] = flagged
      ? [
          ...grants.map((g): PersistenceItem => ({
            kind: 'grant',
            id: g.id,
            app: label,
            clientId: g.clientId,
            scopes: splitScopes(g.scope),
          })),
          ...assignments
            .filter((a) => a.principalId === input.userId)
            .map((a): PersistenceItem => ({ kind: 'app-role-assignment', id: a.id, app: label, resourceId: spId })),
        ]
      : [];
    return {
      servicePrincipalId: spId,
      name,
      publisher: sp?.publisherName ?? null,
      verifiedPublisher,
      firstParty,
      ownOrganization,
      scopes,
      highRiskScopes,
      offlineMail,
      consentedAt,
      assignments: assignments.map((a) => ({
        id: a.id,
        viaGroup: a.principalId !== input.userId ? (a.principalDisplayName ?? a.principalId ?? '') : null,
        createdAt: a.createdDateTime,
      })),
      flags,
      items,
    };
  });
  return apps.sort(
    (a, b) => Number(b.items.length > 0) - Number(a.items.length > 0) || (a.name ?? '').localeCompare(b.name ?? ''),
  );
}
