import type { AlertRuleId, ConfirmState } from '../alerts/types';
import type { ConversationRef } from '../messaging/port';

/** What kind of change of the user's own account the question is about (cards/ words each). */
export type ConfirmKind = 'security-info' | 'device' | 'consent' | 'forwarding-rule';

/** The user's answers: *Yes, it was me*, *No, it wasn't*, *Not now* (once, at most 4 hours). */
export type ConfirmAnswer = 'yes' | 'no' | 'later';

/**
 * Where a confirmation stands. `pending`: not asked yet; `asking`: a question is being sent; `asked`: waiting for the
 * answer until `deadline`; `later`: the user said *Not now*, asked again at `laterUntil`; the rest are final.
 */
export type { AlertConfirmation, ConfirmState } from '../alerts/types';

export const FINAL_STATES: readonly ConfirmState[] = ['confirmed', 'denied', 'escalated', 'unreachable'];

/** One "was this you?" question about one alert, stored durably (services/confirm/confirm-store.ts). */
export interface Confirmation {
  /** The alert's id: one question per alert, however often the alert is re-read. */
  id: string;
  rule: AlertRuleId;
  kind: ConfirmKind;
  /** The user asked (Graph strings: untrusted). `id` is the Entra object id, lower case. */
  user: { id: string; upn: string | null; displayName: string | null };
  /** What happened: Graph's activity name, the detail (method, app, forwarding address), when and from where. */
  activity: string;
  detail: string | null;
  occurredAt: string;
  ip: string | null;
  location: string | null;
  state: ConfirmState;
  createdAt: number;
  /** When the current question was sent, and when it escalates without an answer. */
  askedAt: number | null;
  deadline: number | null;
  /** Sending attempts (a question that cannot be delivered after a few is `unreachable`). */
  attempts: number;
  attemptAt: number | null;
  /** *Not now* was used (it is allowed once), and until when. */
  laterUsed: boolean;
  laterUntil: number | null;
  /** The question message in the user's personal chat (updated once answered). */
  question: { conversation: ConversationRef; activityId: string } | null;
  /** The final answer, from the user themself (identity from the authenticated activity). */
  answer: { value: 'yes' | 'no'; by: string; byName: string | null; at: number } | null;
  /** Why it escalated or could not be asked (our wording). */
  reason: string | null;
  /** When the state last changed to a final one. */
  closedAt: number | null;
}
