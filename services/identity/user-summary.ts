/** The investigation-relevant facts about one user, derived from a Graph user profile. Pure. */

/** Service plan that records MailItemsAccessed (Audit Premium). */
export const ADVANCED_AUDITING_PLAN_ID = '2f442157-a11c-46b9-ae5b-6e39ff4e5849';
export const ADVANCED_AUDITING_PLAN_NAME = 'M365_ADVANCED_AUDITING';

/** The parts of a Graph profile this summary reads (services/graph's UserProfile satisfies it). */
export interface UserProfileInput {
  user: {
    id: string;
    displayName?: string | null;
    userPrincipalName: string;
    mail?: string | null;
    accountEnabled?: boolean | null;
    onPremisesSyncEnabled?: boolean | null;
    proxyAddresses?: string[] | null;
    userType?: string | null;
    lastPasswordChangeDateTime?: string | null;
    signInSessionsValidFromDateTime?: string | null;
  };
  directoryRoles: { displayName?: string | null; roleTemplateId?: string | null }[];
  licenses: {
    skuPartNumber?: string | null;
    servicePlans?:
      { servicePlanId?: string | null; servicePlanName?: string | null; provisioningStatus?: string | null }[] | null;
  }[];
}

export type ProxyKind = 'primary' | 'upn' | 'routing' | 'alias' | 'other';

export interface ProxyAddressView {
  address: string;
  kind: ProxyKind;
}

export type AdvancedAuditing =
  | { state: 'provisioned'; sku: string | null }
  | { state: 'not-provisioned'; sku: string | null; status: string }
  | { state: 'not-licensed' };

export interface UserSummary {
  id: string;
  displayName: string | null;
  upn: string;
  userType: 'member' | 'guest' | 'unknown';
  enabled: boolean | null;
  source: 'cloud' | 'synced';
  primarySmtp: string | null;
  upnMatchesPrimarySmtp: boolean;
  proxies: ProxyAddressView[];
  adminRoles: string[];
  licenses: string[];
  advancedAuditing: AdvancedAuditing;
  lastPasswordChange: string | null;
  sessionsValidFrom: string | null;
}

function classifyProxy(raw: string, upn: string): ProxyAddressView | null {
  const colon = raw.indexOf(':');
  if (colon <= 0) return { address: raw, kind: 'other' };
  const prefix = raw.slice(0, colon);
  const address = raw.slice(colon + 1);
  if (prefix.toLowerCase() !== 'smtp') return { address: raw, kind: 'other' };
  // Exchange marks the primary address with an upper-case SMTP: prefix; aliases use smtp:.
  if (prefix === 'SMTP') return { address, kind: 'primary' };
  if (address.toLowerCase() === upn.toLowerCase()) return { address, kind: 'upn' };
  if (/\.onmicrosoft\.com$/i.test(address)) return { address, kind: 'routing' };
  return { address, kind: 'alias' };
}

function advancedAuditingOf(licenses: UserProfileInput['licenses']): AdvancedAuditing {
  let seen: { sku: string | null; status: string } | null = null;
  for (const license of licenses) {
    for (const plan of license.servicePlans ?? []) {
      const matches =
        plan.servicePlanId?.toLowerCase() === ADVANCED_AUDITING_PLAN_ID ||
        plan.servicePlanName === ADVANCED_AUDITING_PLAN_NAME;
      if (!matches) continue;
      const status = plan.provisioningStatus ?? 'Unknown';
      if (status === 'Success') return { state: 'provisioned', sku: license.skuPartNumber ?? null };
      seen ??= { sku: license.skuPartNumber ?? null, status };
    }
  }
  return seen ? { state: 'not-provisioned', ...seen } : { state: 'not-licensed' };
}

export function summarizeUser(profile: UserProfileInput): UserSummary {
  const { user } = profile;
  const upn = user.userPrincipalName;
  const proxies = (user.proxyAddresses ?? []).map((p) => classifyProxy(p, upn)).filter((p) => p !== null);
  // The primary SMTP is the SMTP: proxy; when there is none, Graph's mail property carries it.
  const primarySmtp = proxies.find((p) => p.kind === 'primary')?.address ?? user.mail ?? null;
  const userType = user.userType === 'Member' ? 'member' : user.userType === 'Guest' ? 'guest' : 'unknown';
  return {
    id: user.id,
    displayName: user.displayName ?? null,
    upn,
    userType,
    enabled: user.accountEnabled ?? null,
    source: user.onPremisesSyncEnabled === true ? 'synced' : 'cloud',
    primarySmtp,
    upnMatchesPrimarySmtp: primarySmtp !== null && primarySmtp.toLowerCase() === upn.toLowerCase(),
    proxies,
    adminRoles: profile.directoryRoles.map((r) => r.displayName ?? r.roleTemplateId ?? 'unnamed role'),
    licenses: profile.licenses.map((l) => l.skuPartNumber ?? 'unknown SKU'),
    advancedAuditing: advancedAuditingOf(profile.licenses),
    lastPasswordChange: user.lastPasswordChangeDateTime ?? null,
    sessionsValidFrom: user.signInSessionsValidFromDateTime ?? null,
  };
}
