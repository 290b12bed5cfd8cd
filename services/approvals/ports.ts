import type { MessageRule } from '../graph/schemas/message-rule';
import type { ConversationRef } from '../messaging/port';
import type { ApprovalRecord, Person, RetryNote, TargetView } from './types';

/** A Graph write that returned: its request-id, for the audit trail. */
export interface WriteReceipt {
  requestId: string | null;
}

/** An authentication method as the executor needs it. */
export interface MethodView {
  id: string;
  /** The path segment for DELETE (`microsoftAuthenticatorMethods`, `phoneMethods`, …); null for password. */
  typeSegment: string | null;
  odataType: string;
  createdDateTime: string | null;
}

/** The Graph reads and writes the approval flow needs (implemented over services/graph in graph-tenant.ts). */
export interface TenantPort {
  readTarget(
    idOrUpn: string,
  ): Promise<TargetView & { sessionsValidFrom: string | null; lastPasswordChange: string | null }>;
  listRules(userId: string): Promise<MessageRule[]>;
  getRule(userId: string, ruleId: string): Promise<MessageRule | null>;
  listMethods(userId: string): Promise<MethodView[]>;
  revokeSessions(userId: string): Promise<WriteReceipt>;
  setAccountEnabled(userId: string, enabled: boolean): Promise<WriteReceipt>;
  setPassword(userId: string, password: string): Promise<WriteReceipt>;
  deleteMethod(userId: string, typeSegment: string, methodId: string): Promise<WriteReceipt>;
  createTap(userId: string): Promise<WriteReceipt & { pass: string; lifetimeInMinutes: number }>;
  setRuleEnabled(userId: string, ruleId: string, enabled: boolean): Promise<WriteReceipt>;
  /** The same port, reporting every retry and throttling wait of its Graph calls (for the action's audit). */
  withRetryObserver?(onRetry: (note: Omit<RetryNote, 'step'>) => void): TenantPort;
}

/** A one-time secret for the requester; rendered by the bot, never stored or logged. */
export type SecretMessage =
  | { kind: 'password'; targetUpn: string; secret: string; approvalId: string }
  | { kind: 'tap'; targetUpn: string; secret: string; lifetimeInMinutes: number; approvalId: string };

/** Delivers secrets to the requester's personal chat (implemented in bot/, where cards and the messenger live). */
export interface SecretChannel {
  /** Finds the requester's personal chat with the bot; null when there is none we can use. */
  open(requester: Person, hint: ConversationRef | undefined): Promise<ConversationRef | null>;
  /** Says a secret is on its way; sent before the Graph write, so an undeliverable chat stops the write. */
  announce(
    to: ConversationRef,
    notice: { approvalId: string; kind: SecretMessage['kind']; targetUpn: string },
  ): Promise<void>;
  send(to: ConversationRef, message: SecretMessage): Promise<void>;
}

/** The approval card, rendered by the bot: updated for everyone after the worker changes the record. */
export interface ApprovalNotifier {
  updated(record: ApprovalRecord): Promise<void>;
  /** Posts the card of a request whose card was never posted (its turn died between store and post). */
  post(to: ConversationRef, record: ApprovalRecord): Promise<{ activityId: string }>;
}
