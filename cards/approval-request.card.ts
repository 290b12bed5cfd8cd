import type { VerbName } from '../bot/commands/table';
import type { ApprovalRecord, PlannedStep, StepResult } from '../services/approvals/types';
import { sanitizeUntrusted } from '../services/text';
import { REASON_TEXT, STEP_LABELS, WARNING_TEXT, REFUSAL_TEXT } from './approval-text';
import type { DecisionData } from './approval-verbs';
import {
  adaptiveCard,
  container,
  heading,
  row,
  text,
  trustedRow,
  untrusted,
  verbButton,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { formatTime } from './format';

const ACTION_TITLES: Record<ApprovalRecord['action'], string> = {
  revoke: 'Revoke sign-in sessions',
  disable: 'Block sign-in',
  enable: 'Restore sign-in',
  'reset-password': 'Reset password',
  'remove-method': 'Remove an authentication method',
  tap: 'Issue a Temporary Access Pass',
  'disable-rule': 'Disable an inbox rule',
  'enable-rule': 'Re-enable an inbox rule',
  contain: 'Contain a compromised account',
};

function who(person: { name: string | null; aadObjectId: string }): string {
  return person.name ?? person.aadObjectId;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A step line: our label, then the untrusted ids/names as TextRuns (never markdown). */
function stepLine(step: PlannedStep, index: number, result?: StepResult): CardElement {
  const inlines: CardElement[] = [{ type: 'TextRun', text: `${index + 1}. ${STEP_LABELS[step.kind]}` }];
  if (step.ruleName !== undefined)
    inlines.push({ type: 'TextRun', text: ` "${sanitizeUntrusted(step.ruleName, 120)}"`, fontType: 'Monospace' });
  const id = step.ruleId ?? step.methodId;
  if (id !== undefined) inlines.push({ type: 'TextRun', text: ` (id ${sanitizeUntrusted(id, 200)})`, isSubtle: true });
  if (step.methodType !== undefined)
    inlines.push({ type: 'TextRun', text: ` ${sanitizeUntrusted(step.methodType, 60)}`, isSubtle: true });
  if (result) {
    const mark = result.ok ? '✔' : '✖';
    const detail = result.reasons.map((r) => REASON_TEXT[r]).join('; ');
    const code = result.errorCode ? ` (${result.errorCode})` : '';
    inlines.push({
      type: 'TextRun',
      text: ` — ${mark} ${detail}${code}`,
      color: result.ok ? 'Good' : 'Attention',
    });
  }
  return { type: 'RichTextBlock', spacing: 'Small', inlines };
}

function status(record: ApprovalRecord, nowMs: number): string {
  const by = record.decision ? who(record.decision.by) : '';
  switch (record.state) {
    case 'pending':
      return nowMs >= record.expiresAt
        ? 'Expired: this request can no longer be approved. Make a new request if it is still needed.'
        : `Waiting for an approver (not the requester). Expires ${formatTime(iso(record.expiresAt), nowMs)}.`;
    case 'approved':
    case 'executing':
      return `Approved by ${by} — running.`;
    case 'rejected':
      return `Rejected by ${by}. Nothing was changed.`;
    case 'expired':
      return 'Expired: nobody decided in time, nothing was changed. Make a new request if it is still needed.';
    case 'done':
      return `Approved by ${by} — done.`;
    case 'failed':
      return `Approved by ${by} — did not complete; see the steps below.`;
  }
}

/** The approval card in every state (pending, decided, running, done/failed, expired). Pure. */
export function approvalRequestCard(record: ApprovalRecord, nowMs: number): AdaptiveCard {
  const t = record.target;
  const flags = [
    t.adminRoles.length > 0 ? 'admin' : 'not an admin',
    t.synced ? 'synced from on-premises' : 'cloud-only',
    t.guest ? 'guest' : 'member',
    t.accountEnabled === false ? 'sign-in blocked' : 'sign-in allowed',
  ].join(' · ');
  const results = record.execution?.results ?? [];
  const body: CardElement[] = [
    heading(`${record.dryRun ? 'DRY RUN — ' : ''}Approval: ${ACTION_TITLES[record.action]}`),
    text(status(record, nowMs), { weight: 'Bolder', color: record.state === 'failed' ? 'Attention' : 'Default' }),
    ...(record.dryRun
      ? [text('Dry run (DRY_RUN=true): the flow runs and is audited, but no Graph write is made.')]
      : []),
    row('Requested by', untrusted(who(record.requester))),
    row('Target', untrusted(t.displayName ?? t.upn, { weight: 'Bolder' })),
    row('UPN', untrusted(t.upn, { monospace: true })),
    row('Object id', untrusted(t.id, { monospace: true })),
    trustedRow('Account', flags),
    ...(t.adminRoles.length > 0 ? [row('Admin roles', untrusted(t.adminRoles.join(', ')))] : []),
    row('Justification', untrusted(record.justification, { maxLength: 500 })),
    trustedRow('Requested', formatTime(iso(record.createdAt), nowMs)),
    trustedRow('Expires', formatTime(iso(record.expiresAt), nowMs)),
    container([text('Steps', { weight: 'Bolder' }), ...record.steps.map((s, i) => stepLine(s, i, results[i]))], {
      spacing: 'Medium',
    }),
    ...record.warnings.map((w) => text(`⚠ ${WARNING_TEXT[w]}`, { color: 'Warning', isSubtle: true })),
    ...(record.execution?.refused ?? []).map((r) => text(REFUSAL_TEXT[r], { color: 'Attention' })),
    ...(record.execution?.interrupted
      ? [
          text(
            'The bot restarted during execution; the outcome was settled by reading the tenant, without writing again.',
          ),
        ]
      : []),
    text(`Request ${record.id} · action hash ${record.hash.slice(0, 12)}…`, { isSubtle: true, size: 'Small' }),
  ];
  const data: DecisionData = { requestId: record.id, hash: record.hash };
  const open = record.state === 'pending' && nowMs < record.expiresAt;
  const actions = open
    ? [
        verbButton('Approve', 'approval.approve', data, { style: 'positive' }),
        verbButton('Reject', 'approval.reject', data, { style: 'destructive' }),
      ]
    : [];
  return {
    ...adaptiveCard(body, actions, `Approval request ${record.id}: ${record.state}`),
    // Manual refresh only (userIds []): every automatic refresh would be an invoke from every viewer.
    refresh: {
      action: { type: 'Action.Execute', verb: 'approval.refresh' satisfies VerbName, data: { ...data } },
      userIds: [],
    },
  };
}
