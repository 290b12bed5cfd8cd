import type { DirectoryAudit } from '../graph/schemas';
import { stableId } from './alert-id';
import { RULES } from './rule-catalog';
import type { Alert, AlertRuleId, AlertSeverity, AlertSubject } from './types';

const norm = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

// Exact activity names of the directory audit log (graph-api.md §3), compared case-insensitively.
const SECURITY_INFO_BY_USER = new Set([
  'user registered security info',
  'user updated security info',
  'user deleted security info',
  'user changed default security info',
]);
const SECURITY_INFO_BY_ADMIN = new Set([
  'admin registered security info',
  'admin updated security info',
  'admin deleted security info',
]);
const CONSENT = new Set(['consent to application']);
const ROLE_MEMBER = new Set([
  'add member to role',
  'add eligible member to role in pim completed (permanent)',
  'add eligible member to role in pim completed (timebound)',
]);
const CONDITIONAL_ACCESS = new Set([
  'add conditional access policy',
  'update conditional access policy',
  'delete conditional access policy',
]);
const DOMAIN = new Set([
  'add unverified domain',
  'verify domain',
  'set domain authentication',
  'set federation settings on domain',
]);
// A user registering or joining a device (Device Registration Service / Core Directory, category Device).
const DEVICE_REGISTERED = new Set(['register device']);
const ADMIN_PASSWORD_RESET = new Set(['reset password (by admin)', 'reset user password']);
const SESSIONS_REVOKED = new Set(['invalidate all refresh tokens for user']);
const SSPR_SERVICE = 'self-service password management';
const STRONG_AUTH_APP = 'azure mfa strongauthenticationservice';

// SSPR failures whose end screen tells the user to contact their administrator (graph-api.md §3, SSPR).
const SSPR_CONTACT_ADMIN_REASONS = [
  "user's account has insufficient authentication methods defined",
  'password reset is not enabled for this user',
  'user does not have a license',
  'this user is not a member of the password reset users group',
  "user's password is managed on-premises",
];

function userTarget(event: DirectoryAudit): AlertSubject {
  const t =
    event.targetResources.find((r) => norm(r.type) === 'user' || r.userPrincipalName) ?? event.targetResources[0];
  return { id: t?.id ?? null, upn: t?.userPrincipalName ?? null, displayName: t?.displayName ?? null };
}

function initiator(event: DirectoryAudit): AlertSubject {
  const u = event.initiatedBy.user;
  return { id: u?.id ?? null, upn: u?.userPrincipalName ?? null, displayName: u?.displayName ?? null };
}

function modified(event: DirectoryAudit, name: string): { old: unknown; new: unknown } | null {
  for (const t of event.targetResources) {
    const p = t.modifiedProperties.find((m) => norm(m.displayName) === name.toLowerCase());
    if (p) return { old: p.oldDecoded, new: p.newDecoded };
  }
  return null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.replace(/^"|"$/g, '') || null;
  if (Array.isArray(value) && value.length > 0) return value.map((v) => String(v)).join(', ');
  return null;
}

function build(
  event: DirectoryAudit,
  rule: AlertRuleId,
  subject: AlertSubject,
  detail: string | null,
  severity: AlertSeverity = RULES[rule].severity,
): Alert {
  const user = event.initiatedBy.user;
  const app = event.initiatedBy.app;
  return {
    id: stableId(rule, event.id),
    rule,
    severity,
    dedupeKey: `${rule}:${subject.id ?? subject.upn ?? 'tenant'}:${norm(event.activityDisplayName)}`,
    occurredAt: event.activityDateTime,
    subject,
    actor: user ? (user.userPrincipalName ?? user.displayName ?? user.id) : (app?.displayName ?? null),
    actorKind: user ? 'user' : app ? 'app' : 'unknown',
    ip: user?.ipAddress ?? null,
    location: null,
    activity: event.activityDisplayName,
    detail,
    sourceIds: [event.id],
  };
}

/** The ids of Authenticator devices in a StrongAuthenticationPhoneAppDetail value. */
function deviceIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(value)) return ids;
  for (const d of value as Record<string, unknown>[]) {
    const id = d.Id ?? d.DeviceId ?? d.DeviceToken;
    if (typeof id === 'string' && id !== '') ids.add(id.toLowerCase());
  }
  return ids;
}

/**
 * A record that starts an Authenticator registration: "User started security info registration", or a
 * StrongAuthenticationService "Update user" whose StrongAuthenticationPhoneAppDetail gained a device. Ordinary
 * Authenticator use also rewrites that property (timestamps, app version), so only a new device id counts.
 */
export function isRegistrationStart(event: DirectoryAudit): boolean {
  if (event.result && norm(event.result) !== 'success') return false;
  const activity = norm(event.activityDisplayName);
  if (activity === 'user started security info registration') return true;
  if (activity !== 'update user' || norm(event.initiatedBy.app?.displayName) !== STRONG_AUTH_APP) return false;
  const detail = modified(event, 'StrongAuthenticationPhoneAppDetail');
  if (!detail) return false;
  const before = deviceIds(detail.old);
  return [...deviceIds(detail.new)].some((id) => !before.has(id));
}

/** A record that completes a registration ("User registered security info" / "… all required security info"). */
export function isRegistrationComplete(event: DirectoryAudit): boolean {
  const activity = norm(event.activityDisplayName);
  return (
    norm(event.result || 'success') === 'success' &&
    (activity === 'user registered security info' || activity === 'user registered all required security info')
  );
}

/** The user a registration record is about. */
export function registrationUser(event: DirectoryAudit): AlertSubject {
  return userTarget(event);
}

/** The alert a single audit record raises on its own, or null (the stalled-registration rule is in stall.ts). */
export function matchAuditEvent(event: DirectoryAudit): Alert | null {
  const activity = norm(event.activityDisplayName);
  const ok = norm(event.result || 'success') === 'success';
  if (SECURITY_INFO_BY_USER.has(activity) && ok) {
    return build(event, 'security-info-changed', userTarget(event), event.resultReason);
  }
  if (SECURITY_INFO_BY_ADMIN.has(activity) && ok) {
    // An admin changing someone else's sign-in methods is how an insider or a hijacked admin takes over accounts.
    return build(event, 'security-info-changed', userTarget(event), event.resultReason, 'high');
  }
  if (norm(event.loggedByService) === SSPR_SERVICE) {
    const reason = norm(event.resultReason);
    const contactAdmin =
      activity === 'blocked from self-service password reset' ||
      SSPR_CONTACT_ADMIN_REASONS.some((r) => reason.startsWith(r));
    if (contactAdmin) {
      const alert = build(
        event,
        'sspr-contact-admin',
        initiator(event).id ? initiator(event) : userTarget(event),
        event.resultReason,
      );
      return { ...alert, dedupeKey: `sspr-contact-admin:${alert.subject.id ?? alert.subject.upn ?? 'tenant'}` };
    }
    if (activity === 'reset password (by admin)' && ok) {
      return build(event, 'admin-password-reset', userTarget(event), event.resultReason);
    }
    return null;
  }
  if (!ok) return null;
  if (CONSENT.has(activity)) {
    const app = event.targetResources[0];
    const permissions = text(modified(event, 'ConsentAction.Permissions')?.new);
    const subject = initiator(event);
    const alert = build(
      event,
      'consent-granted',
      subject,
      [app?.displayName, permissions].filter(Boolean).join(' — ') || null,
    );
    return { ...alert, dedupeKey: `consent-granted:${app?.id ?? 'app'}:${subject.id ?? 'admin'}` };
  }
  if (ROLE_MEMBER.has(activity)) {
    const role = text(modified(event, 'Role.DisplayName')?.new);
    return build(event, 'privileged-role-member', userTarget(event), role);
  }
  if (CONDITIONAL_ACCESS.has(activity)) {
    const policy = event.targetResources[0]?.displayName ?? null;
    const alert = build(event, 'conditional-access-changed', initiator(event), policy);
    return { ...alert, dedupeKey: `conditional-access-changed:${event.targetResources[0]?.id ?? 'policy'}` };
  }
  if (DOMAIN.has(activity)) {
    const domain = event.targetResources[0]?.displayName ?? null;
    const alert = build(event, 'domain-changed', initiator(event), domain);
    return { ...alert, dedupeKey: `domain-changed:${norm(domain)}:${activity}` };
  }
  if (DEVICE_REGISTERED.has(activity) && event.initiatedBy.user) {
    const device = event.targetResources.find((t) => norm(t.type) === 'device') ?? event.targetResources[0];
    const alert = build(event, 'device-registered', initiator(event), device?.displayName ?? null);
    return { ...alert, dedupeKey: `device-registered:${alert.subject.id ?? 'user'}:${device?.id ?? 'device'}` };
  }
  if (ADMIN_PASSWORD_RESET.has(activity)) return build(event, 'admin-password-reset', userTarget(event), null);
  if (SESSIONS_REVOKED.has(activity) || (activity === 'update user' && modified(event, 'StsRefreshTokensValidFrom'))) {
    return build(event, 'sessions-revoked', userTarget(event), null);
  }
  return null;
}
