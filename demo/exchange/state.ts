/**
 * The demo tenant's Exchange-only data (not in Graph): mailbox permissions, SendAs, SendOnBehalf, mobile-device
 * partnerships, message trace and the unified audit log's ExchangeAdmin records. Kept beside DemoState (one
 * side table per state object) so seeds, cmdlets and tests share it without widening the Graph state.
 */
import type { DemoState, GraphObject } from '../state';

/** One `Get-MailboxPermission` entry on a mailbox (the trustee is named by UPN, as Exchange Online shows it). */
export interface MailboxPermissionEntry {
  mailboxId: string;
  user: string;
  accessRights: string[];
  isInherited: boolean;
  deny: boolean;
}

/** One `Get-RecipientPermission` entry (SendAs). */
export interface RecipientPermissionEntry {
  mailboxId: string;
  trustee: string;
  accessRights: string[];
}

/** One row of `Get-MessageTraceV2`, with Exchange's property names. */
export interface MessageTraceRow {
  Received: string;
  SenderAddress: string;
  RecipientAddress: string;
  Subject: string;
  Status: 'Delivered' | 'Failed' | 'Pending' | 'Quarantined' | 'FilteredAsSpam' | 'Expanded' | 'GettingStatus';
  MessageId: string;
  MessageTraceId: string;
  FromIP: string | null;
  ToIP: string | null;
  Size: number;
}

export interface ExchangeSimState {
  mailboxPermissions: MailboxPermissionEntry[];
  recipientPermissions: RecipientPermissionEntry[];
  /** Mailbox user id → the SendOnBehalf holders' aliases, as `GrantSendOnBehalfTo` lists them. */
  sendOnBehalf: Map<string, string[]>;
  /** Mailbox user id → `Get-MobileDevice` objects. */
  mobileDevices: Map<string, GraphObject[]>;
  /** Mailbox user id → its `ActiveSyncBlockedDeviceIDs` (Set-CASMailbox / Get-CASMailbox). */
  activeSyncBlocked: Map<string, string[]>;
  messageTrace: MessageTraceRow[];
  /** `Search-UnifiedAuditLog` records (RecordType ExchangeAdmin), AuditData as the JSON string Exchange returns. */
  adminAudit: GraphObject[];
  /** Cmdlets the app's Exchange role does not cover: the REST service answers 401 "User is not allowed to call …". */
  deniedCmdlets: Set<string>;
}

const sims = new WeakMap<DemoState, ExchangeSimState>();

/** The Exchange side table of a demo state, created empty on first use. */
export function exchangeSim(state: DemoState): ExchangeSimState {
  let sim = sims.get(state);
  if (!sim) {
    sim = {
      mailboxPermissions: [],
      recipientPermissions: [],
      sendOnBehalf: new Map(),
      mobileDevices: new Map(),
      activeSyncBlocked: new Map(),
      messageTrace: [],
      adminAudit: [],
      deniedCmdlets: new Set(),
    };
    sims.set(state, sim);
  }
  return sim;
}

/** An ExchangeAdmin audit record as `Search-UnifiedAuditLog` returns it (AuditData is a JSON string). */
export function adminAuditRecord(spec: {
  id: string;
  at: number;
  operation: string;
  caller: string;
  objectId: string;
  parameters: Record<string, string>;
  clientIp?: string;
}): GraphObject {
  const creation = new Date(spec.at).toISOString().slice(0, 19);
  const auditData = {
    CreationTime: creation,
    Id: spec.id,
    Operation: spec.operation,
    OrganizationId: '00000000-0000-4000-8000-00000000d3m0',
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: spec.caller,
    UserType: 2,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: spec.clientIp ?? null,
    ObjectId: spec.objectId,
    UserId: spec.caller,
    ExternalAccess: false,
    Parameters: Object.entries(spec.parameters).map(([Name, Value]) => ({ Name, Value })),
  };
  return {
    RecordType: 'ExchangeAdmin',
    CreationDate: `${creation}Z`,
    UserIds: spec.caller,
    Operations: spec.operation,
    AuditData: JSON.stringify(auditData),
    Identity: spec.id,
  };
}
