import type { DirectoryAudit } from '../graph/schemas';
import { stableId } from './alert-id';
import { isRegistrationComplete, isRegistrationStart, registrationUser } from './audit-rules';
import { RULES } from './rule-catalog';
import type { Alert, AlertSubject } from './types';

/** A registration that started and has not (yet) been seen to finish. */
export interface PendingRegistration {
  userKey: string;
  startedAt: string;
  eventId: string;
  subject: AlertSubject;
  ip: string | null;
  activity: string;
}

/** What the stall rule does with a batch of events: start tracking, stop tracking (completed). */
export interface RegistrationChanges {
  started: PendingRegistration[];
  completed: { userKey: string; at: string }[];
}

function keyOf(subject: AlertSubject): string | null {
  return subject.id ?? subject.upn?.toLowerCase() ?? null;
}

/** Registration starts and completions in a batch of audit records. */
export function registrationChanges(events: readonly DirectoryAudit[]): RegistrationChanges {
  const started: PendingRegistration[] = [];
  const completed: { userKey: string; at: string }[] = [];
  for (const event of events) {
    const subject = registrationUser(event);
    const userKey = keyOf(subject);
    if (!userKey) continue;
    if (isRegistrationComplete(event)) completed.push({ userKey, at: event.activityDateTime });
    else if (isRegistrationStart(event)) {
      started.push({
        userKey,
        startedAt: event.activityDateTime,
        eventId: event.id,
        subject,
        ip: event.initiatedBy.user?.ipAddress ?? null,
        activity: event.activityDisplayName,
      });
    }
  }
  return { started, completed };
}

/** Whether a completion at `at` finishes a registration started at `startedAt` (a completion may log first). */
export function completes(pending: PendingRegistration, completedAt: string, stallMs: number): boolean {
  const start = Date.parse(pending.startedAt);
  const done = Date.parse(completedAt);
  // Records of one registration can be logged seconds apart in either order.
  return done >= start - 60_000 && done <= start + stallMs;
}

/** The alert for a registration with no completion within `stallMs`, or null while it may still finish. */
export function stalledAlert(pending: PendingRegistration, now: number, stallMs: number): Alert | null {
  if (now - Date.parse(pending.startedAt) < stallMs) return null;
  return {
    id: stableId('unverified-registration', pending.eventId),
    rule: 'unverified-registration',
    severity: RULES['unverified-registration'].severity,
    dedupeKey: `unverified-registration:${pending.userKey}`,
    occurredAt: pending.startedAt,
    subject: pending.subject,
    actor: pending.subject.upn,
    actorKind: 'user',
    ip: pending.ip,
    location: null,
    activity: pending.activity,
    detail: null,
    sourceIds: [pending.eventId],
  };
}
