import type { GraphClient } from '../graph/client';
import type { MailboxForwarding } from './exchange-admin';
import { judgeMailboxForwarding } from './forwarding-check';
import { readFolders, readInboxRules } from './mailbox-reads';
import { foldersToName, judgeRule, maxSeverity, type RuleVerdict } from './rule-verdict';
import type { FindingRow, ResultRow } from './sweep-types';

/** A user as the sweep pages them. */
export interface SweepUser {
  id: string;
  upn: string;
  mail: string | null;
}

/** Flattens a judged rule into CSV-ready findings (one per forward/delete/hide aspect). */
export function ruleFindings(v: RuleVerdict): FindingRow[] {
  if (v.severity === 'none') return [];
  const base = { ruleId: v.id, ruleName: v.name, enabled: v.enabled };
  const rows: FindingRow[] = [];
  for (const f of v.findings) {
    if (f.kind === 'forward') {
      const outside = f.recipients.filter((r) => r.kind !== 'internal');
      const what = f.recipients.some((r) => r.kind === 'lookalike')
        ? 'forward-lookalike'
        : outside.length > 0
          ? 'forward-external'
          : 'forward-internal';
      rows.push({
        ...base,
        severity: v.enabled ? f.severity : v.severity,
        what: `${what}${f.via === 'redirectTo' ? ' (redirect)' : ''}`,
        target: f.recipients.map((r) => r.address).join('; '),
        domains: [...new Set(outside.map((r) => r.domain ?? '').filter((d) => d !== ''))],
      });
    } else if (f.kind === 'delete') {
      rows.push({
        ...base,
        severity: v.severity,
        what: f.permanent ? 'permanent-delete' : 'delete',
        target: '',
        domains: [],
      });
    } else if (f.kind === 'move' && f.severity !== 'none') {
      const name = f.folder === null ? f.folderId : f.folder.found ? f.folder.displayName : '(unreadable folder)';
      rows.push({
        ...base,
        severity: v.severity,
        what: f.obscure ? 'hide' : 'move-mark-read',
        target: name,
        domains: [],
      });
    } else if (f.kind === 'mark-read') {
      rows.push({ ...base, severity: 'low', what: 'mark-read', target: '', domains: [] });
    } else if (f.kind === 'has-error') {
      rows.push({ ...base, severity: 'low', what: 'rule-error', target: '', domains: [] });
    }
  }
  return rows;
}

function mailboxFindings(f: MailboxForwarding | undefined, verified: readonly string[]): FindingRow[] {
  if (!f) return [];
  const view = judgeMailboxForwarding(f, verified);
  if (view.kind !== 'checked' || view.severity === 'none') return [];
  const base = { ruleId: null, ruleName: null, enabled: true };
  const rows: FindingRow[] = [];
  if (view.smtp)
    rows.push({
      ...base,
      severity: view.smtp.class.kind === 'internal' ? 'medium' : 'high',
      what: `mailbox-forward-${view.smtp.class.kind}${view.deliverToMailboxAndForward ? '' : ' (no copy kept)'}`,
      target: view.smtp.address,
      domains: view.smtp.class.kind === 'internal' || !view.smtp.class.domain ? [] : [view.smtp.class.domain],
    });
  if (view.recipient)
    rows.push({ ...base, severity: 'medium', what: 'mailbox-forward-recipient', target: view.recipient, domains: [] });
  return rows;
}

/**
 * Reads and judges one mailbox: one messageRules GET, plus a folder GET only for a move that also marks read or
 * deletes (so the sweep stays at about one Outlook request per mailbox).
 */
export async function sweepMailbox(
  graph: GraphClient,
  user: SweepUser,
  verified: readonly string[],
  mailboxForwarding: ReadonlyMap<string, MailboxForwarding>,
  signal: AbortSignal,
): Promise<ResultRow> {
  if (!user.mail) return { id: user.id, upn: user.upn, status: 'no-mail', severity: 'none' };
  const opts = { priority: 'background' as const, signal };
  const read = await readInboxRules(graph, user.id, opts);
  if (read.kind === 'no-mailbox') return { id: user.id, upn: user.upn, status: 'no-mailbox', severity: 'none' };
  const ids = foldersToName(read.rules, true);
  const folders = ids.length > 0 ? await readFolders(graph, user.id, ids, opts) : new Map();
  const findings = [
    ...read.rules.flatMap((r) => ruleFindings(judgeRule(r, verified, folders))),
    ...mailboxFindings(mailboxForwarding.get(user.id.toLowerCase()), verified),
  ];
  return {
    id: user.id,
    upn: user.upn,
    status: 'ok',
    severity: maxSeverity(...findings.map((f) => f.severity)),
    ...(findings.length > 0 ? { findings } : {}),
  };
}
