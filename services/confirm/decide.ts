/**
 * "Was this you?": the pure decisions. Which alerts ask the user, what an answer does, and what is due when. No
 * storage, no clock, no Teams: confirmations.ts applies what these return.
 */
import type { Alert } from '../alerts/types';
import type { Caller } from './ports';
import { FINAL_STATES, type AlertConfirmation, type ConfirmAnswer, type Confirmation, type ConfirmKind } from './types';

/** *Not now* postpones the question once, by at most this long. */
export const LATER_MS = 4 * 3600_000;
/** After *Yes*, the same kind of alert for that user is suppressed this long. */
export const YES_SUPPRESS_MS = 24 * 3600_000;
/** A question that could not be sent after this many attempts is given up (and escalated). */
export const MAX_ATTEMPTS = 3;
/** A send that has not finished after this long (the process died mid-send) is tried again. */
export const ASKING_STALE_MS = 60_000;

const norm = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/**
 * An Entra object id in canonical form: trimmed, lower case, without braces (`{GUID}` and `GUID` are one id). Two
 * ids are the same user only when their canonical forms are equal.
 */
export function canonicalId(id: string): string {
  return id
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .toLowerCase();
}

export function sameUser(a: string, b: string): boolean {
  const x = canonicalId(a);
  return x !== '' && x === canonicalId(b);
}

// "User registered security info" etc.: the user's own change (an admin's change is not the user's to confirm).
const OWN_SECURITY_INFO = /^user (registered|updated|deleted|changed default) security info$/;

/**
 * Whether an alert is about a change the user's own account made, and of which kind; null when there is nobody to
 * ask (an admin's change, an app's, a tenant-wide event, an alert without the user's object id).
 */
export function confirmKindOf(alert: Alert): ConfirmKind | null {
  if (!alert.subject.id) return null;
  const byTheUser =
    alert.actorKind === 'user' &&
    (norm(alert.actor) === norm(alert.subject.upn) || norm(alert.actor) === norm(alert.subject.id));
  switch (alert.rule) {
    case 'security-info-changed':
      return byTheUser && OWN_SECURITY_INFO.test(norm(alert.activity)) ? 'security-info' : null;
    case 'device-registered':
      return byTheUser ? 'device' : null;
    case 'consent-granted':
      return byTheUser ? 'consent' : null;
    // Rules are not in the audit log: a new external forwarding rule in the user's own mailbox is theirs to confirm.
    case 'external-forwarding':
      return 'forwarding-rule';
    default:
      return null;
  }
}

/** A new, not yet asked confirmation for an alert. */
export function newConfirmation(alert: Alert, kind: ConfirmKind, now: number): Confirmation {
  return {
    id: alert.id,
    rule: alert.rule,
    kind,
    user: { id: canonicalId(alert.subject.id ?? ''), upn: alert.subject.upn, displayName: alert.subject.displayName },
    activity: alert.activity,
    detail: alert.detail,
    occurredAt: alert.occurredAt,
    ip: alert.ip,
    location: alert.location,
    state: 'pending',
    createdAt: now,
    askedAt: null,
    deadline: null,
    attempts: 0,
    attemptAt: null,
    laterUsed: false,
    laterUntil: null,
    question: null,
    answer: null,
    reason: null,
    closedAt: null,
  };
}

export function isFinal(c: Pick<Confirmation, 'state'>): boolean {
  return FINAL_STATES.includes(c.state);
}

/** What an answer does to the channel alert. */
export type AnswerEffect =
  /** Mark the alert "confirmed by the user"; suppress the same kind of alert for the user until `suppressUntil`. */
  | { kind: 'confirmed'; suppressUntil: number }
  /** Raise the alert to high severity with Investigate and Contain. */
  | { kind: 'denied' }
  /** Ask again at `until`. */
  | { kind: 'later'; until: number };

export type AnswerRefusal =
  /** Only the user the question is about may answer it. */
  | 'not-the-user'
  /** Answered already (the first answer stands), or escalated / given up. */
  | 'closed'
  /** *Not now* is allowed once. */
  | 'later-used'
  /** Not asked (yet): nothing to answer. */
  | 'not-asked';

export type AnswerDecision =
  { ok: true; next: Confirmation; effect: AnswerEffect } | { ok: false; reason: AnswerRefusal };

/** An answer from `caller` (identity from the authenticated activity, never from card data). */
export function decideAnswer(c: Confirmation, answer: ConfirmAnswer, caller: Caller, now: number): AnswerDecision {
  if (!sameUser(caller.aadObjectId, c.user.id)) return { ok: false, reason: 'not-the-user' };
  if (isFinal(c)) return { ok: false, reason: 'closed' };
  if (c.state === 'pending' || c.state === 'asking' || c.question === null) return { ok: false, reason: 'not-asked' };
  if (answer === 'later') {
    if (c.laterUsed) return { ok: false, reason: 'later-used' };
    const until = now + LATER_MS;
    return {
      ok: true,
      next: { ...c, state: 'later', laterUsed: true, laterUntil: until, deadline: null },
      effect: { kind: 'later', until },
    };
  }
  const next: Confirmation = {
    ...c,
    state: answer === 'yes' ? 'confirmed' : 'denied',
    answer: { value: answer, by: canonicalId(caller.aadObjectId), byName: caller.name, at: now },
    deadline: null,
    laterUntil: null,
    closedAt: now,
  };
  return {
    ok: true,
    next,
    effect: answer === 'yes' ? { kind: 'confirmed', suppressUntil: now + YES_SUPPRESS_MS } : { kind: 'denied' },
  };
}

/** What the background loop must do for a confirmation now, or null. */
export type DueStep =
  /** Send the question (first time, or again after a send that died). */
  | 'ask'
  /** *Not now* ran out: ask again, without *Not now*. */
  | 'ask-again'
  /** No answer in time, or it cannot be asked: the channel alert escalates. */
  | 'escalate';

export function dueStep(c: Confirmation, now: number): DueStep | null {
  switch (c.state) {
    case 'pending':
      return c.attempts >= MAX_ATTEMPTS ? 'escalate' : 'ask';
    case 'asking':
      if (c.attemptAt !== null && now - c.attemptAt < ASKING_STALE_MS) return null;
      return c.attempts >= MAX_ATTEMPTS ? 'escalate' : 'ask';
    case 'asked':
      return c.deadline !== null && now >= c.deadline ? 'escalate' : null;
    case 'later':
      return c.laterUntil !== null && now >= c.laterUntil ? 'ask-again' : null;
    default:
      return null;
  }
}

/** The confirmation as the channel alert shows it. */
export function alertConfirmation(c: Confirmation): AlertConfirmation {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  switch (c.state) {
    case 'asked':
      return { state: c.state, at: iso(c.deadline), reason: null };
    case 'later':
      return { state: c.state, at: iso(c.laterUntil), reason: null };
    case 'confirmed':
    case 'denied':
      return { state: c.state, at: iso(c.answer?.at ?? c.closedAt), reason: null };
    case 'escalated':
    case 'unreachable':
      return { state: c.state, at: iso(c.closedAt), reason: c.reason };
    default:
      return { state: c.state, at: null, reason: null };
  }
}
