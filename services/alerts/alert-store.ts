import type { DirectoryAudit } from '../graph/schemas';
import type { ConversationRef } from '../messaging/port';
import type { Storage, StoredItem } from '../storage/port';
import { stableId } from './alert-id';
import type { PendingRegistration } from './stall';
import type { Alert, AlertConfirmation, AlertRecord, Subscription } from './types';

/** The poller's progress, kept in storage so a restart resumes where the last complete poll ended. */
export interface PollerState {
  /** Every event before this instant (minus the overlap) has been read and its alerts queued. */
  watermark: string | null;
  /** Where the mirror starts being complete (the first poll's lower bound). */
  mirrorFrom: string | null;
  lastPollAt: string | null;
  lastPollOk: boolean;
  lastError: string | null;
  eventsRead: number;
  alertsQueued: number;
  suppressed: number;
}

/** An outbox entry: one alert waiting to be posted to one subscription. */
export interface OutboxItem {
  alertId: string;
  queuedAt: string;
}

const P = 'alerts/';
const pad = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(15, '0');

/** Key of a subscription for a conversation (ids hold characters that keys should not). */
export function subscriptionKey(conversationId: string): string {
  // Replies in a channel thread carry `;messageid=…`; the subscription belongs to the channel.
  return stableId(conversationId.split(';')[0] ?? conversationId);
}

const emptyState: PollerState = {
  watermark: null,
  mirrorFrom: null,
  lastPollAt: null,
  lastPollOk: true,
  lastError: null,
  eventsRead: 0,
  alertsQueued: 0,
  suppressed: 0,
};

/** The alerts' storage layout: poller state, seen events, mirror, suppression, snoozes, subscriptions, outbox. */
export function createAlertStore(storage: Storage) {
  async function update<T>(key: string, fallback: T, change: (current: T) => T): Promise<T> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await storage.get<T>(key);
      const next = change(current?.value ?? fallback);
      const result = await storage.put(key, next, current ? { ifVersion: current.version } : { ifAbsent: true });
      if (result.ok) return next;
    }
    throw new Error(`storage kept conflicting on ${key}`);
  }

  return {
    storage,
    async pollerState(): Promise<PollerState> {
      return (await storage.get<PollerState>(`${P}state`))?.value ?? emptyState;
    },
    updatePollerState: (change: (s: PollerState) => PollerState) => update(`${P}state`, emptyState, change),

    /** Ids of events already processed whose page ended at or after `from` (one record per page, not per event). */
    async seenSince(from: number): Promise<Set<string>> {
      const pages = await storage.list<string[]>(`${P}seen/`, { after: `${P}seen/${pad(from - 1)}~`, limit: 100_000 });
      return new Set(pages.flatMap((p) => p.value));
    },
    /** Marks a page of events processed: written once every alert of the page is queued and mirrored. */
    async markSeen(events: readonly Pick<DirectoryAudit, 'id' | 'activityDateTime'>[]): Promise<void> {
      if (events.length === 0) return;
      const last = Math.max(...events.map((e) => Date.parse(e.activityDateTime)));
      const ids = events.map((e) => e.id);
      await storage.put(`${P}seen/${pad(last)}/${stableId(...ids)}`, ids, { overwrite: true });
    },
    /** Forgets seen markers older than `before` (they are outside every future query window). */
    async pruneSeen(before: number, limit = 500): Promise<number> {
      const old = await storage.list(`${P}seen/`, { limit });
      let removed = 0;
      for (const item of old) {
        const at = Number(item.key.slice(`${P}seen/`.length, `${P}seen/`.length + 15));
        if (at >= before) break;
        if (await storage.delete(item.key)) removed++;
      }
      return removed;
    },

    async mirror(userId: string, event: DirectoryAudit): Promise<void> {
      await storage.put(`${P}mirror/${userId}/${pad(Date.parse(event.activityDateTime))}/${event.id}`, event, {
        overwrite: true,
      });
    },
    async mirrored(userId: string, since: number): Promise<DirectoryAudit[]> {
      const items = await storage.list<DirectoryAudit>(`${P}mirror/${userId}/`, {
        after: `${P}mirror/${userId}/${pad(since - 1)}~`,
        limit: 5000,
      });
      return items.map((i) => i.value);
    },

    /**
     * Claims the suppression window of a dedupe key for an alert; false when another alert holds it. The same
     * alert re-claiming (a re-run after a crash) keeps its claim.
     */
    async claimSuppression(dedupeKey: string, alertId: string, at: number, windowMs: number): Promise<boolean> {
      const key = `${P}suppress/${stableId(dedupeKey)}`;
      const current = await storage.get<{ until: number; alertId: string; suppressed: number }>(key);
      if (current?.value.alertId === alertId) return true;
      if (current && current.value.until > at) {
        await storage.put(
          key,
          { ...current.value, suppressed: current.value.suppressed + 1 },
          { ifVersion: current.version },
        );
        return false;
      }
      const result = await storage.put(
        key,
        { until: at + windowMs, alertId, suppressed: 0 },
        current ? { ifVersion: current.version } : { ifAbsent: true },
      );
      return result.ok;
    },

    async snooze(rule: string, userKey: string, until: number): Promise<void> {
      await storage.put(`${P}snooze/${stableId(rule, userKey)}`, { until }, { overwrite: true });
    },
    async isSnoozed(rule: string, userKey: string, at: number): Promise<boolean> {
      const item = await storage.get<{ until: number }>(`${P}snooze/${stableId(rule, userKey)}`);
      return item !== undefined && item.value.until > at;
    },

    async pendingRegistrations(): Promise<StoredItem<PendingRegistration>[]> {
      return storage.list<PendingRegistration>(`${P}pending/`, { limit: 5000 });
    },
    async addPendingRegistration(p: PendingRegistration): Promise<void> {
      await storage.put(`${P}pending/${stableId(p.eventId)}`, p, { ifAbsent: true });
    },
    async removePendingRegistration(item: StoredItem<PendingRegistration>): Promise<void> {
      await storage.delete(item.key, { ifVersion: item.version });
    },

    async subscriptions(): Promise<Subscription[]> {
      return (await storage.list<Subscription>(`${P}sub/`)).map((i) => i.value);
    },
    async subscription(key: string): Promise<Subscription | undefined> {
      return (await storage.get<Subscription>(`${P}sub/${key}`))?.value;
    },
    async subscribe(conversation: ConversationRef, by: string | null, now: number): Promise<Subscription> {
      const key = subscriptionKey(conversation.conversationId);
      const base: Subscription = {
        key,
        conversation,
        active: true,
        subscribedBy: by,
        subscribedAt: new Date(now).toISOString(),
        inactiveReason: null,
        delivered: 0,
        failed: 0,
        lastDeliveredAt: null,
      };
      return update<Subscription>(`${P}sub/${key}`, base, (s) => ({
        ...s,
        // Posts go to the channel, not to the thread a command was typed in.
        conversation: { ...conversation, conversationId: conversation.conversationId.split(';')[0] ?? '' },
        active: true,
        inactiveReason: null,
        subscribedBy: by,
      }));
    },
    updateSubscription: (key: string, change: (s: Subscription) => Subscription) =>
      storage
        .get<Subscription>(`${P}sub/${key}`)
        .then((current) => (current ? update<Subscription>(`${P}sub/${key}`, current.value, change) : undefined)),

    async saveAlert(alert: Alert, confirmation?: AlertConfirmation | null): Promise<void> {
      const record: AlertRecord = {
        alert,
        acknowledged: null,
        snoozed: null,
        messages: {},
        ...(confirmation ? { confirmation } : {}),
      };
      await storage.put(`${P}alert/${alert.id}`, record, { ifAbsent: true });
    },
    async alert(id: string): Promise<AlertRecord | undefined> {
      return (await storage.get<AlertRecord>(`${P}alert/${id}`))?.value;
    },
    updateAlert: (id: string, change: (r: AlertRecord) => AlertRecord) =>
      storage
        .get<AlertRecord>(`${P}alert/${id}`)
        .then((current) => (current ? update<AlertRecord>(`${P}alert/${id}`, current.value, change) : undefined)),

    /**
     * Queues an alert for a subscription. Conditional, and called only before the alert's record exists (delivery
     * skips entries without a record), so a re-run after a crash cannot queue a delivered alert again.
     */
    async enqueue(subKey: string, alert: Alert, now: number): Promise<boolean> {
      const key = `${P}outbox/${subKey}/${pad(Date.parse(alert.occurredAt))}-${alert.id}`;
      const result = await storage.put<OutboxItem>(
        key,
        { alertId: alert.id, queuedAt: new Date(now).toISOString() },
        { ifAbsent: true },
      );
      return result.ok;
    },
    async outbox(subKey: string, limit = 1000): Promise<StoredItem<OutboxItem>[]> {
      return storage.list<OutboxItem>(`${P}outbox/${subKey}/`, { limit });
    },
    /** Removes a delivered (or given-up) outbox entry; the subscription's counters say which. */
    async settle(item: StoredItem<OutboxItem>): Promise<void> {
      await storage.delete(item.key, { ifVersion: item.version });
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
