/**
 * Mailbox delegates (issue 13, section 2): who holds FullAccess (`Get-MailboxPermission`), SendAs
 * (`Get-RecipientPermission`) or SendOnBehalf (the mailbox's `GrantSendOnBehalfTo`) on a user's mailbox, when each
 * was granted and by whom (the ExchangeAdmin records of `Search-UnifiedAuditLog`), and who each holder is
 * (`Get-RecipientPermission` names, resolved by `Get-Recipient`). The cmdlets other than Get-Mailbox run through the
 * undocumented InvokeCommand proxy. `judgeDelegates` is pure: it flags holders added in the window, external
 * holders, newly created accounts and anyone who is not the user's manager.
 */
import { z } from 'zod';
import { classifyAddress } from '../mailbox/domains';
import type { PersistenceItem } from '../identity/persistence';
import { persistenceKey } from '../identity/persistence';
import { CodedError, isCodedError } from '../errors';
import type { ExchangeAdminApi } from './admin-api';
import type { ExchangeTimelineEvent } from './section';

export type DelegateRight = 'FullAccess' | 'SendAs' | 'SendOnBehalf';

/** A permission someone holds on the mailbox, as Exchange names the holder. */
export interface DelegateGrant {
  right: DelegateRight;
  /** The trustee as Exchange names it: a UPN for FullAccess and SendAs, a recipient name for SendOnBehalf. */
  trustee: string;
}

/** Who a trustee is, from `Get-Recipient`. */
export interface RecipientInfo {
  id: string | null;
  address: string | null;
  displayName: string | null;
  /** UserMailbox, MailUser, GuestMailUser, MailContact, … */
  type: string | null;
  createdAt: string | null;
}

/** An ExchangeAdmin audit record that granted a right (Add-MailboxPermission, Add-RecipientPermission, Set-Mailbox). */
export interface GrantRecord {
  at: string;
  operation: string;
  /** Who ran it (UserIds). */
  caller: string;
  clientIp: string | null;
  /** The mailbox the cmdlet changed (its Identity parameter, else ObjectId). */
  mailbox: string;
  /** The User / Trustee / GrantSendOnBehalfTo parameter as logged. */
  trusteeText: string;
}

/** The user's mailbox as Get-Mailbox shows it. */
export interface MailboxView {
  id: string | null;
  upn: string;
  primarySmtp: string | null;
  alias: string | null;
  displayName: string | null;
  sendOnBehalf: string[];
}

/** Everything read for the section, before judging. */
export interface DelegateEvidence {
  mailbox: MailboxView;
  grants: DelegateGrant[];
  /** Lower-case trustee → who it is; null when Exchange could not resolve it. */
  recipients: Map<string, RecipientInfo | null>;
  /** The grant records of the window, or why they could not be read (the delegates still show). */
  audit: { kind: 'read'; records: GrantRecord[] } | { kind: 'unavailable'; permission: string | null };
  acceptedDomains: string[];
  /** The user's manager (Graph), null when none, undefined when not known. */
  manager: { id: string; upn: string | null } | null | undefined;
}

export type DelegateReason = 'added-in-window' | 'external' | 'new-account' | 'not-manager' | 'unresolved';

export interface DelegateFinding {
  right: DelegateRight;
  trustee: string;
  displayName: string | null;
  address: string | null;
  recipientType: string | null;
  addedAt: string | null;
  addedBy: string | null;
  addedFrom: string | null;
  isManager: boolean;
  reasons: DelegateReason[];
  /** high: added in the window, external or a new account; medium: only not the manager / unresolved. */
  severity: 'high' | 'medium' | null;
  /** What contain removes: high findings only (null otherwise). */
  item: PersistenceItem | null;
}

export interface DelegatesReport {
  findings: DelegateFinding[];
  /** The permission the audit search needs, when it was refused: "when added" is then unknown. */
  auditUnavailable: string | null;
  /** The manager could not be read: "not the manager" is not judged. */
  managerUnknown: boolean;
  /**
   * Grants the audit recorded on this mailbox in the window whose holder no longer has that right (removed since,
   * e.g. by contain): no finding any more, but still part of what happened.
   */
  formerGrants: FormerGrant[];
}

export interface FormerGrant {
  right: DelegateRight;
  /** The holder as the audit logged it (untrusted). */
  trustee: string;
  at: string;
  by: string | null;
}

const SYSTEM_TRUSTEE = /^(NT AUTHORITY\\|S-1-5-|NAMPR|EURPR|APCPR)/i;
const GRANT_OPERATIONS = ['Add-MailboxPermission', 'Add-RecipientPermission', 'Set-Mailbox'] as const;
/** A holder's account created this recently is "new". */
export const NEW_ACCOUNT_DAYS = 30;
const DAY = 24 * 3600_000;

const stringList = z
  .union([z.array(z.string()), z.string(), z.null()])
  .optional()
  .transform((v) =>
    (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter((s) => s !== ''),
  );
const permissionSchema = z.looseObject({
  User: z.string(),
  AccessRights: stringList,
  IsInherited: z.boolean().nullable().optional(),
  Deny: z.boolean().nullable().optional(),
});
const recipientPermissionSchema = z.looseObject({
  Trustee: z.string(),
  AccessRights: stringList,
  AccessControlType: z.string().nullable().optional(),
  IsInherited: z.boolean().nullable().optional(),
});
const mailboxSchema = z.looseObject({
  ExternalDirectoryObjectId: z.string().nullable().optional(),
  UserPrincipalName: z.string(),
  PrimarySmtpAddress: z.string().nullable().optional(),
  Alias: z.string().nullable().optional(),
  DisplayName: z.string().nullable().optional(),
  GrantSendOnBehalfTo: stringList,
});
const recipientSchema = z.looseObject({
  ExternalDirectoryObjectId: z.string().nullable().optional(),
  PrimarySmtpAddress: z.string().nullable().optional(),
  ExternalEmailAddress: z.string().nullable().optional(),
  DisplayName: z.string().nullable().optional(),
  RecipientTypeDetails: z.string().nullable().optional(),
  WhenCreatedUTC: z.string().nullable().optional(),
});
const domainSchema = z.looseObject({ DomainName: z.string() });
const auditSchema = z.looseObject({
  CreationDate: z.string(),
  UserIds: z.string().nullable().optional(),
  Operations: z.string(),
  AuditData: z.string(),
});
const auditDataSchema = z.looseObject({
  ObjectId: z.string().nullable().optional(),
  ClientIP: z.string().nullable().optional(),
  Parameters: z
    .array(z.looseObject({ Name: z.string(), Value: z.string().nullable().optional() }))
    .nullable()
    .optional(),
});

const isoOf = (text: string): string | null => {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

/** The mailbox of `identity` (UPN or object id) through the documented v2.0 Mailbox endpoint; null when none. */
export async function readMailbox(api: ExchangeAdminApi, identity: string): Promise<MailboxView | null> {
  let found;
  try {
    found = await api.run('Mailbox', {
      cmdlet: 'Get-Mailbox',
      parameters: { Identity: identity },
      schema: mailboxSchema,
    });
  } catch (error) {
    if (isCodedError(error, 'graph_not_found')) return null;
    throw error;
  }
  const m = found[0];
  if (!m) return null;
  return {
    id: m.ExternalDirectoryObjectId ?? null,
    upn: m.UserPrincipalName,
    primarySmtp: m.PrimarySmtpAddress ?? null,
    alias: m.Alias ?? null,
    displayName: m.DisplayName ?? null,
    sendOnBehalf: m.GrantSendOnBehalfTo,
  };
}

/** Explicit, allowed, non-inherited FullAccess and SendAs holders other than the mailbox itself and system SIDs. */
export async function readGrants(api: ExchangeAdminApi, mailbox: MailboxView): Promise<DelegateGrant[]> {
  const anchor = `UPN:${mailbox.upn}`;
  const [full, sendAs] = await Promise.all([
    api.invoke({
      cmdlet: 'Get-MailboxPermission',
      parameters: { Identity: mailbox.upn },
      schema: permissionSchema,
      anchorMailbox: anchor,
    }),
    api.invoke({
      cmdlet: 'Get-RecipientPermission',
      parameters: { Identity: mailbox.upn },
      schema: recipientPermissionSchema,
      anchorMailbox: anchor,
    }),
  ]);
  const grants: DelegateGrant[] = [];
  for (const p of full)
    if (!p.IsInherited && !p.Deny && p.AccessRights.includes('FullAccess') && !SYSTEM_TRUSTEE.test(p.User))
      grants.push({ right: 'FullAccess', trustee: p.User });
  for (const p of sendAs)
    if (
      !p.IsInherited &&
      (p.AccessControlType ?? 'Allow') === 'Allow' &&
      p.AccessRights.includes('SendAs') &&
      !SYSTEM_TRUSTEE.test(p.Trustee)
    )
      grants.push({ right: 'SendAs', trustee: p.Trustee });
  for (const name of mailbox.sendOnBehalf) grants.push({ right: 'SendOnBehalf', trustee: name });
  return grants;
}

/** Who a trustee is; null when Exchange has no such recipient (a deleted account, an orphaned SID). */
export async function readRecipient(api: ExchangeAdminApi, trustee: string): Promise<RecipientInfo | null> {
  try {
    const [r] = await api.invoke({
      cmdlet: 'Get-Recipient',
      parameters: { Identity: trustee },
      schema: recipientSchema,
    });
    if (!r) return null;
    const external = r.ExternalEmailAddress?.replace(/^smtp:/i, '') ?? null;
    return {
      id: r.ExternalDirectoryObjectId ?? null,
      address: external ?? r.PrimarySmtpAddress ?? null,
      displayName: r.DisplayName ?? null,
      type: r.RecipientTypeDetails ?? null,
      createdAt: r.WhenCreatedUTC ? isoOf(r.WhenCreatedUTC) : null,
    };
  } catch (error) {
    if (isCodedError(error, 'graph_not_found')) return null;
    throw error;
  }
}

export async function readAcceptedDomains(api: ExchangeAdminApi): Promise<string[]> {
  const domains = await api.invoke({ cmdlet: 'Get-AcceptedDomain', schema: domainSchema });
  return domains.map((d) => d.DomainName.toLowerCase());
}

/** The grants recorded in the window (ExchangeAdmin records, newest first, at most 5000). */
export async function readGrantRecords(
  api: ExchangeAdminApi,
  window: { from: number; to: number },
): Promise<GrantRecord[]> {
  const records = await api.invoke({
    cmdlet: 'Search-UnifiedAuditLog',
    parameters: {
      StartDate: new Date(window.from).toISOString(),
      EndDate: new Date(window.to).toISOString(),
      RecordType: 'ExchangeAdmin',
      Operations: [...GRANT_OPERATIONS],
      ResultSize: 5000,
    },
    schema: auditSchema,
  });
  const out: GrantRecord[] = [];
  for (const r of records) {
    let raw: unknown;
    try {
      raw = JSON.parse(r.AuditData);
    } catch {
      throw new CodedError('unexpected_response', 'Search-UnifiedAuditLog: AuditData is not JSON', {
        service: 'exchange',
      });
    }
    const data = auditDataSchema.safeParse(raw);
    if (!data.success)
      throw new CodedError('unexpected_response', 'Search-UnifiedAuditLog: unexpected AuditData shape', {
        service: 'exchange',
      });
    const param = (name: string): string | null =>
      data.data.Parameters?.find((p) => p.Name.toLowerCase() === name.toLowerCase())?.Value ?? null;
    const at = isoOf(r.CreationDate);
    if (!at) continue;
    out.push({
      at,
      operation: r.Operations,
      caller: r.UserIds ?? '',
      clientIp: data.data.ClientIP ?? null,
      mailbox: param('Identity') ?? data.data.ObjectId ?? '',
      trusteeText: param('User') ?? param('Trustee') ?? param('GrantSendOnBehalfTo') ?? '',
    });
  }
  return out;
}

const OPERATION_OF: Record<DelegateRight, string> = {
  FullAccess: 'Add-MailboxPermission',
  SendAs: 'Add-RecipientPermission',
  SendOnBehalf: 'Set-Mailbox',
};

function namesOf(mailbox: MailboxView): string[] {
  return [mailbox.upn, mailbox.primarySmtp, mailbox.alias, mailbox.id, mailbox.displayName]
    .filter((n): n is string => typeof n === 'string' && n !== '')
    .map((n) => n.toLowerCase());
}

/** Whether a logged parameter value names the trustee (a UPN, address or alias, possibly inside `@{Add=…}`). */
function mentions(text: string, names: string[]): boolean {
  if (names.includes(text.trim().toLowerCase())) return true;
  const tokens = text
    .toLowerCase()
    .split(/[\s,;{}@=()"']+/)
    .concat(text.toLowerCase().split(/[\s,;{}()"']+/))
    .filter((t) => t !== '');
  return names.some((n) => tokens.includes(n));
}

function trusteeNamesOf(grant: DelegateGrant, info: RecipientInfo | null): string[] {
  return [grant.trustee, info?.address, info?.id, info?.displayName, info?.address?.split('@')[0]]
    .filter((n): n is string => typeof n === 'string' && n !== '')
    .map((n) => n.toLowerCase());
}

const RIGHT_OF_OPERATION = new Map(
  Object.entries(OPERATION_OF).map(([right, operation]) => [operation.toLowerCase(), right as DelegateRight]),
);

/** The records of the window that granted a right on this mailbox no current holder has: removed since. */
function formerGrants(evidence: DelegateEvidence, records: readonly GrantRecord[]): FormerGrant[] {
  const mailboxNames = namesOf(evidence.mailbox);
  return records.flatMap((r): FormerGrant[] => {
    const right = RIGHT_OF_OPERATION.get(r.operation.toLowerCase());
    // Set-Mailbox -GrantSendOnBehalfTo @{Remove=…} is logged under the same operation: a removal, not a grant.
    if (!right || !mailboxNames.includes(r.mailbox.toLowerCase()) || /remove\s*=/i.test(r.trusteeText)) return [];
    // Set-Mailbox without GrantSendOnBehalfTo names no holder: not a grant.
    if (r.trusteeText.trim() === '') return [];
    const held = evidence.grants.some(
      (g) =>
        g.right === right &&
        mentions(r.trusteeText, trusteeNamesOf(g, evidence.recipients.get(g.trustee.toLowerCase()) ?? null)),
    );
    if (held) return [];
    const trustee = r.trusteeText.replace(/^@\{\s*add\s*=\s*/i, '').replace(/\s*\}$/, '');
    return [{ right, trustee, at: r.at, by: r.caller || null }];
  });
}

/** The latest record in the window that granted this right to this trustee on this mailbox. */
function grantRecord(
  grant: DelegateGrant,
  info: RecipientInfo | null,
  mailbox: MailboxView,
  records: readonly GrantRecord[],
): GrantRecord | null {
  const mailboxNames = namesOf(mailbox);
  const trusteeNames = trusteeNamesOf(grant, info);
  const matching = records.filter(
    (r) =>
      r.operation.toLowerCase() === OPERATION_OF[grant.right].toLowerCase() &&
      mailboxNames.includes(r.mailbox.toLowerCase()) &&
      mentions(r.trusteeText, trusteeNames),
  );
  return matching.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0] ?? null;
}

const EXTERNAL_TYPES = new Set(['guestmailuser', 'mailcontact', 'mailuser']);

/** Judges each holder: added in the window, external, a new account, not the manager. Pure. */
export function judgeDelegates(
  evidence: DelegateEvidence,
  opts: { window: { from: number; to: number } },
): DelegatesReport {
  const records = evidence.audit.kind === 'read' ? evidence.audit.records : [];
  const findings = evidence.grants.map((grant): DelegateFinding => {
    const info = evidence.recipients.get(grant.trustee.toLowerCase()) ?? null;
    const record = grantRecord(grant, info, evidence.mailbox, records);
    const addedMs = record ? Date.parse(record.at) : NaN;
    const createdMs = info?.createdAt ? Date.parse(info.createdAt) : NaN;
    const address = info?.address ?? (grant.trustee.includes('@') ? grant.trustee : null);
    const addressKind = address ? classifyAddress(address, evidence.acceptedDomains).kind : null;
    const manager = evidence.manager;
    const isManager =
      manager !== undefined &&
      manager !== null &&
      ((info?.id !== null && info?.id !== undefined && info.id.toLowerCase() === manager.id.toLowerCase()) ||
        (manager.upn !== null && grant.trustee.toLowerCase() === manager.upn.toLowerCase()));
    const reasons: DelegateReason[] = [];
    if (Number.isFinite(addedMs) && addedMs >= opts.window.from && addedMs <= opts.window.to)
      reasons.push('added-in-window');
    if (
      (info?.type && EXTERNAL_TYPES.has(info.type.toLowerCase()) && addressKind !== 'internal') ||
      addressKind === 'external' ||
      addressKind === 'lookalike'
    )
      reasons.push('external');
    if (Number.isFinite(createdMs) && createdMs >= opts.window.to - NEW_ACCOUNT_DAYS * DAY) reasons.push('new-account');
    if (info === null) reasons.push('unresolved');
    if (manager !== undefined && !isManager) reasons.push('not-manager');
    const high = reasons.some((r) => r === 'added-in-window' || r === 'external' || r === 'new-account');
    const severity = high ? 'high' : reasons.length > 0 ? 'medium' : null;
    return {
      right: grant.right,
      trustee: grant.trustee,
      displayName: info?.displayName ?? null,
      address,
      recipientType: info?.type ?? null,
      addedAt: record?.at ?? null,
      addedBy: record?.caller ?? null,
      addedFrom: record?.clientIp ?? null,
      isManager,
      reasons,
      severity,
      // contain removes delegates added in the window, external or new (high); one who is only not the manager or
      // unresolved (medium) may be a long-standing assistant: the card asks to check, remove-delegate removes it.
      item: severity === 'high' ? { kind: 'delegate', delegate: grant.trustee, right: grant.right } : null,
    };
  });
  const rank = { high: 0, medium: 1 } as const;
  findings.sort((a, b) => (a.severity ? rank[a.severity] : 2) - (b.severity ? rank[b.severity] : 2));
  return {
    findings,
    auditUnavailable: evidence.audit.kind === 'unavailable' ? (evidence.audit.permission ?? 'audit search') : null,
    managerUnknown: evidence.manager === undefined,
    formerGrants: formerGrants(evidence, records),
  };
}

const RIGHT_WORDS: Record<DelegateRight, string> = {
  FullAccess: 'Mailbox FullAccess granted',
  SendAs: 'SendAs granted on the mailbox',
  SendOnBehalf: 'SendOnBehalf granted on the mailbox',
};

/** The dated grants, as timeline events; a flagged grant is suspicious and carries its persistence key. */
export function delegateEvents(report: DelegatesReport): ExchangeTimelineEvent[] {
  const former = report.formerGrants.map((g): ExchangeTimelineEvent => ({
    at: g.at,
    section: 'delegates',
    what: `${RIGHT_WORDS[g.right]} (no longer held)`,
    detail: g.by ? `${g.trustee} (by ${g.by})` : g.trustee,
    // Granted in the window, like a current holder added in the window (high).
    suspicious: true,
  }));
  const current = report.findings.flatMap((f) =>
    f.addedAt === null
      ? []
      : [
          {
            at: f.addedAt,
            section: 'delegates' as const,
            what: RIGHT_WORDS[f.right],
            detail: f.addedBy ? `${f.trustee} (by ${f.addedBy})` : f.trustee,
            suspicious: f.severity === 'high',
            ...(f.item ? { key: persistenceKey(f.item) } : {}),
          },
        ],
  );
  return [...current, ...former];
}
