import type { PersistenceItem } from '../identity/persistence';
import type { ConversationRef } from '../messaging/port';

/** The response actions a request can ask for. */
export type ActionKind =
  | 'revoke'
  | 'disable'
  | 'enable'
  | 'reset-password'
  | 'remove-method'
  | 'tap'
  | 'disable-rule'
  | 'enable-rule'
  | 'revoke-grant'
  | 'remove-delegate'
  | 'disable-device'
  | 'enable-device'
  | 'restore-grant'
  | 'restore-app-role'
  | 'restore-method'
  | 'restore-delegate'
  | 'block-mobile-device'
  | 'unblock-mobile-device'
  | 'contain';

/** One change an approved request makes; `contain` plans several (the last two only inside `contain` or `revoke-grant`). */
export type StepKind = Exclude<ActionKind, 'contain'> | 'remove-app-role' | 'remove-app-credential';

/** The step that removes an item of persistence (persistence.ts), by the item's kind. */
export const PERSISTENCE_STEP = {
  grant: 'revoke-grant',
  'app-role-assignment': 'remove-app-role',
  delegate: 'remove-delegate',
  device: 'disable-device',
  method: 'remove-method',
  'app-credential': 'remove-app-credential',
  'mobile-device': 'block-mobile-device',
} as const satisfies Record<PersistenceItem['kind'], StepKind>;

export interface PlannedStep {
  kind: StepKind;
  /** Graph's authentication method id and its type segment (`microsoftAuthenticatorMethods`, …). */
  methodId?: string;
  methodType?: string;
  /** Inbox rule id and its name at request time (untrusted text, shown only through TextRun). */
  ruleId?: string;
  ruleName?: string;
  /**
   * The item of persistence this step removes, exactly as the approver saw it (its hash covers every field):
   * a grant, app role assignment, delegate, device, method or app credential (persistence.ts).
   */
  item?: PersistenceItem;
  /**
   * The undo steps (`restore-grant`, `restore-app-role`, `restore-method`): what the earlier request `undoOf`
   * removed, as its step read it before the removal; the step re-creates exactly this (the hash covers it).
   */
  restore?: PersistenceBefore;
  undoOf?: string;
}

/** What an item of persistence was before its step removed it: enough to put it back where Graph allows. */
export type PersistenceBefore =
  | {
      kind: 'grant';
      clientId: string;
      consentType: string | null;
      principalId: string | null;
      resourceId: string;
      scope: string;
    }
  | { kind: 'app-role-assignment'; principalId: string; resourceId: string; appRoleId: string }
  | { kind: 'delegate'; delegate: string; right: string }
  | { kind: 'device'; accountEnabled: boolean | null; deviceId: string | null; operatingSystem: string | null }
  | {
      kind: 'method';
      odataType: string;
      createdDateTime: string | null;
      /** Phone and email methods: what re-creating them needs (Graph has no other way back for a removed method). */
      phoneNumber?: string | null;
      phoneType?: string | null;
      emailAddress?: string | null;
    }
  | {
      kind: 'mobile-device';
      deviceId: string;
      /** Whether the id was already on the mailbox's ActiveSyncBlockedDeviceIDs (then nothing is written). */
      blocked: boolean;
      /** The partnership's DeviceAccessState as Get-MobileDevice showed it (Allowed, Quarantined, …), if listed. */
      accessState: string | null;
    }
  | {
      kind: 'app-credential';
      credential: 'password' | 'key';
      keyId: string;
      displayName: string | null;
      startDateTime: string | null;
      endDateTime: string | null;
    };

/** A person as the authenticated activity named them. */
export interface Person {
  aadObjectId: string;
  name: string | null;
}

/** The target as read from Graph when the request was made (and re-read before executing). */
export interface TargetView {
  id: string;
  upn: string;
  displayName: string | null;
  accountEnabled: boolean | null;
  synced: boolean;
  guest: boolean;
  /** Active and eligible directory roles (names or template ids). */
  adminRoles: string[];
  protectedMember: boolean;
}

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'executing' | 'done' | 'failed';

/** Why a step ended as it did; cards/ turns these codes into words. */
export type StepReason =
  | 'applied'
  | 'verified'
  | 'not-verified'
  | 'dry-run'
  | 'already-in-state'
  | 'rule-missing'
  | 'method-missing'
  | 'graph-error'
  | 'outcome-unknown'
  | 'confirmed-by-read'
  | 'not-applied-retryable'
  | 'tap-exists'
  | 'not-started-in-time'
  | 'no-personal-chat'
  | 'delivered'
  | 'delivery-failed'
  | 'reconciled-applied'
  | 'reconciled-not-applied'
  | 'secret-lost'
  | 'target-refused'
  | 'skipped'
  | 'item-missing'
  | 'item-changed'
  | 'last-method-kept'
  | 'exchange-not-enabled'
  | 'device-not-windows';

export interface StepResult {
  step: PlannedStep;
  ok: boolean;
  reasons: StepReason[];
  /** Graph request-ids of the writes (and of the verifying read), for the audit trail. */
  requestIds: string[];
  /** State before the change, so `enable` / `enable-rule` can restore it. */
  before?: {
    accountEnabled?: boolean | null;
    ruleEnabled?: boolean;
    sessionsValidFrom?: string | null;
    /** The removed item as Graph had it (persistence steps). */
    item?: PersistenceBefore;
  };
  errorCode?: string;
}

/** A retry or wait of one Graph call of an execution, kept for the audit trail (never a secret). */
export interface RetryNote {
  /** The step it belongs to; null for the reads before the first step. */
  step: StepKind | null;
  reason: 'throttled' | 'unavailable' | 'timeout' | 'network' | 'unauthorized';
  status: number | null;
  waitMs: number;
}

/** Refusal and warning codes from the target check. */
export type TargetRefusal = 'admin' | 'protected' | 'synced-password';
export type TargetWarning =
  'guest-revoke-no-effect' | 'synced-mastered-on-premises' | 'admin-allowed' | 'persistence-not-checked';

/** A stored approval request; every change is a versioned write. */
export interface ApprovalRecord {
  id: string;
  action: ActionKind;
  target: TargetView;
  steps: PlannedStep[];
  justification: string;
  requester: Person;
  createdAt: number;
  expiresAt: number;
  /** sha256 over {action, target id, steps, requester, expiry}; a decision must present it. */
  hash: string;
  dryRun: boolean;
  warnings: TargetWarning[];
  state: ApprovalState;
  decision?: { kind: 'approved' | 'rejected'; by: Person; at: number };
  /** Where the approval card is, for updates "for everyone". */
  card?: { conversation: ConversationRef; activityId: string };
  /** Where the request was typed (a personal chat is remembered for one-time secret delivery). */
  origin?: ConversationRef;
  /** The bot instance that stored the request and owes it its card (see card-recovery.ts). */
  createdBy?: string;
  /**
   * The worker executing the request and until when: renewed before every Graph write and while running, so
   * another worker settles the request only once this has lapsed (see claim.ts).
   */
  claim?: { owner: string; expiresAt: number };
  execution?: {
    startedAt: number;
    finishedAt?: number;
    results: StepResult[];
    refused?: TargetRefusal[];
    interrupted?: boolean;
    retries?: RetryNote[];
  };
}

/** Decisions an approver can make on a card. */
export type DecisionKind = 'approve' | 'reject';

export const TERMINAL_STATES: readonly ApprovalState[] = ['rejected', 'expired', 'done', 'failed'];
