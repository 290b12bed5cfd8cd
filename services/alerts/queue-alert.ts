import type { AlertStore } from './alert-store';
import { RULES } from './rule-catalog';
import type { Alert, AlertConfirmation, Subscription } from './types';

/**
 * Called for an alert about to be recorded (services/confirm: "was this you?"). It must be idempotent: a poller that
 * died before the record was written calls it again. What it returns is stored with the record.
 */
export type NewAlertHook = (alert: Alert) => Promise<AlertConfirmation | null>;

/** What happened to an alert handed to the queue. */
export type QueueOutcome =
  { kind: 'queued'; subscriptions: number } | { kind: 'already-queued' } | { kind: 'suppressed' } | { kind: 'snoozed' };

/** The key snoozes are stored under for an alert's subject. */
export function snoozeSubject(alert: Alert): string {
  return (alert.subject.id ?? alert.subject.upn ?? 'tenant').toLowerCase();
}

/**
 * Puts an alert in the outbox of every active subscription, then stores its record. Each step is idempotent (stable
 * ids, conditional inserts, the record written last as the "queued" mark), so a poller killed half-way re-runs it
 * without duplicates. `subscriptions` may be passed in by a caller queueing many alerts at once.
 */
export async function queueAlert(
  store: AlertStore,
  alert: Alert,
  now: number,
  subscriptions?: readonly Subscription[],
  onNewAlert?: NewAlertHook,
): Promise<QueueOutcome> {
  const queuedKey = `alerts/queued/${alert.id}`;
  if (await store.alert(alert.id)) return { kind: 'already-queued' };
  if (await store.storage.get(queuedKey)) return { kind: 'already-queued' };
  if (await store.isSnoozed(alert.rule, snoozeSubject(alert), now)) {
    await store.storage.put(queuedKey, 'snoozed', { overwrite: true });
    return { kind: 'snoozed' };
  }
  const at = Date.parse(alert.occurredAt);
  const claimed = await store.claimSuppression(
    alert.dedupeKey,
    alert.id,
    Number.isFinite(at) ? at : now,
    RULES[alert.rule].suppressMs,
  );
  if (!claimed) {
    await store.storage.put(queuedKey, 'suppressed', { overwrite: true });
    return { kind: 'suppressed' };
  }
  let count = 0;
  for (const sub of subscriptions ?? (await store.subscriptions())) {
    if (!sub.active) continue;
    await store.enqueue(sub.key, alert, now);
    count++;
  }
  // Before the record (the "queued" mark), so a re-run after a crash reaches it again.
  const confirmation = onNewAlert ? await onNewAlert(alert) : null;
  await store.saveAlert(alert, confirmation);
  return { kind: 'queued', subscriptions: count };
}
