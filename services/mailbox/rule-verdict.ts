import type { MessageRule } from '../graph/schemas/message-rule';
import { classifyAddress, type AddressKind } from './domains';

/** How bad a finding is; `none` is informational and never raises a verdict. */
export type Severity = 'high' | 'medium' | 'low' | 'none';

export const SEVERITY_ORDER: readonly Severity[] = ['none', 'low', 'medium', 'high'];

export function maxSeverity(...values: Severity[]): Severity {
  return values.reduce<Severity>((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a), 'none');
}

/** A recipient of a forward or redirect, classified against the verified domains. */
export interface RecipientView {
  address: string;
  name: string | null;
  kind: AddressKind;
  domain: string | null;
  lookalikeOf?: string;
}

/** What we know of a rule's target folder: read from Graph, or missing (deleted, or not readable). */
export type FolderInfo = { found: true; displayName: string; isHidden: boolean } | { found: false };

export type ForwardVia = 'forwardTo' | 'forwardAsAttachmentTo' | 'redirectTo';

/** One judged aspect of a rule. */
export type RuleFinding =
  | { kind: 'forward'; via: ForwardVia; recipients: RecipientView[]; severity: Severity }
  | { kind: 'delete'; permanent: boolean; markAsRead: boolean; severity: Severity }
  | {
      kind: 'move';
      folderId: string;
      folder: FolderInfo | null;
      obscure: boolean;
      markAsRead: boolean;
      copy: boolean;
      severity: Severity;
    }
  | { kind: 'mark-read'; severity: Severity }
  | { kind: 'stop-processing'; severity: Severity }
  | { kind: 'has-error'; severity: Severity }
  | { kind: 'inconspicuous-name'; severity: Severity };

/** A rule with its findings and the verdict they add up to. */
export interface RuleVerdict {
  id: string;
  name: string;
  sequence: number | null;
  enabled: boolean;
  hasError: boolean;
  severity: Severity;
  findings: RuleFinding[];
  /** When the rule fires (Graph's predicate names with their values; untrusted strings), for the investigator. */
  conditions: { name: string; values: string[] }[];
}

/** Flattens messageRulePredicates: string lists, booleans that are true, and recipients' addresses. */
function describeConditions(predicates: Record<string, unknown>): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (const [name, value] of Object.entries(predicates)) {
    if (value === true) out.push({ name, values: [] });
    else if (typeof value === 'string' || typeof value === 'number') out.push({ name, values: [String(value)] });
    else if (Array.isArray(value) && value.length > 0) {
      const values = value.map((v: unknown) => {
        if (typeof v === 'string') return v;
        const address = (v as { emailAddress?: { address?: unknown } } | null)?.emailAddress?.address;
        return typeof address === 'string' ? address : JSON.stringify(v);
      });
      out.push({ name, values });
    }
  }
  return out;
}

// Folders users rarely open: mail moved there (and marked read) is mail the user will not see.
const OBSCURE_FOLDERS = new Set([
  'rss feeds',
  'rss subscriptions',
  'archive',
  'conversation history',
  'junk email',
  'deleted items',
  'notes',
  'sync issues',
  'conflicts',
  'local failures',
  'server failures',
  'outbox',
  'recoverable items',
]);

/** True for the folders attackers hide mail in: well-known rarely-read ones, hidden ones, unnamed-looking ones. */
export function isObscureFolder(folder: FolderInfo): boolean {
  if (!folder.found) return true;
  const name = folder.displayName.trim().toLowerCase();
  return folder.isHidden || OBSCURE_FOLDERS.has(name) || !/[\p{L}\p{N}]{2}/u.test(name);
}

/** Names such as ".", "..", " " that attackers pick so the rule is overlooked in a list. */
function isInconspicuousName(name: string): boolean {
  return !/[\p{L}\p{N}]{2}/u.test(name.trim());
}

function recipientViews(
  list: readonly { emailAddress: { name: string | null; address: string | null } }[],
  verified: readonly string[],
): RecipientView[] {
  return list.map(({ emailAddress }) => {
    const c = classifyAddress(emailAddress.address, verified);
    return {
      address: emailAddress.address ?? '',
      name: emailAddress.name,
      kind: c.kind,
      domain: c.domain,
      ...(c.lookalikeOf ? { lookalikeOf: c.lookalikeOf } : {}),
    };
  });
}

function forwardSeverity(recipients: RecipientView[]): Severity {
  if (recipients.some((r) => r.kind === 'external' || r.kind === 'lookalike' || r.kind === 'invalid')) return 'high';
  return 'low';
}

// A disabled rule does nothing now but can be switched on again; it is reported one step lower.
function downgrade(s: Severity): Severity {
  return s === 'high' ? 'medium' : s === 'medium' ? 'low' : s;
}

/** Judges one inbox rule; `folders` names the target folders of move/copy actions (null when not looked up). */
export function judgeRule(
  rule: MessageRule,
  verified: readonly string[],
  folders: ReadonlyMap<string, FolderInfo> = new Map(),
): RuleVerdict {
  const a = rule.actions;
  const findings: RuleFinding[] = [];
  const vias: [ForwardVia, MessageRule['actions']['forwardTo']][] = [
    ['forwardTo', a.forwardTo],
    ['forwardAsAttachmentTo', a.forwardAsAttachmentTo],
    ['redirectTo', a.redirectTo],
  ];
  for (const [via, list] of vias) {
    if (list.length === 0) continue;
    const recipients = recipientViews(list, verified);
    findings.push({ kind: 'forward', via, recipients, severity: forwardSeverity(recipients) });
  }
  if (a.delete || a.permanentDelete) {
    findings.push({
      kind: 'delete',
      permanent: a.permanentDelete,
      markAsRead: a.markAsRead,
      severity: a.permanentDelete || a.markAsRead ? 'high' : 'medium',
    });
  }
  const moves: [string, boolean][] = [];
  if (a.moveToFolder) moves.push([a.moveToFolder, false]);
  if (a.copyToFolder) moves.push([a.copyToFolder, true]);
  for (const [folderId, copy] of moves) {
    // null: not looked up (a sweep names folders only for moves that also mark read or delete).
    const folder = folders.get(folderId) ?? null;
    const obscure = folder !== null && isObscureFolder(folder);
    const severity: Severity = copy
      ? 'none'
      : obscure
        ? a.markAsRead
          ? 'high'
          : 'low'
        : a.markAsRead
          ? 'low'
          : 'none';
    findings.push({ kind: 'move', folderId, folder, obscure, markAsRead: a.markAsRead, copy, severity });
  }
  if (a.markAsRead && !a.delete && !a.permanentDelete && !a.moveToFolder)
    findings.push({ kind: 'mark-read', severity: 'low' });
  if (a.stopProcessingRules) findings.push({ kind: 'stop-processing', severity: 'low' });
  if (rule.hasError) findings.push({ kind: 'has-error', severity: 'low' });
  const name = rule.displayName ?? '';
  if (isInconspicuousName(name)) findings.push({ kind: 'inconspicuous-name', severity: 'none' });

  // stopProcessingRules alone is common housekeeping; it only matters beside something else.
  const raising = findings.filter(
    (f) => f.kind !== 'stop-processing' || findings.some((g) => g !== f && g.severity !== 'none'),
  );
  let severity = maxSeverity(...raising.map((f) => f.severity));
  if (!rule.isEnabled) severity = downgrade(severity);
  return {
    id: rule.id,
    name,
    sequence: rule.sequence,
    enabled: rule.isEnabled,
    hasError: rule.hasError,
    severity,
    findings,
    conditions: describeConditions(rule.conditions),
  };
}

/** Folder ids a rule moves or copies mail to, when the move is worth naming (in a sweep: only with mark-as-read or delete). */
export function foldersToName(rules: readonly MessageRule[], onlySuspicious: boolean): string[] {
  const ids = new Set<string>();
  for (const r of rules) {
    const a = r.actions;
    const suspicious = a.markAsRead || a.delete || a.permanentDelete;
    if (onlySuspicious && !suspicious) continue;
    if (a.moveToFolder) ids.add(a.moveToFolder);
    if (!onlySuspicious && a.copyToFolder) ids.add(a.copyToFolder);
  }
  return [...ids];
}
