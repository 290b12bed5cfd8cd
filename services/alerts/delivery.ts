import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { createLoop } from '../loop';
import { acquireLease, releaseLease, renewLease, type Lease } from '../storage/lease';
import type { Telemetry } from '../telemetry/port';
import type { StoredItem } from '../storage/port';
import type { AlertStore, OutboxItem } from './alert-store';
import type { AlertRenderer, AlertSender, SendOutcome } from './ports';
import type { AlertRecord, Subscription } from './types';

export interface DeliveryOptions {
  store: AlertStore;
  sender: AlertSender;
  renderer: AlertRenderer;
  clock: Clock;
  logger: Logger;
  /** More alert cards than this per minute for one channel turns delivery into digests. */
  stormPerMinute?: number;
  tickMs?: number;
  /** This instance's name in the delivery lease (several instances share one outbox; one of them delivers). */
  owner?: string;
  leaseTtlMs?: number;
  /** Records the alert lag: from the event to its card in the channel. */
  telemetry?: Telemetry;
}

export const DELIVERY_LEASE_KEY = 'alerts/lease/delivery';

/** What one delivery round did for one subscription. */
export interface DeliveryReport {
  subscription: string;
  messages: number;
  alerts: number;
  outcome: SendOutcome['kind'] | 'idle';
}

const MINUTE = 60_000;

/** Explains a stopped subscription to the operator: what Teams said and what to do. */
function goneAdvice(outcome: Extract<SendOutcome, { kind: 'gone' }>): string {
  return (
    `Teams answered ${outcome.status}${outcome.teamsCode ? ` ${outcome.teamsCode}` : ''}: the bot can no longer post ` +
    'in this channel (removed from the team, blocked, or the conversation is gone). Alerts stay queued; re-add the ' +
    'app to the team and run `alerts on` in the channel to resume.'
  );
}

/**
 * Delivers the outbox of each active subscription through the send queue. Bursts above `stormPerMinute` are
 * folded into digest cards, so every alert appears in some card while the thread stays inside Teams' limits.
 */
export function createAlertDelivery(options: DeliveryOptions) {
  const log = options.logger.child({ component: 'alert-delivery' });
  const storm = options.stormPerMinute ?? 10;
  const recent = new Map<string, number[]>();
  const notBefore = new Map<string, number>();
  const owner = options.owner ?? randomUUID();
  const leaseTtl = options.leaseTtlMs ?? 30_000;
  let lease: Lease | null = null;
  let running: Promise<DeliveryReport[]> | null = null;
  let again = false;

  function recentCount(key: string, now: number): number {
    const list = (recent.get(key) ?? []).filter((t) => t > now - MINUTE);
    recent.set(key, list);
    return list.length;
  }

  /**
   * Takes or renews the delivery lease. Called before every post: an instance that lost the lease (paused past it
   * while another took over) stops before posting what the other one now delivers.
   */
  async function holdLease(): Promise<boolean> {
    lease = lease
      ? await renewLease(options.store.storage, lease, leaseTtl, options.clock)
      : await acquireLease(options.store.storage, DELIVERY_LEASE_KEY, owner, leaseTtl, options.clock);
    return lease !== null;
  }

  async function stop(sub: Subscription, reason: string, message: string): Promise<void> {
    await options.store.updateSubscription(sub.key, (s) => ({ ...s, active: false, inactiveReason: reason }));
    log.error({ subscription: sub.key, conversationId: sub.conversation.conversationId, reason }, message);
    // Fallback: the other subscribed channels hear that this one went quiet, so the silence is not mistaken for calm.
    for (const other of await options.store.subscriptions()) {
      if (!other.active || other.key === sub.key) continue;
      const outcome = await options.sender.send(other.conversation, options.renderer.stopped(sub, reason));
      if (outcome.kind !== 'sent')
        log.warn({ subscription: other.key, outcome: outcome.kind }, 'fallback notice not sent');
    }
  }

  async function deliverTo(sub: Subscription): Promise<DeliveryReport> {
    const now = options.clock.now();
    const report: DeliveryReport = { subscription: sub.key, messages: 0, alerts: 0, outcome: 'idle' };
    if ((notBefore.get(sub.key) ?? 0) > now) return report;
    const items = await options.store.outbox(sub.key);
    if (items.length === 0) return report;
    const entries = new Map<string, StoredItem<OutboxItem>>();
    const records: AlertRecord[] = [];
    for (const item of items) {
      const record = await options.store.alert(item.value.alertId);
      // The record is written just after the outbox entry; the next round finds it.
      if (!record) continue;
      entries.set(record.alert.id, item);
      records.push(record);
    }
    const stormy = records.length + recentCount(sub.key, now) > storm;
    const batches = stormy
      ? options.renderer.digest(records.map((r) => r.alert))
      : records.map((r) => ({ message: options.renderer.alert(r), alertIds: [r.alert.id] }));
    for (const batch of batches) {
      if (!(await holdLease())) break;
      const outcome = await options.sender.send(sub.conversation, batch.message);
      report.outcome = outcome.kind;
      if (outcome.kind === 'sent' || outcome.kind === 'failed') {
        for (const id of batch.alertIds) {
          const item = entries.get(id);
          if (item) await options.store.settle(item);
        }
        const sentAt = options.clock.now();
        if (outcome.kind === 'sent') {
          report.messages++;
          report.alerts += batch.alertIds.length;
          recent.get(sub.key)?.push(...batch.alertIds.map(() => sentAt));
          for (const r of records.filter((x) => batch.alertIds.includes(x.alert.id)))
            options.telemetry?.record('alertLag', sentAt - Date.parse(r.alert.occurredAt), { rule: r.alert.rule });
          if (batch.alertIds.length === 1) {
            const id = batch.alertIds[0] ?? '';
            await options.store.updateAlert(id, (r) => ({
              ...r,
              messages: { ...r.messages, [sub.key]: outcome.activityId },
            }));
          }
        } else {
          log.error(
            { subscription: sub.key, status: outcome.status, alerts: batch.alertIds.length },
            `Teams answered ${outcome.status} to an alert post; not retried (the docs forbid retrying it). The alerts are in \`alerts status\` as failed.`,
          );
        }
        await options.store.updateSubscription(sub.key, (s) => ({
          ...s,
          delivered: s.delivered + (outcome.kind === 'sent' ? batch.alertIds.length : 0),
          failed: s.failed + (outcome.kind === 'failed' ? batch.alertIds.length : 0),
          lastDeliveredAt: outcome.kind === 'sent' ? new Date(sentAt).toISOString() : s.lastDeliveredAt,
        }));
        continue;
      }
      if (outcome.kind === 'deferred') {
        notBefore.set(sub.key, options.clock.now() + outcome.retryAfterMs);
      } else if (outcome.kind === 'gone') {
        await stop(
          sub,
          `teams ${outcome.status}${outcome.teamsCode ? ` ${outcome.teamsCode}` : ''}`,
          goneAdvice(outcome),
        );
      } else {
        await stop(
          sub,
          'serviceUrl not allow-listed',
          'The stored reference of this channel points at a serviceUrl host that is not allow-listed (or another tenant); nothing was sent. Run `alerts on` in the channel again, or add the host to ALLOWED_SERVICE_URL_HOSTS if it is a Microsoft host.',
        );
      }
      break;
    }
    return report;
  }

  async function deliverOnce(): Promise<DeliveryReport[]> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      const reports: DeliveryReport[] = [];
      do {
        again = false;
        // Another instance holds the lease and delivers; this one only queues (its poller may be the active one).
        if (!(await holdLease())) break;
        for (const sub of await options.store.subscriptions()) if (sub.active) reports.push(await deliverTo(sub));
      } while (again);
      return reports;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  // A failed send is handled per channel inside deliverOnce; a throw is unexpected (storage?) and backs off.
  const loop = createLoop({
    name: 'alert delivery',
    clock: options.clock,
    logger: log,
    intervalMs: options.tickMs ?? 1_000,
    tick: () => deliverOnce(),
  });

  return {
    deliverOnce,
    /** Starts delivery now instead of at the next tick (after the poller queued alerts). */
    kick: () => loop.wake(),
    start: () => loop.start(),
    /** Resolves once a delivery pass in progress has finished. */
    stop: () => loop.stop(),
    /** Hands the delivery lease over at shutdown, so another instance delivers at once (after the last round). */
    async release(): Promise<void> {
      const held = lease;
      lease = null;
      if (held)
        await releaseLease(options.store.storage, held).catch((error: unknown) =>
          log.warn({ err: error }, 'delivery lease not released; it expires on its own'),
        );
    },
  };
}

export type AlertDelivery = ReturnType<typeof createAlertDelivery>;
