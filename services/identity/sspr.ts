/** SSPR status of one user and their recent self-service password reset attempts, judged. Pure. */
import type { DirectoryAudit, UserRegistrationDetails } from '../graph/schemas';

export const SSPR_SERVICE = 'Self-service Password Management';

/** Failure families that end in "contact your administrator" (which sends admins the reset-request email). */
export type ContactAdminReason = 'insufficient-methods' | 'not-enabled' | 'not-in-group' | 'no-licence';

export type SsprStepKind =
  | 'submitted-user-id'
  | 'presented-options'
  | 'started-method'
  | 'completed-method'
  | 'cancelled'
  | 'reset'
  | 'contact-admin'
  | 'on-premises'
  | 'blocked'
  | 'other-failure'
  | 'other';

export interface SsprStep {
  at: string;
  activity: string;
  /** The record's resultReason, raw (cards render it untrusted). */
  reason: string | null;
  result: string | null;
  kind: SsprStepKind;
  contactAdmin: ContactAdminReason | null;
  ipAddress: string | null;
}

export type SsprOutcome = 'reset' | 'contact-admin' | 'cancelled' | 'blocked' | 'failed' | 'unfinished';

/** One reset attempt: the records sharing a correlationId, oldest step first. */
export interface SsprAttempt {
  correlationId: string;
  start: string;
  end: string;
  ipAddresses: string[];
  steps: SsprStep[];
  outcome: SsprOutcome;
  contactAdmin: ContactAdminReason | null;
  submittedUserId: boolean;
}

// Reasons are matched after trimming, with startsWith/contains, case-insensitively: Microsoft's wording carries
// trailing spaces and sentence tails that differ between records (graph-api.md §3).
const CONTACT_ADMIN: [string, ContactAdminReason][] = [
  ["user's account has insufficient authentication methods", 'insufficient-methods'],
  ['password reset is not enabled for this user', 'not-enabled'],
  ['this user is not a member of the password reset users group', 'not-in-group'],
  ['user does not have a license', 'no-licence'],
];

/** Classify one SSPR record by its activity and resultReason. */
export function classifySsprRecord(activity: string, reason: string | null): Omit<SsprStep, 'at' | 'ipAddress'> {
  const r = (reason ?? '').trim().toLowerCase();
  const a = activity.trim().toLowerCase();
  const base = { activity, reason, result: null, contactAdmin: null };
  for (const [prefix, family] of CONTACT_ADMIN) {
    if (r.startsWith(prefix) || r.includes(prefix)) return { ...base, kind: 'contact-admin', contactAdmin: family };
  }
  if (r.includes('password is managed on-premises') || r.includes('password writeback')) {
    return { ...base, kind: 'on-premises' };
  }
  if (a.startsWith('blocked from self-service password reset') || r.includes('blocked for 24 hours')) {
    return { ...base, kind: 'blocked' };
  }
  if (a.startsWith('reset password (self-service)') || r.startsWith('user successfully reset password')) {
    return { ...base, kind: 'reset' };
  }
  if (r.startsWith('user submitted their user id')) return { ...base, kind: 'submitted-user-id' };
  if (r.startsWith('user was presented with verification options')) return { ...base, kind: 'presented-options' };
  if (r.startsWith('user started the')) return { ...base, kind: 'started-method' };
  if (r.startsWith('user completed the')) return { ...base, kind: 'completed-method' };
  if (r.startsWith('user cancelled') || r.startsWith('user canceled')) return { ...base, kind: 'cancelled' };
  return { ...base, kind: 'other' };
}

function stepOf(record: DirectoryAudit): SsprStep {
  const classified = classifySsprRecord(record.activityDisplayName, record.resultReason);
  const failed = record.result === 'failure' && classified.kind === 'other';
  return {
    ...classified,
    kind: failed ? 'other-failure' : classified.kind,
    result: record.result,
    at: record.activityDateTime,
    ipAddress: record.initiatedBy.user?.ipAddress ?? null,
  };
}

function outcomeOf(steps: SsprStep[]): Pick<SsprAttempt, 'outcome' | 'contactAdmin'> {
  const contact = steps.find((s) => s.kind === 'contact-admin');
  if (steps.some((s) => s.kind === 'reset')) return { outcome: 'reset', contactAdmin: null };
  if (contact) return { outcome: 'contact-admin', contactAdmin: contact.contactAdmin };
  if (steps.some((s) => s.kind === 'blocked')) return { outcome: 'blocked', contactAdmin: null };
  if (steps.some((s) => s.kind === 'cancelled')) return { outcome: 'cancelled', contactAdmin: null };
  if (steps.some((s) => s.kind === 'other-failure' || s.kind === 'on-premises')) {
    return { outcome: 'failed', contactAdmin: null };
  }
  return { outcome: 'unfinished', contactAdmin: null };
}

/** SSPR records of one user → attempts grouped by correlationId, newest attempt first. Other services' records are ignored. */
export function groupSsprAttempts(records: DirectoryAudit[]): SsprAttempt[] {
  const groups = new Map<string, DirectoryAudit[]>();
  for (const r of records) {
    if ((r.loggedByService ?? '').trim().toLowerCase() !== SSPR_SERVICE.toLowerCase()) continue;
    // A record without a correlationId is its own attempt.
    const key = r.correlationId ?? `record:${r.id}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const attempts: SsprAttempt[] = [];
  for (const [correlationId, group] of groups) {
    const steps = group.sort((a, b) => Date.parse(a.activityDateTime) - Date.parse(b.activityDateTime)).map(stepOf);
    const first = steps[0];
    const last = steps[steps.length - 1];
    if (!first || !last) continue;
    attempts.push({
      correlationId,
      start: first.at,
      end: last.at,
      ipAddresses: [...new Set(steps.map((s) => s.ipAddress).filter((ip): ip is string => !!ip))],
      steps,
      submittedUserId: steps.some((s) => s.kind === 'submitted-user-id'),
      ...outcomeOf(steps),
    });
  }
  return attempts.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
}

/** What the registration report says about SSPR for the user. */
export type SsprStatus =
  | { kind: 'unknown' }
  | { kind: 'not-enabled' }
  | { kind: 'not-registered' }
  | { kind: 'registered-not-capable' }
  | { kind: 'capable' };

export interface SsprReport {
  status: SsprStatus;
  enabled: boolean | null;
  registered: boolean | null;
  capable: boolean | null;
  isAdmin: boolean | null;
  methodsRegistered: string[];
  reportUpdated: string | null;
  attempts: SsprAttempt[];
}

/** Combine the registration row (null when the report has none) and the SSPR records. */
export function summarizeSspr(registration: UserRegistrationDetails | null, records: DirectoryAudit[]): SsprReport {
  const attempts = groupSsprAttempts(records);
  if (!registration) {
    return {
      status: { kind: 'unknown' },
      enabled: null,
      registered: null,
      capable: null,
      isAdmin: null,
      methodsRegistered: [],
      reportUpdated: null,
      attempts,
    };
  }
  const status: SsprStatus = !registration.isSsprEnabled
    ? { kind: 'not-enabled' }
    : !registration.isSsprRegistered
      ? { kind: 'not-registered' }
      : !registration.isSsprCapable
        ? { kind: 'registered-not-capable' }
        : { kind: 'capable' };
  return {
    status,
    enabled: registration.isSsprEnabled,
    registered: registration.isSsprRegistered,
    capable: registration.isSsprCapable,
    isAdmin: registration.isAdmin,
    methodsRegistered: registration.methodsRegistered,
    reportUpdated: registration.lastUpdatedDateTime,
    attempts,
  };
}
