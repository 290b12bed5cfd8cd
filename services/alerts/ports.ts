import type { ConversationRef, OutgoingMessage } from '../messaging/port';
import type { Alert, AlertRecord, Subscription } from './types';

/** How one proactive post ended, after the send queue's own retries. */
export type SendOutcome =
  | { kind: 'sent'; activityId: string }
  /** Throttled or a retryable failure that outlasted the retries: keep the message and try again later. */
  | { kind: 'deferred'; retryAfterMs: number }
  /** 403/404: the bot cannot post there any more (removed, blocked, conversation gone). */
  | { kind: 'gone'; status: number; teamsCode: string | null }
  /** The reference's serviceUrl host or tenant is not allowed: nothing was sent. */
  | { kind: 'refused' }
  /** Any other failure (500, 413, …): the docs say not to retry it. */
  | { kind: 'failed'; status: number };

/** The per-conversation send queue (bot/proactive/send-queue.ts). */
export interface AlertSender {
  send(to: ConversationRef, message: OutgoingMessage): Promise<SendOutcome>;
}

/** Card rendering, injected from the bot (services cannot import cards/). */
export interface AlertRenderer {
  alert(record: AlertRecord): OutgoingMessage;
  /** Digest messages holding every given alert, each message within Teams' size limit. */
  digest(alerts: readonly Alert[]): { message: OutgoingMessage; alertIds: string[] }[];
  /** The notice other channels get when one stops receiving alerts. */
  stopped(subscription: Subscription, reason: string): OutgoingMessage;
}
