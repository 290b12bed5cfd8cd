/**
 * Mail sent to outsiders (issue 13, section 3b): the user's sent messages in the window from `Get-MessageTraceV2`
 * (10 days per query, 90 days back, at most 5000 rows per query, continued with StartingRecipientAddress + EndDate),
 * external recipients grouped by domain with first and last time — "what left, and to whom". Pure grouping.
 */
import { z } from 'zod';
import { classifyAddress } from '../mailbox/domains';
import type { ExchangeAdminApi } from './admin-api';
import type { ExchangeTimelineEvent } from './section';

/** Get-MessageTraceV2's limits (learn.microsoft.com/powershell/module/exchange/get-messagetracev2). */
export const TRACE_DAYS_PER_QUERY = 10;
export const TRACE_RESULT_SIZE = 5000;
/** Continuation queries per 10-day slice before the report says it is incomplete. */
export const TRACE_MAX_ROUNDS = 4;
const DAY = 24 * 3600_000;

export interface TraceRow {
  received: string;
  recipient: string;
  status: string;
  messageTraceId: string | null;
}

export interface TraceRead {
  rows: TraceRow[];
  /** Stopped at TRACE_MAX_ROUNDS: there may be more. */
  truncated: boolean;
}

export interface OutboundDomain {
  domain: string;
  /** A look-alike of one of the tenant's domains. */
  lookalikeOf: string | null;
  messages: number;
  failed: number;
  recipients: string[];
  first: string;
  last: string;
  /** Mail went there after the first suspicious sign-in. */
  afterSuspicious: boolean;
  /** Nothing went there earlier in the window, before the first suspicious sign-in. */
  newDomain: boolean;
  suspicious: boolean;
}

export interface OutboundMailReport {
  domains: OutboundDomain[];
  /** Rows (message × recipient) in the window, internal ones included. */
  total: number;
  external: number;
  truncated: boolean;
}

const rowSchema = z.looseObject({
  Received: z.string(),
  RecipientAddress: z.string(),
  Status: z.string().nullable().optional(),
  MessageTraceId: z.string().nullable().optional(),
});

const iso = (text: string): string | null => {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

/** What `sender` sent in the window: 10-day slices, each continued until a page is short or the rounds run out. */
export async function readSentMail(
  api: ExchangeAdminApi,
  sender: string,
  window: { from: number; to: number },
): Promise<TraceRead> {
  const rows: TraceRow[] = [];
  const seen = new Set<string>();
  let truncated = false;
  for (let sliceEnd = window.to; sliceEnd > window.from; sliceEnd -= TRACE_DAYS_PER_QUERY * DAY) {
    const sliceStart = Math.max(window.from, sliceEnd - TRACE_DAYS_PER_QUERY * DAY);
    let end = new Date(sliceEnd).toISOString();
    let starting: string | null = null;
    for (let round = 0; ; round++) {
      if (round >= TRACE_MAX_ROUNDS) {
        truncated = true;
        break;
      }
      const page: z.infer<typeof rowSchema>[] = await api.invoke({
        cmdlet: 'Get-MessageTraceV2',
        parameters: {
          SenderAddress: sender,
          StartDate: new Date(sliceStart).toISOString(),
          EndDate: end,
          ResultSize: TRACE_RESULT_SIZE,
          ...(starting ? { StartingRecipientAddress: starting } : {}),
        },
        schema: rowSchema,
      });
      for (const r of page) {
        const received = iso(r.Received);
        if (!received) continue;
        const key = `${r.MessageTraceId ?? received}|${r.RecipientAddress.toLowerCase()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({
          received,
          recipient: r.RecipientAddress,
          status: r.Status ?? 'Unknown',
          messageTraceId: r.MessageTraceId ?? null,
        });
      }
      const last: z.infer<typeof rowSchema> | undefined = page[page.length - 1];
      if (page.length < TRACE_RESULT_SIZE || !last) break;
      end = last.Received;
      starting = last.RecipientAddress;
    }
  }
  return { rows, truncated };
}

/** External recipients grouped by domain; suspicious: a domain first written to after the suspicious sign-in. */
export function summarizeOutbound(
  read: TraceRead,
  opts: { acceptedDomains: readonly string[]; suspiciousSince: number | null },
): OutboundMailReport {
  const groups = new Map<string, { lookalikeOf: string | null; rows: TraceRow[] }>();
  let external = 0;
  for (const row of read.rows) {
    const cls = classifyAddress(row.recipient, opts.acceptedDomains);
    if ((cls.kind !== 'external' && cls.kind !== 'lookalike') || cls.domain === null) continue;
    external++;
    const group = groups.get(cls.domain) ?? { lookalikeOf: cls.lookalikeOf ?? null, rows: [] };
    group.rows.push(row);
    groups.set(cls.domain, group);
  }
  const domains = [...groups.entries()].map(([domain, g]): OutboundDomain => {
    const times = g.rows.map((r) => Date.parse(r.received)).sort((a, b) => a - b);
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? 0;
    const since = opts.suspiciousSince;
    const afterSuspicious = since !== null && last >= since;
    const newDomain = since !== null && first >= since;
    return {
      domain,
      lookalikeOf: g.lookalikeOf,
      messages: new Set(g.rows.map((r) => r.messageTraceId ?? r.received)).size,
      failed: g.rows.filter((r) => r.status.toLowerCase() === 'failed').length,
      recipients: [...new Set(g.rows.map((r) => r.recipient.toLowerCase()))].sort(),
      first: new Date(first).toISOString(),
      last: new Date(last).toISOString(),
      afterSuspicious,
      newDomain,
      suspicious: (afterSuspicious && newDomain) || g.lookalikeOf !== null,
    };
  });
  domains.sort((a, b) => Number(b.suspicious) - Number(a.suspicious) || Date.parse(b.last) - Date.parse(a.last));
  return { domains, total: read.rows.length, external, truncated: read.truncated };
}

/** The first message to each external domain, as timeline events. */
export function outboundEvents(report: OutboundMailReport): ExchangeTimelineEvent[] {
  return report.domains.map((d) => ({
    at: d.first,
    section: 'mail-sent' as const,
    what: `Mail sent to an outside domain (${d.messages} message${d.messages === 1 ? '' : 's'}, ${d.recipients.length} recipient${d.recipients.length === 1 ? '' : 's'})`,
    detail: d.domain,
    suspicious: d.suspicious,
  }));
}
