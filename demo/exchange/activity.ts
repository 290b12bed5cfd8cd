/**
 * Simulated read-only activity cmdlets: `Get-MobileDevice` (ActiveSync / Outlook partnerships of a mailbox),
 * `Get-MessageTraceV2` (10 days per query, 90 days back, at most 5000 rows, continued with StartingRecipientAddress +
 * EndDate, newest first) and `Search-UnifiedAuditLog` (the ExchangeAdmin records).
 */
import type { HandlerContext } from '../http/types';
import type { GraphObject } from '../state';
import type { Cmdlet, CmdletResult } from './cmdlets';
import { findMailbox, objectNotFound, parameterError } from './recipients';
import { exchangeSim, type MessageTraceRow } from './state';

const DAY = 24 * 3600_000;
/** Get-MessageTraceV2's bounds (learn.microsoft.com/powershell/module/exchange/get-messagetracev2). */
export const TRACE_MAX_DAYS_PER_QUERY = 10;
export const TRACE_HISTORY_DAYS = 90;
export const TRACE_MAX_RESULT_SIZE = 5000;
const TRACE_DEFAULT_RESULT_SIZE = 1000;

function date(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function addresses(value: unknown): string[] | null {
  if (value === undefined) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
}

const getMobileDevice: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Mailbox ?? p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Mailbox ?? p.Identity);
  const sim = exchangeSim(ctx.state);
  const blocked = new Set((sim.activeSyncBlocked.get(mailbox.id) ?? []).map((id) => id.toLowerCase()));
  // A device id on the mailbox's ActiveSyncBlockedDeviceIDs shows as blocked individually.
  const items = (sim.mobileDevices.get(mailbox.id) ?? []).map((d) =>
    typeof d.DeviceId === 'string' && blocked.has(d.DeviceId.toLowerCase())
      ? { ...d, DeviceAccessState: 'Blocked', DeviceAccessStateReason: 'Individual' }
      : d,
  );
  return { ok: true, items };
};

function traceWindow(ctx: HandlerContext, p: Record<string, unknown>): { from: number; to: number } | CmdletResult {
  const now = ctx.now();
  const to = p.EndDate === undefined ? now : date(p.EndDate);
  const from = p.StartDate === undefined ? now - 2 * DAY : date(p.StartDate);
  if (to === null || from === null) return parameterError(ctx, "Cannot bind parameter 'StartDate' or 'EndDate'.");
  if (to - from > TRACE_MAX_DAYS_PER_QUERY * DAY)
    return parameterError(ctx, `You can only query ${TRACE_MAX_DAYS_PER_QUERY} days of data per query.`);
  if (from < now - TRACE_HISTORY_DAYS * DAY)
    return parameterError(ctx, `The StartDate can't be older than ${TRACE_HISTORY_DAYS} days from today.`);
  return { from, to };
}

/** Newest first; rows of one instant by recipient, so StartingRecipientAddress continues inside an instant. */
function traceOrder(a: MessageTraceRow, b: MessageTraceRow): number {
  const t = Date.parse(b.Received) - Date.parse(a.Received);
  return t !== 0 ? t : a.RecipientAddress.localeCompare(b.RecipientAddress);
}

const getMessageTraceV2: Cmdlet = (ctx, p) => {
  const window = traceWindow(ctx, p);
  if ('ok' in window) return window;
  const size = p.ResultSize === undefined ? TRACE_DEFAULT_RESULT_SIZE : Number(p.ResultSize);
  if (!Number.isInteger(size) || size < 1 || size > TRACE_MAX_RESULT_SIZE)
    return parameterError(ctx, `The ResultSize must be between 1 and ${TRACE_MAX_RESULT_SIZE}.`);
  const senders = addresses(p.SenderAddress);
  const recipients = addresses(p.RecipientAddress);
  const starting = typeof p.StartingRecipientAddress === 'string' ? p.StartingRecipientAddress.toLowerCase() : null;
  const rows = exchangeSim(ctx.state)
    .messageTrace.filter((r) => {
      const at = Date.parse(r.Received);
      if (at < window.from || at > window.to) return false;
      // Continuing: rows at the EndDate instant come after the starting recipient (the previous page's last row).
      if (starting !== null && at === window.to && r.RecipientAddress.toLowerCase() <= starting) return false;
      if (senders && !senders.includes(r.SenderAddress.toLowerCase())) return false;
      if (recipients && !recipients.includes(r.RecipientAddress.toLowerCase())) return false;
      return true;
    })
    .sort(traceOrder)
    .slice(0, size);
  return { ok: true, items: rows.map((r) => ({ ...r })) };
};

interface AuditView {
  record: GraphObject;
  at: number;
  operation: string;
  data: { ObjectId?: string; Parameters?: { Name: string; Value: string }[]; UserId?: string };
}

const searchUnifiedAuditLog: Cmdlet = (ctx, p) => {
  const from = date(p.StartDate);
  const to = date(p.EndDate);
  if (from === null || to === null) return parameterError(ctx, 'StartDate and EndDate are required.');
  const recordType = typeof p.RecordType === 'string' ? p.RecordType : null;
  const ops = addresses(p.Operations);
  const objectIds = addresses(p.ObjectIds);
  const size = p.ResultSize === undefined ? 100 : Number(p.ResultSize);
  if (!Number.isInteger(size) || size < 1 || size > 5000)
    return parameterError(ctx, 'The ResultSize must be between 1 and 5000.');
  const views: AuditView[] = exchangeSim(ctx.state).adminAudit.map((record) => ({
    record,
    at: Date.parse(String(record.CreationDate)),
    operation: String(record.Operations),
    data: JSON.parse(String(record.AuditData)) as AuditView['data'],
  }));
  const items = views
    .filter(
      (v) =>
        v.at >= from &&
        v.at <= to &&
        (recordType === null || v.record.RecordType === recordType) &&
        (!ops || ops.includes(v.operation.toLowerCase())) &&
        (!objectIds || objectIds.includes((v.data.ObjectId ?? '').toLowerCase())),
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, size);
  return {
    ok: true,
    items: items.map((v, i) => ({ ...v.record, ResultIndex: i + 1, ResultCount: items.length })),
  };
};

export const ACTIVITY_CMDLETS: Readonly<Record<string, Cmdlet>> = {
  'Get-MobileDevice': getMobileDevice,
  'Get-MessageTraceV2': getMessageTraceV2,
  'Search-UnifiedAuditLog': searchUnifiedAuditLog,
};
