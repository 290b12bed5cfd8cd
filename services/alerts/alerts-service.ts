import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ConversationRef } from '../messaging/port';
import { readLease } from '../storage/lease';
import { subscriptionKey, type AlertStore, type PollerState } from './alert-store';
import { POLLER_LEASE_KEY } from './poller';
import { snoozeSubject } from './queue-alert';
import type { AlertRecord, Subscription } from './types';

export const SNOOZE_MS = 24 * 3600_000;

/** `alerts status` data. */
export interface AlertsStatus {
  now: number;
  poller: PollerState;
  activePoller: string | null;
  lagMs: number | null;
  subscriptions: (Subscription & { queued: number })[];
}

export type SubscribeOutcome =
  { kind: 'subscribed'; subscription: Subscription } | { kind: 'not-a-channel' } | { kind: 'host-not-allowed' };

export type AlertActionOutcome = { kind: 'done'; record: AlertRecord } | { kind: 'not-found' };

/** Subscriptions, status and the operator actions on alert cards. */
export function createAlertsService(deps: {
  store: AlertStore;
  clock: Clock;
  logger: Logger;
  allowedServiceUrlHosts: readonly string[];
}) {
  const { store, clock } = deps;
  const allowed = new Set(deps.allowedServiceUrlHosts.map((h) => h.toLowerCase()));
  const hostAllowed = (ref: ConversationRef): boolean => {
    try {
      return allowed.has(new URL(ref.serviceUrl).hostname.toLowerCase());
    } catch {
      // An unparseable serviceUrl is as untrusted as a foreign one.
      return false;
    }
  };

  return {
    async subscribe(conversation: ConversationRef, by: string | null): Promise<SubscribeOutcome> {
      if (conversation.conversationType !== 'channel') return { kind: 'not-a-channel' };
      if (!hostAllowed(conversation)) return { kind: 'host-not-allowed' };
      return { kind: 'subscribed', subscription: await store.subscribe(conversation, by, clock.now()) };
    },
    async unsubscribe(conversation: ConversationRef): Promise<boolean> {
      const updated = await store.updateSubscription(subscriptionKey(conversation.conversationId), (s) => ({
        ...s,
        active: false,
        inactiveReason: 'unsubscribed (alerts off)',
      }));
      return updated !== undefined;
    },
    async status(): Promise<AlertsStatus> {
      const now = clock.now();
      const poller = await store.pollerState();
      const lease = await readLease(store.storage, POLLER_LEASE_KEY, clock);
      const subscriptions = [];
      for (const sub of await store.subscriptions()) {
        subscriptions.push({ ...sub, queued: (await store.outbox(sub.key, 10_000)).length });
      }
      return {
        now,
        poller,
        activePoller: lease?.owner ?? null,
        lagMs: poller.watermark ? now - Date.parse(poller.watermark) : null,
        subscriptions,
      };
    },
    /**
     * Install/uninstall events: a removal deactivates the conversation's subscription; a (re)install refreshes its
     * reference and resumes it only if it stopped because the bot was gone (not after `alerts off`).
     */
    async onConversationEvent(conversation: ConversationRef, botPresent: boolean | null): Promise<void> {
      if (botPresent === null) return;
      const key = subscriptionKey(conversation.conversationId);
      const resumable = (s: Subscription): boolean =>
        s.inactiveReason?.startsWith('teams 40') === true || s.inactiveReason === 'bot removed';
      const updated = await store.updateSubscription(key, (s) =>
        botPresent
          ? hostAllowed(conversation)
            ? {
                ...s,
                conversation: { ...conversation, conversationId: s.conversation.conversationId },
                ...(resumable(s) ? { active: true, inactiveReason: null } : {}),
              }
            : s
          : { ...s, active: false, inactiveReason: 'bot removed' },
      );
      if (updated)
        deps.logger.info({ subscription: key, botPresent, active: updated.active }, 'alert subscription updated');
    },
    async acknowledge(alertId: string, by: string): Promise<AlertActionOutcome> {
      const record = await store.updateAlert(alertId, (r) =>
        r.acknowledged ? r : { ...r, acknowledged: { by, at: new Date(clock.now()).toISOString() } },
      );
      return record ? { kind: 'done', record } : { kind: 'not-found' };
    },
    async snooze(alertId: string, by: string): Promise<AlertActionOutcome> {
      const current = await store.alert(alertId);
      if (!current) return { kind: 'not-found' };
      const until = clock.now() + SNOOZE_MS;
      await store.snooze(current.alert.rule, snoozeSubject(current.alert), until);
      const record = await store.updateAlert(alertId, (r) => ({
        ...r,
        snoozed: { by, until: new Date(until).toISOString() },
      }));
      return record ? { kind: 'done', record } : { kind: 'not-found' };
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
