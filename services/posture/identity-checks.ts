/** Checks 1–5 (MFA for all, legacy authentication, user consent, the admin SSPR loop, SSPR registration): pure. */
import type { AuthorizationPolicy, ConditionalAccessPolicy } from '../graph/schemas/policies';
import type { AdminConsentRequestPolicy, SecurityDefaults } from '../graph/schemas/posture';
import type { UserRegistrationDetails } from '../graph/schemas/registration-details';
import type { AdminSsprCheck, ConsentCheck, CoverageCheck, Named, Source, SsprCheck } from './types';

const ENABLED = 'enabled';
const REPORT_ONLY = 'enabledForReportingButNotEnforced';

const coversAllUsers = (p: ConditionalAccessPolicy): boolean =>
  (p.conditions.users?.includeUsers ?? []).some((u) => u.toLowerCase() === 'all');
const coversAllApps = (p: ConditionalAccessPolicy): boolean =>
  (p.conditions.applications?.includeApplications ?? []).some((a) => a.toLowerCase() === 'all');

/** MFA is required when the grant asks for it (or a strength) and no alternative control can stand in for it. */
function requiresMfa(p: ConditionalAccessPolicy): boolean {
  const g = p.grantControls;
  if (!g) return false;
  const mfa = g.builtInControls.includes('mfa') || g.authenticationStrength !== null;
  if (!mfa) return false;
  const others = g.builtInControls.filter((c) => c !== 'mfa');
  return (g.operator ?? 'OR').toUpperCase() === 'AND' || others.length === 0;
}

const LEGACY_CLIENTS = ['exchangeActiveSync', 'other'] as const;

function blocksLegacy(p: ConditionalAccessPolicy): string[] {
  if (!p.grantControls?.builtInControls.includes('block')) return [];
  const types = p.conditions.clientAppTypes;
  return LEGACY_CLIENTS.filter((t) => types.includes(t));
}

/** The users, groups and roles the policies leave out, as ids: what the read layer names before the checks run. */
export function exclusionsOf(policies: readonly ConditionalAccessPolicy[]): { id: string; kind: Named['kind'] }[] {
  const out = new Map<string, Named['kind']>();
  for (const p of policies) {
    const u = p.conditions.users;
    if (!u) continue;
    for (const id of u.excludeUsers) out.set(id, 'user');
    for (const id of u.excludeGroups) out.set(id, 'group');
    for (const id of u.excludeRoles) out.set(id, 'role');
  }
  return [...out].map(([id, kind]) => ({ id, kind }));
}

function named(policies: readonly ConditionalAccessPolicy[], names: ReadonlyMap<string, string>): Named[] {
  return exclusionsOf(policies).map((e) => ({ ...e, name: names.get(e.id) ?? null }));
}

const nameOf = (p: ConditionalAccessPolicy): string => p.displayName ?? p.id;

function coverage<I extends 'mfa-all' | 'legacy-auth'>(
  id: I,
  defaults: Source<SecurityDefaults>,
  ca: Source<ConditionalAccessPolicy[]>,
  names: ReadonlyMap<string, string>,
  qualifies: (policies: ConditionalAccessPolicy[]) => ConditionalAccessPolicy[],
): CoverageCheck<I> {
  const securityDefaults = defaults.kind === 'read' ? defaults.value.isEnabled === true : null;
  const base = { id, securityDefaults, policies: [], reportOnly: [], exclusions: [] };
  if (securityDefaults === true) return { ...base, verdict: 'pass', need: null };
  if (ca.kind === 'missing') return { ...base, verdict: 'cant-tell', need: ca.need };
  const enforced = qualifies(ca.value.filter((p) => p.state === ENABLED));
  const reportOnly = qualifies(ca.value.filter((p) => p.state === REPORT_ONLY)).map(nameOf);
  const result = { ...base, policies: enforced.map(nameOf), reportOnly, exclusions: named(enforced, names) };
  if (enforced.length > 0) return { ...result, verdict: 'pass', need: null };
  // Without the security defaults read, a tenant with no qualifying policy might still be covered by them.
  if (defaults.kind === 'missing') return { ...result, verdict: 'cant-tell', need: defaults.need };
  return { ...result, verdict: 'fail', need: null };
}

/** 1. Security defaults on, or an enforced CA policy requiring MFA (or a strength) for all users and all cloud apps. */
export function checkMfaForAll(
  defaults: Source<SecurityDefaults>,
  ca: Source<ConditionalAccessPolicy[]>,
  names: ReadonlyMap<string, string>,
): CoverageCheck<'mfa-all'> {
  return coverage('mfa-all', defaults, ca, names, (ps) =>
    ps.filter((p) => coversAllUsers(p) && coversAllApps(p) && requiresMfa(p)),
  );
}

/** 2. Security defaults on, or enforced CA policies for all users and apps that block Exchange ActiveSync and "other" clients. */
export function checkLegacyAuth(
  defaults: Source<SecurityDefaults>,
  ca: Source<ConditionalAccessPolicy[]>,
  names: ReadonlyMap<string, string>,
): CoverageCheck<'legacy-auth'> {
  return coverage('legacy-auth', defaults, ca, names, (ps) => {
    const blocking = ps.filter((p) => coversAllUsers(p) && coversAllApps(p) && blocksLegacy(p).length > 0);
    const covered = new Set(blocking.flatMap(blocksLegacy));
    return LEGACY_CLIENTS.every((t) => covered.has(t)) ? blocking : [];
  });
}

const SELF_CONSENT = 'managepermissiongrantsforself.';

/** What users may consent to, from the permission-grant policies assigned to the default user role. */
export function userConsentOf(policy: AuthorizationPolicy): 'none' | 'low-risk' | 'any' {
  const assigned = (policy.defaultUserRolePermissions?.permissionGrantPoliciesAssigned ?? [])
    .map((p) => p.toLowerCase())
    .filter((p) => p.startsWith(SELF_CONSENT));
  if (assigned.length === 0) return 'none';
  return assigned.every((p) => p === `${SELF_CONSENT}microsoft-user-default-low`) ? 'low-risk' : 'any';
}

/** 3. Users cannot consent (or only to verified publishers' low-risk permissions), and the admin consent workflow is on. */
export function checkUserConsent(
  authorization: Source<AuthorizationPolicy>,
  adminConsent: Source<AdminConsentRequestPolicy>,
): ConsentCheck {
  const userConsent = authorization.kind === 'read' ? userConsentOf(authorization.value) : null;
  const adminConsentWorkflow = adminConsent.kind === 'read' ? adminConsent.value.isEnabled === true : null;
  const base = { id: 'user-consent' as const, userConsent, adminConsentWorkflow };
  if (userConsent === 'any' || adminConsentWorkflow === false) return { ...base, verdict: 'fail', need: null };
  const missing = [authorization, adminConsent].find((s) => s.kind === 'missing');
  if (missing?.kind === 'missing') return { ...base, verdict: 'cant-tell', need: missing.need };
  return { ...base, verdict: 'pass', need: null };
}

/**
 * Methods the administrator SSPR policy accepts (two are required, "two-gate"): phones, email and the Authenticator
 * app's notification or code. Security questions, passkeys and Windows Hello do not count for admin SSPR.
 */
const ADMIN_SSPR_METHODS = new Set([
  'mobilephone',
  'alternatemobilephone',
  'officephone',
  'email',
  'microsoftauthenticatorpush',
  'softwareonetimepasscode',
]);

/** The registration report as read: its rows, and whether every page was read. */
export interface RegistrationReport {
  rows: UserRegistrationDetails[];
  complete: boolean;
}

/**
 * 4. Admins in the "More information required" loop: SSPR for all users reaches them while administrator SSPR is off
 * (allowedToUseSSPR false), or their registered methods cannot meet the two-gate administrator policy.
 */
export function checkAdminSspr(
  authorization: Source<AuthorizationPolicy>,
  report: Source<RegistrationReport>,
): AdminSsprCheck {
  const adminSsprAllowed = authorization.kind === 'read' ? authorization.value.allowedToUseSSPR : null;
  const base = { id: 'admin-sspr' as const, adminSsprAllowed };
  if (report.kind === 'missing') return { ...base, admins: 0, caught: [], verdict: 'cant-tell', need: report.need };
  const admins = report.value.rows.filter((r) => r.isAdmin);
  const caught: AdminSsprCheck['caught'] = [];
  for (const a of admins) {
    const who = { id: a.id, name: a.userPrincipalName, kind: 'user' as const };
    const gates = a.methodsRegistered.filter((m) => ADMIN_SSPR_METHODS.has(m.toLowerCase())).length;
    if (adminSsprAllowed === false && a.isSsprEnabled) caught.push({ ...who, reason: 'admin-sspr-off' });
    else if (adminSsprAllowed !== false && gates < 2) caught.push({ ...who, reason: 'one-gate' });
  }
  const result = { ...base, admins: admins.length, caught };
  if (caught.length > 0) return { ...result, verdict: 'fail', need: null };
  if (authorization.kind === 'missing') return { ...result, verdict: 'cant-tell', need: authorization.need };
  return { ...result, verdict: 'pass', need: null };
}

/** The share of enabled members registered for SSPR at or above which check 5 passes. */
export const SSPR_REGISTERED_THRESHOLD = 0.9;

/** 5. SSPR is enabled for members, and at least 90 % of those it is enabled for have registered for it. */
export function checkSspr(report: Source<RegistrationReport>): SsprCheck {
  const base = { id: 'sspr' as const, threshold: SSPR_REGISTERED_THRESHOLD };
  if (report.kind === 'missing')
    return { ...base, members: 0, enabled: 0, registered: 0, complete: false, verdict: 'cant-tell', need: report.need };
  const members = report.value.rows.filter((r) => (r.userType ?? 'member').toLowerCase() === 'member');
  const enabled = members.filter((r) => r.isSsprEnabled);
  const registered = enabled.filter((r) => r.isSsprRegistered).length;
  const counts = { members: members.length, enabled: enabled.length, registered, complete: report.value.complete };
  const pass = enabled.length > 0 && registered >= SSPR_REGISTERED_THRESHOLD * enabled.length;
  return { ...base, ...counts, verdict: pass ? 'pass' : 'fail', need: null };
}
