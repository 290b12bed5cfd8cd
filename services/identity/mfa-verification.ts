/** Is a registered method verified? The audit trail first, then the registration report. Pure. */
import type { AuthenticationMethod, UserRegistrationDetails } from '../graph/schemas';
import { createdAtOf, MFA_FAMILIES, reportCounts, VERIFIED_ON_CREATION } from './mfa-methods';
import type { MethodFamily, TrailEntry } from './mfa-trail';

/** What the missing evidence is, when a method's state can't be told. */
export type MissingEvidence =
  | { kind: 'older-than-audit-report-disagrees'; createdAt: string | null; coveredFrom: string | null }
  | { kind: 'no-record-report-disagrees'; createdAt: string | null; coveredFrom: string | null }
  | { kind: 'audit-report-disagree'; auditAt: string; auditSaysVerified: boolean; reportUpdatedAt: string | null }
  | { kind: 'no-report-no-audit'; coveredFrom: string | null }
  | { kind: 'policy-unknown'; config: string | null };

export type Verification =
  | { kind: 'verified'; source: 'audit'; entry: TrailEntry; report: 'agrees' | 'lags' | 'unavailable' }
  | { kind: 'verified'; source: 'report'; olderThanAudit: boolean }
  | { kind: 'verified'; source: 'on-creation' }
  | { kind: 'unverified'; reason: 'started-not-completed' | 'device-without-method' | 'canceled'; entry: TrailEntry }
  | { kind: 'unknown'; missing: MissingEvidence }
  | { kind: 'not-needed' };

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

function isPositive(e: TrailEntry, family: MethodFamily): boolean {
  if (!e.succeeded) return false;
  if ((e.kind === 'registered' || e.kind === 'admin-registered' || e.kind === 'updated') && e.family === family)
    return true;
  return e.kind === 'strong-auth-update' && (e.strongAuth?.familiesAfter.includes(family) ?? false);
}

function isNegative(e: TrailEntry, family: MethodFamily): TrailEntry['kind'] | null {
  if (e.kind === 'started' && (e.family === family || e.family === null)) return 'started';
  if (e.kind === 'registration-canceled' && (e.family === family || e.family === null)) return 'registration-canceled';
  if (
    family === 'authenticator' &&
    e.kind === 'strong-auth-update' &&
    (e.phoneApp?.added.length ?? 0) > 0 &&
    !(e.strongAuth?.familiesAfter.includes('authenticator') ?? false)
  )
    return 'strong-auth-update';
  return null;
}

export function related(e: TrailEntry, family: MethodFamily): boolean {
  if (e.family === family) return true;
  if (e.kind === 'strong-auth-update') {
    if (e.strongAuth?.familiesAfter.includes(family)) return true;
    if (family === 'authenticator' && e.phoneApp && !e.phoneApp.usageOnly) return true;
  }
  return e.family === null && (e.kind === 'started' || e.kind === 'registration-canceled');
}

// Registration records are written around the method's creation; allow for clock skew between services.
const CREATION_SLACK_MS = 15 * 60_000;

/** When a record names Authenticator devices, whether one of them is this method. */
function namesThisDevice(e: TrailEntry, method: AuthenticationMethod): boolean {
  const added = e.phoneApp?.added ?? [];
  if (method.kind !== 'microsoftAuthenticator' || added.length === 0) return true;
  return added.some(
    (d) =>
      (d.id !== null && d.id.toLowerCase() === method.id.toLowerCase()) ||
      (d.name !== null && method.displayName !== null && d.name === method.displayName),
  );
}

/**
 * Completions count from the method's creation on; unfinished attempts only up to it, since a later attempt is
 * about another registration and does not undo one that existed before it.
 */
function positiveFor(e: TrailEntry, method: AuthenticationMethod, createdAt: string | null): boolean {
  if (createdAt !== null && ms(e.at) < ms(createdAt) - CREATION_SLACK_MS) return false;
  return namesThisDevice(e, method);
}

function negativeFor(e: TrailEntry, method: AuthenticationMethod, createdAt: string | null): boolean {
  if (createdAt !== null && ms(e.at) > ms(createdAt) + CREATION_SLACK_MS) return false;
  return namesThisDevice(e, method);
}

export function verify(
  method: AuthenticationMethod,
  family: MethodFamily,
  trail: TrailEntry[],
  report: UserRegistrationDetails | null,
  coveredFrom: string | null,
): Verification {
  if (!MFA_FAMILIES.has(family) && family !== 'unknown') return { kind: 'not-needed' };
  if (VERIFIED_ON_CREATION.has(family)) return { kind: 'verified', source: 'on-creation' };
  const createdAt = createdAtOf(method);
  const positives = trail.filter((e) => isPositive(e, family) && positiveFor(e, method, createdAt));
  const negatives = trail.filter((e) => isNegative(e, family) !== null && negativeFor(e, method, createdAt));
  const lastPositive = positives[positives.length - 1];
  const lastNegative = negatives[negatives.length - 1];
  const counted = reportCounts(report, family);
  const reportUpdated = ms(report?.lastUpdatedDateTime);
  // A "started" followed by a completion is not negative; only an unmatched last attempt is.
  const openNegative =
    lastNegative && (!lastPositive || ms(lastPositive.at) < ms(lastNegative.at)) ? lastNegative : null;
  if (lastPositive && !openNegative) {
    if (report && !counted && reportUpdated > ms(lastPositive.at)) {
      return {
        kind: 'unknown',
        missing: {
          kind: 'audit-report-disagree',
          auditAt: lastPositive.at,
          auditSaysVerified: true,
          reportUpdatedAt: report.lastUpdatedDateTime,
        },
      };
    }
    return {
      kind: 'verified',
      source: 'audit',
      entry: lastPositive,
      report: report === null ? 'unavailable' : counted ? 'agrees' : 'lags',
    };
  }
  if (openNegative) {
    if (counted && reportUpdated > ms(openNegative.at)) {
      return {
        kind: 'unknown',
        missing: {
          kind: 'audit-report-disagree',
          auditAt: openNegative.at,
          auditSaysVerified: false,
          reportUpdatedAt: report?.lastUpdatedDateTime ?? null,
        },
      };
    }
    const negativeKind = isNegative(openNegative, family);
    const reason =
      negativeKind === 'strong-auth-update'
        ? 'device-without-method'
        : negativeKind === 'registration-canceled'
          ? 'canceled'
          : 'started-not-completed';
    return { kind: 'unverified', reason, entry: openNegative };
  }
  const inWindow = createdAt !== null && coveredFrom !== null && ms(createdAt) >= ms(coveredFrom);
  if (counted) return { kind: 'verified', source: 'report', olderThanAudit: !inWindow };
  if (!report) return { kind: 'unknown', missing: { kind: 'no-report-no-audit', coveredFrom } };
  return {
    kind: 'unknown',
    missing: {
      kind: inWindow ? 'no-record-report-disagrees' : 'older-than-audit-report-disagrees',
      createdAt,
      coveredFrom,
    },
  };
}
