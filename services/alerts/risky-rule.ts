import type { RiskyUser } from '../graph/schemas';
import { stableId } from './alert-id';
import type { Alert } from './types';

const ALERT_LEVELS = new Set(['medium', 'high']);
const ALERT_STATES = new Set(['atrisk', 'confirmedcompromised']);

/** The alert for a user whose risk became medium/high since `since`, or null. */
export function riskyUserAlert(user: RiskyUser, since: number): Alert | null {
  const level = (user.riskLevel ?? '').toLowerCase();
  const state = (user.riskState ?? '').toLowerCase();
  if (!ALERT_LEVELS.has(level) || !ALERT_STATES.has(state) || user.isDeleted === true) return null;
  const updated = user.riskLastUpdatedDateTime ? Date.parse(user.riskLastUpdatedDateTime) : NaN;
  // Risk set before the first poll is old news: subscribing must not flood the channel with history.
  if (!Number.isFinite(updated) || updated < since) return null;
  return {
    id: stableId('risky-user', user.id, user.riskLastUpdatedDateTime ?? '', level),
    rule: 'risky-user',
    severity: level === 'high' ? 'high' : 'medium',
    dedupeKey: `risky-user:${user.id}:${level}`,
    occurredAt: new Date(updated).toISOString(),
    subject: { id: user.id, upn: user.userPrincipalName, displayName: user.userDisplayName },
    actor: null,
    actorKind: 'unknown',
    ip: null,
    location: null,
    activity: `riskLevel ${level}`,
    detail: user.riskDetail,
    sourceIds: [user.id],
  };
}
