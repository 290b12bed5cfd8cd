import type { MessageRule } from '../graph/schemas/message-rule';
import type { PersistenceItem } from '../identity/persistence';
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
  /** Phone methods: the number and its slot (`mobile`, `alternateMobile`, `office`); email methods: the address. */
  phoneNumber?: string | null;
  phoneType?: string | null;
  emailAddress?: string | null;
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

/** A delegated permission grant as read back (`oauth2PermissionGrants/{id}`). */
export interface GrantView {
  id: string;
  clientId: string;
  consentType: string | null;
  principalId: string | null;
  resourceId: string;
  scope: string;
}

/** An app role assignment of a user (`users/{id}/appRoleAssignments`). */
export interface AppRoleAssignmentView {
  id: string;
  principalId: string;
  resourceId: string;
  appRoleId: string;
  resourceDisplayName: string | null;
}

/** A device object (`devices/{id}`): `id` is the directory object id, `deviceId` the device's own id. */
export interface DeviceView {
  id: string;
  deviceId: string | null;
  displayName: string | null;
  accountEnabled: boolean | null;
  operatingSystem: string | null;
}

/** A credential of an application, without its secret (Graph never returns one after creation). */
export interface AppCredentialView {
  keyId: string;
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  /** Key credentials only: what PATCH needs to keep a key (`type`, `usage`, `customKeyIdentifier`). */
  type?: string | null;
  usage?: string | null;
  customKeyIdentifier?: string | null;
}

export interface AppCredentialsView {
  id: string;
  displayName: string | null;
  passwordCredentials: AppCredentialView[];
  keyCredentials: AppCredentialView[];
}

/**
 * The Graph reads and writes that remove persistence (grants, app role assignments, devices, app credentials),
 * implemented over services/graph in graph-persistence.ts. Reads answer null for an object Graph no longer has.
 */
export interface PersistencePort {
  getGrant(grantId: string): Promise<GrantView | null>;
  deleteGrant(grantId: string): Promise<WriteReceipt>;
  listAppRoleAssignments(userId: string): Promise<AppRoleAssignmentView[]>;
  deleteAppRoleAssignment(userId: string, assignmentId: string): Promise<WriteReceipt>;
  /** Devices the user registered or owns (registeredDevices and ownedDevices, de-duplicated). */
  listUserDevices(userId: string): Promise<DeviceView[]>;
  getDevice(deviceObjectId: string): Promise<DeviceView | null>;
  setDeviceEnabled(deviceObjectId: string, enabled: boolean): Promise<WriteReceipt>;
  /** Object ids of the applications the user owns (`users/{id}/ownedObjects/microsoft.graph.application`). */
  listOwnedApplications(userId: string): Promise<string[]>;
  getAppCredentials(appObjectId: string): Promise<AppCredentialsView | null>;
  removeAppPassword(appObjectId: string, keyId: string): Promise<WriteReceipt>;
  /**
   * Replaces the app's key credentials with `keep` (PATCH keyCredentials): removeKey needs a proof signed by one of
   * the app's own keys, which the bot never holds; Graph documents the update of the application instead.
   */
  setAppKeys(appObjectId: string, keep: AppCredentialView[]): Promise<WriteReceipt>;
  /** The user's own delegated grants (`oauth2PermissionGrants?$filter=principalId eq`), for the undo's read-back. */
  listUserGrants(userId: string): Promise<GrantView[]>;
  /** Re-creates a removed delegated grant (`POST /oauth2PermissionGrants`); Graph gives it a new id. */
  createGrant(grant: Omit<GrantView, 'id'>): Promise<WriteReceipt>;
  /** Re-creates a removed app role assignment (`POST /users/{id}/appRoleAssignments`). */
  createAppRoleAssignment(
    userId: string,
    assignment: { principalId: string; resourceId: string; appRoleId: string },
  ): Promise<WriteReceipt>;
  /** Re-registers a removed phone (`POST .../phoneMethods`) or email (`POST .../emailMethods`) method. */
  createPhoneMethod(userId: string, phone: { phoneNumber: string; phoneType: string }): Promise<WriteReceipt>;
  createEmailMethod(userId: string, emailAddress: string): Promise<WriteReceipt>;
  withRetryObserver?(onRetry: (note: Omit<RetryNote, 'step'>) => void): PersistencePort;
}

/** A mailbox permission someone holds on the user's mailbox (Exchange). */
export type DelegateItem = Extract<PersistenceItem, { kind: 'delegate' }>;

/**
 * Mailbox delegates through the Exchange admin API (EXCHANGE_ADMIN_ENABLED): the exchange module's DelegatePort
 * (services/exchange/remove-delegate.ts: Remove-MailboxPermission / Remove-RecipientPermission /
 * Set-Mailbox -GrantSendOnBehalfTo) fits it as it is. A write whose outcome is unknown throws
 * `graph_outcome_unknown`; the step then asks `holds` again instead of sending it twice.
 */
export interface MailboxDelegatePort {
  /** Whether the holder still has the right on the mailbox (read back from Exchange). */
  holds(mailbox: string, item: DelegateItem): Promise<boolean>;
  remove(mailbox: string, item: DelegateItem): Promise<WriteReceipt>;
  /** Grants the right again (`restore-delegate`, the undo): Add-MailboxPermission / Add-RecipientPermission / Set-Mailbox. */
  restore(mailbox: string, item: DelegateItem): Promise<WriteReceipt>;
}

/** The items `investigate` flags for a user, read again when a `contain` request is made (investigation side). */
export interface FlaggedPersistenceSource {
  flagged(target: { id: string; upn: string }): Promise<PersistenceItem[]>;
}

/** An Exchange mobile-device partnership of a mailbox, as the planner and the block step need it. */
export interface PartnershipView {
  deviceId: string;
  name: string;
  accessState: string | null;
}

/**
 * Blocking a mobile device for a mailbox through the Exchange admin API (EXCHANGE_ADMIN_ENABLED; implemented in
 * services/exchange/mobile-device-block.ts): `Set-CASMailbox -ActiveSyncBlockedDeviceIDs @{Add=…}` (undone with
 * `@{Remove=…}`), read back with `Get-CASMailbox`. `Remove-MobileDevice` alone would let the device sync again.
 * A write whose outcome is unknown throws `graph_outcome_unknown`; the step then reads the list again.
 */
export interface MobileDevicePort {
  /** The mailbox's partnerships (`Get-MobileDevice -Mailbox`). */
  partnerships(mailbox: string): Promise<PartnershipView[]>;
  /** The mailbox's `ActiveSyncBlockedDeviceIDs` (`Get-CASMailbox -Identity`). */
  blockedIds(mailbox: string): Promise<string[]>;
  block(mailbox: string, deviceId: string): Promise<WriteReceipt>;
  unblock(mailbox: string, deviceId: string): Promise<WriteReceipt>;
}
