import type { ConversationRef } from '../messaging/port';

/** The alert rules; cards/ turns each into a title and a one-line "why it matters". */
export type AlertRuleId =
  | 'security-info-changed'
  | 'unverified-registration'
  | 'sspr-contact-admin'
  | 'external-forwarding'
  | 'consent-granted'
  | 'privileged-role-member'
  | 'conditional-access-changed'
  | 'domain-changed'
  | 'risky-user'
  /** A device registered or joined by the user (the user can be asked "was this you?"). */
  | 'device-registered'
  | 'admin-password-reset'
  | 'sessions-revoked'
  /** The bot's own health: a background job met a persistent Graph 401/403 (services/alerts/self-health.ts). */
  | 'bot-health';

export type AlertSeverity = 'high' | 'medium' | 'low' | 'info';

/** Who an alert is about (all Graph strings: untrusted). */
export interface AlertSubject {
  id: string | null;
  upn: string | null;
  displayName: string | null;
}

/** One alert, built from one or more source records (audit events, a risky-user row, an inbox rule). */
export interface Alert {
  /** Stable id derived from the rule and the source, so re-reading a record can never make a second alert. */
  id: string;
  rule: AlertRuleId;
  severity: AlertSeverity;
  /** Rule + subject: alerts with the same key inside the rule's suppression window are suppressed. */
  dedupeKey: string;
  occurredAt: string;
  subject: AlertSubject;
  /** Who did it: a user's UPN or an app's display name; null when the record does not say. */
  actor: string | null;
  actorKind: 'user' | 'app' | 'unknown';
  ip: string | null;
  location: string | null;
  /** Graph's activity name (or our source name for non-audit rules). */
  activity: string;
  /** Graph's resultReason, the app consented to, the role, the forwarding address… */
  detail: string | null;
  sourceIds: string[];
  /** Set on `bot-health` alerts only: what failed and how. */
  health?: HealthProblem;
}

/** A background job's persistent Graph failure: an expired or revoked credential (401), or a missing permission (403). */
export interface HealthProblem {
  kind: 'credential' | 'permission';
  /** Which job met it (alert poller, approval worker, forwarding sweep, …). */
  job: string;
  /** How the bot authenticates to Graph (GraphCredentialSettings' kind), to say which setting to renew. */
  credential: 'static' | 'clientSecret' | 'clientCertificate' | 'managedIdentity';
  /** The permission the 403'd request needs, from the permission table. */
  permission: string | null;
  /** Method and resource template of the refused request (user keys replaced). */
  request: string | null;
  graphCode: string | null;
}

/** A channel subscribed to alerts. */
export interface Subscription {
  key: string;
  conversation: ConversationRef;
  active: boolean;
  subscribedBy: string | null;
  subscribedAt: string;
  /** Why delivery stopped (403/404, host not allow-listed, unsubscribed). */
  inactiveReason: string | null;
  delivered: number;
  failed: number;
  lastDeliveredAt: string | null;
}

/** The stored form of an alert, with what operators did about it. */
export interface AlertRecord {
  alert: Alert;
  acknowledged: { by: string; at: string } | null;
  snoozed: { by: string; until: string } | null;
  /** Message ids per subscription key, so a verb can update every copy. */
  messages: Record<string, string>;
  /** "Was this you?": the affected user's confirmation, when they were (or are being) asked (services/confirm). */
  confirmation?: AlertConfirmation;
}

/** Where a user confirmation stands (services/confirm/types.ts explains each state). */
export type ConfirmState =
  'pending' | 'asking' | 'asked' | 'later' | 'confirmed' | 'denied' | 'escalated' | 'unreachable';

/** What the alert record keeps about its confirmation, for the channel card. */
export interface AlertConfirmation {
  state: ConfirmState;
  /** The deadline while waiting, the time *Not now* runs out, or the time of the answer or escalation. */
  at: string | null;
  /** Why it escalated or could not be asked (our wording). */
  reason: string | null;
}
