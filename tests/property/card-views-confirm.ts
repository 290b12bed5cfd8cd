import type { AlertRecord, ConfirmState } from '../../services/alerts/types';
import type { ConfirmKind, Confirmation } from '../../services/confirm/types';
import { alertRecord } from './card-views-ops';

// "Was this you?" view data with `h()` (a fresh hostile string) in every field from Graph or Teams.

export const CONFIRM_STATES: readonly ConfirmState[] = [
  'pending',
  'asking',
  'asked',
  'later',
  'confirmed',
  'denied',
  'escalated',
  'unreachable',
];
const KINDS: readonly ConfirmKind[] = ['security-info', 'device', 'consent', 'forwarding-rule'];

export function confirmation(h: () => string, state: ConfirmState, i = 0): Confirmation {
  return {
    id: 'alert-0000000001',
    rule: 'security-info-changed',
    kind: KINDS[i % KINDS.length] ?? 'security-info',
    user: { id: h(), upn: h(), displayName: h() },
    activity: h(),
    detail: h(),
    occurredAt: '2026-11-22T11:58:00Z',
    ip: h(),
    location: h(),
    state,
    createdAt: 0,
    askedAt: 0,
    deadline: Date.parse('2026-11-22T12:30:00Z'),
    attempts: 1,
    attemptAt: 0,
    laterUsed: i % 2 === 1,
    laterUntil: Date.parse('2026-11-22T16:00:00Z'),
    question: null,
    answer:
      state === 'confirmed' || state === 'denied'
        ? { value: state === 'confirmed' ? 'yes' : 'no', by: h(), byName: h(), at: 0 }
        : null,
    reason: h(),
    closedAt: 0,
  };
}

/** The alert record in every confirmation state (the card's "User's answer" row and its Contain button). */
export function confirmedAlertRecords(h: () => string): AlertRecord[] {
  return CONFIRM_STATES.map((state) => ({
    ...alertRecord(h),
    confirmation: { state, at: '2026-11-22T12:30:00Z', reason: h() },
  }));
}
