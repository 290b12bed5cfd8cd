import type { VerbName } from '../bot/commands/table';
import type { ApprovalRecord, PlannedStep, StepResult } from '../services/approvals/types';
import type { PersistenceItem } from '../services/identity/persistence';
import { restorableMethod } from '../services/approvals/restore-steps';
import { NOT_UNDOABLE, REASON_TEXT, STEP_LABELS, WARNING_TEXT, REFUSAL_TEXT } from './approval-text';
import type { DecisionData } from './approval-verbs';
import { adaptiveCard, container, heading, row, runs, text, untrusted, verbButton } from './elements';
import type { AdaptiveCard, CardElement, Part } from './elements';
import { formatTime, joinOwn, own } from './text';

const ACTION_TITLES = {
  revoke: 'Revoke sign-in sessions',
  disable: 'Block sign-in',
  enable: 'Restore sign-in',
  'reset-password': 'Reset password',
  'remove-method': 'Remove an authentication method',
  tap: 'Issue a Temporary Access Pass',
  'disable-rule': 'Disable an inbox rule',
  'enable-rule': 'Re-enable an inbox rule',
  'revoke-grant': "Revoke an app's access to the user's data",
  'remove-delegate': 'Remove a mailbox delegate',
  'disable-device': 'Disable a device',
  'enable-device': 'Enable a device again',
  'restore-grant': "Undo: give an app its access to the user's data again",
  'restore-app-role': 'Undo: assign an app role to the user again',
  'restore-method': 'Undo: register an authentication method again',
  'restore-delegate': 'Undo: give a mailbox permission back',
  'block-mobile-device': "Block a mobile device's mail sync (ActiveSync)",
  'unblock-mobile-device': 'Unblock a mobile device (the undo of the block)',
  contain: 'Contain a compromised account',
} as const satisfies Record<ApprovalRecord['action'], string>;

function who(person: { name: string | null; aadObjectId: string }): string {
  return person.name ?? person.aadObjectId;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A step line: our label, then the untrusted ids/names as TextRuns (never markdown). */
function stepLine(step: PlannedStep, index: number, result?: StepResult): CardElement {
  const parts: Part[] = [own`${index + 1}. ${STEP_LABELS[step.kind]}`];
  if (step.ruleName !== undefined)
    parts.push(
      { text: own` "`, mono: true },
      { text: step.ruleName, mono: true, max: 120 },
      { text: own`"`, mono: true },
    );
  const id = step.ruleId ?? step.methodId;
  if (id !== undefined)
    parts.push({ text: own` (id `, subtle: true }, { text: id, subtle: true }, { text: own`)`, subtle: true });
  if (step.methodType !== undefined)
    parts.push({ text: own` `, subtle: true }, { text: step.methodType, subtle: true, max: 60 });
  if (step.item) parts.push(...itemParts(step.item));
  if (step.restore?.kind === 'method') {
    const what = step.restore.phoneNumber ?? step.restore.emailAddress;
    if (what) parts.push({ text: own` — ` }, { text: what, mono: true, max: 120 });
    if (step.restore.phoneType) parts.push({ text: own` as ` }, { text: step.restore.phoneType, max: 40 });
  }
  if (step.undoOf !== undefined)
    parts.push(
      { text: own` (undoes request `, subtle: true },
      { text: step.undoOf, subtle: true },
      { text: own`)`, subtle: true },
    );
  if (result) {
    const detail = joinOwn(
      result.reasons.map((r) => own(REASON_TEXT[r])),
      own`; `,
    );
    const color = result.ok ? 'Good' : 'Attention';
    parts.push({ text: own` — ${result.ok ? '✔' : '✖'} ${detail}`, color });
    if (result.errorCode)
      parts.push({ text: own` (`, color }, { text: result.errorCode, color }, { text: own`)`, color });
  }
  return runs(parts, { spacing: 'Small' });
}

/** What an item of persistence is, as the approver must see it: every name and id as a TextRun. */
function itemParts(item: PersistenceItem): Part[] {
  const quoted = (value: string, max = 120): Part[] => [
    { text: own` "`, mono: true },
    { text: value, mono: true, max },
    { text: own`"`, mono: true },
  ];
  const id = (value: string): Part[] => [
    { text: own` (id `, subtle: true },
    { text: value, subtle: true },
    { text: own`)`, subtle: true },
  ];
  switch (item.kind) {
    case 'grant':
      return [
        ...quoted(item.app),
        ...id(item.id),
        { text: own` scopes: ` },
        { text: item.scopes.join(' '), mono: true, max: 300 },
      ];
    case 'app-role-assignment':
      return [...quoted(item.app), ...id(item.id)];
    case 'delegate':
      return [
        { text: own` ` },
        { text: item.right, bold: true, max: 20 },
        { text: own` held by` },
        ...quoted(item.delegate),
      ];
    case 'device':
      return [...quoted(item.name), ...id(item.id)];
    case 'method':
      return [{ text: own` — ` }, { text: item.label, max: 120 }];
    case 'mobile-device':
      return [
        ...quoted(item.name),
        { text: own` (device id `, subtle: true },
        { text: item.deviceId, subtle: true },
        { text: own`)`, subtle: true },
      ];
    case 'app-credential':
      return [
        { text: own` ${item.credential === 'password' ? 'client secret' : 'certificate'} on app` },
        ...quoted(item.app),
        { text: own` (key id `, subtle: true },
        { text: item.keyId, subtle: true },
        { text: own`, app `, subtle: true },
        { text: item.appObjectId, subtle: true },
        { text: own`)`, subtle: true },
      ];
  }
}

/** The undo command of one applied step, or why Graph leaves nothing for the bot to undo (null: nothing to say). */
function undoOf(
  record: ApprovalRecord,
  r: StepResult,
): { command: string } | { not: keyof typeof NOT_UNDOABLE } | null {
  const upn = record.target.upn;
  const item = r.step.item;
  const before = r.before?.item;
  switch (r.step.kind) {
    case 'disable-device':
      return item?.kind === 'device' ? { command: `enable-device ${upn} ${item.id} <justification>` } : null;
    case 'revoke-grant':
    case 'remove-app-role':
      if (item?.kind === 'grant' && before?.kind === 'grant')
        return { command: `restore-grant ${upn} ${record.id} ${item.id} <justification>` };
      if (item?.kind === 'app-role-assignment' && before?.kind === 'app-role-assignment')
        return { command: `restore-app-role ${upn} ${record.id} ${item.id} <justification>` };
      return null;
    case 'block-mobile-device':
      return item?.kind === 'mobile-device'
        ? { command: `unblock-mobile-device ${upn} ${item.deviceId} <justification>` }
        : null;
    case 'remove-method':
      if (before && restorableMethod(before) !== null)
        return { command: `restore-method ${upn} ${record.id} ${r.step.methodId ?? ''} <justification>` };
      return { not: 'method' };
    case 'remove-app-credential':
      return { not: item?.kind === 'app-credential' && item.credential === 'key' ? 'certificate' : 'secret' };
    case 'remove-delegate':
      return item?.kind === 'delegate' && before?.kind === 'delegate'
        ? { command: `restore-delegate ${upn} ${record.id} ${item.delegate} <justification>` }
        : null;
    default:
      return null;
  }
}

/** How to undo what a finished request changed, where Graph allows it (the before-state is in the audit either way). */
function undoLines(record: ApprovalRecord): CardElement[] {
  const small = { subtle: true, small: true } as const;
  const seen = new Set<string>();
  return (record.execution?.results ?? []).flatMap((r, i): CardElement[] => {
    if (!r.ok || !r.reasons.includes('applied')) return [];
    const undo = undoOf(record, r);
    if (!undo) return [];
    if ('command' in undo) {
      // One restore-delegate gives back every right the request took from that delegate: one line for them.
      if (seen.has(undo.command)) return [];
      seen.add(undo.command);
      return [runs([own`Undo step ${i + 1}: `, { text: undo.command, mono: true, max: 400 }], small)];
    }
    return [runs([own`Step ${i + 1} cannot be undone: `, own(NOT_UNDOABLE[undo.not])], small)];
  });
}

/** The state line; the decider's name is a Graph/Teams string, so it is a TextRun like every other name. */
function status(record: ApprovalRecord, nowMs: number): CardElement {
  const by = record.decision ? who(record.decision.by) : '';
  const line = (...parts: Part[]): CardElement =>
    runs(parts, { bold: true, color: record.state === 'failed' ? 'Attention' : 'Default' });
  switch (record.state) {
    case 'pending':
      return nowMs >= record.expiresAt
        ? line(own('Expired: this request can no longer be approved. Make a new request if it is still needed.'))
        : line(own`Waiting for an approver (not the requester). Expires ${formatTime(iso(record.expiresAt), nowMs)}.`);
    case 'approved':
    case 'executing':
      return line(own`Approved by `, by, own` — running.`);
    case 'rejected':
      return line(own`Rejected by `, by, own`. Nothing was changed.`);
    case 'expired':
      return line(
        own('Expired: nobody decided in time, nothing was changed. Make a new request if it is still needed.'),
      );
    case 'done':
      return line(own`Approved by `, by, own` — done.`);
    case 'failed':
      return line(own`Approved by `, by, own` — did not complete; see the steps below.`);
  }
}

/** The approval card in every state (pending, decided, running, done/failed, expired). Pure. */
export function approvalRequestCard(record: ApprovalRecord, nowMs: number): AdaptiveCard {
  const t = record.target;
  const flags = own`${t.adminRoles.length > 0 ? 'admin' : 'not an admin'} · ${t.synced ? 'synced from on-premises' : 'cloud-only'} · ${t.guest ? 'guest' : 'member'} · ${t.accountEnabled === false ? 'sign-in blocked' : 'sign-in allowed'}`;
  const results = record.execution?.results ?? [];
  const body: CardElement[] = [
    heading(own`${record.dryRun ? 'DRY RUN — ' : ''}Approval: ${ACTION_TITLES[record.action]}`),
    status(record, nowMs),
    ...(record.dryRun
      ? [text(own('Dry run (DRY_RUN=true): the flow runs and is audited, but no Graph write is made.'))]
      : []),
    row(own('Requested by'), who(record.requester)),
    row(own('Target'), untrusted(t.displayName ?? t.upn, { bold: true })),
    row(own('UPN'), untrusted(t.upn, { mono: true })),
    row(own('Object id'), untrusted(t.id, { mono: true })),
    row(own('Account'), flags),
    ...(t.adminRoles.length > 0 ? [row(own('Admin roles'), t.adminRoles.join(', '))] : []),
    row(own('Justification'), untrusted(record.justification, { max: 500 })),
    row(own('Requested'), formatTime(iso(record.createdAt), nowMs)),
    row(own('Expires'), formatTime(iso(record.expiresAt), nowMs)),
    container([text(own('Steps'), { weight: 'Bolder' }), ...record.steps.map((s, i) => stepLine(s, i, results[i]))], {
      spacing: 'Medium',
    }),
    ...undoLines(record),
    ...record.warnings.map((w) => text(own`⚠ ${WARNING_TEXT[w]}`, { color: 'Warning', isSubtle: true })),
    ...(record.execution?.refused ?? []).map((r) => text(own(REFUSAL_TEXT[r]), { color: 'Attention' })),
    ...(record.execution?.interrupted
      ? [
          text(
            own(
              'The bot restarted during execution; the outcome was settled by reading the tenant, without writing again.',
            ),
          ),
        ]
      : []),
    runs([own`Request `, record.id, own` · action hash `, `${record.hash.slice(0, 12)}…`], {
      subtle: true,
      small: true,
    }),
  ];
  // Buttons carry only the request id and hash; who clicks comes from the authenticated activity.
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
