/** Storage layout and running totals of `report mfa`. Rows are written in chunks (one row per user), by page. */
import type { Storage } from '../../storage/port';
import {
  ALL_CATEGORIES,
  CHART_METHODS,
  type ListedUser,
  type ReportCounters,
  type ReportJob,
  type ReportRow,
  type UserCategory,
} from './types';

export const REPORT_LEASE_KEY = 'mfa-report/lease';
export const REPORT_ACTIVE_KEY = 'mfa-report/active';
export const reportJobKey = (jobId: string): string => `mfa-report/job/${jobId}`;
export const reportCancelKey = (jobId: string): string => `mfa-report/cancel/${jobId}`;
const rowPrefix = (jobId: string): string => `mfa-report/rows/${jobId}/`;
const pad = (n: number, width: number): string => n.toString().padStart(width, '0');
export const reportChunkKey = (jobId: string, pageSeq: number, chunkSeq: number): string =>
  `${rowPrefix(jobId)}${pad(pageSeq, 8)}/${pad(chunkSeq, 6)}`;

export interface ReportChunk {
  page: number;
  rows: ReportRow[];
}

/** How many admins and other users the result card lists. */
export const LISTED_ADMINS = 30;
export const LISTED_OTHERS = 20;

export function emptyReportCounters(): ReportCounters {
  const byCategory = Object.fromEntries(ALL_CATEGORIES.map((c) => [c, 0])) as Record<UserCategory, number>;
  const byMethod = Object.fromEntries(
    CHART_METHODS.map((m) => [m, { usable: 0, notUsable: 0, cantTell: 0 }]),
  ) as ReportCounters['byMethod'];
  return {
    done: 0,
    byCategory,
    byMethod,
    caTargeted: 0,
    caWouldFail: 0,
    adminsNotUsable: 0,
    admins: [],
    others: [],
  };
}

const NOT_USABLE = new Set<UserCategory>(['registered-not-usable', 'not-registered']);
// Registered but not usable first (they believe they are covered), then not registered; then by UPN.
const LIST_RANK: Partial<Record<UserCategory, number>> = { 'registered-not-usable': 0, 'not-registered': 1 };

function listOrder(a: ListedUser, b: ListedUser): number {
  return (LIST_RANK[a.category] ?? 2) - (LIST_RANK[b.category] ?? 2) || a.upn.localeCompare(b.upn);
}

/** Keeps the first `max` users in list order (bounded: a sorted insert, the tail dropped). */
function keep(list: ListedUser[], user: ListedUser, max: number): void {
  if (list.length >= max && listOrder(user, list[list.length - 1] as ListedUser) >= 0) return;
  let at = list.findIndex((u) => listOrder(user, u) < 0);
  if (at < 0) at = list.length;
  list.splice(at, 0, user);
  if (list.length > max) list.pop();
}

/** Adds one user's row to the running totals. */
export function countRow(c: ReportCounters, row: ReportRow): void {
  c.done += 1;
  c.byCategory[row.category] += 1;
  for (const type of CHART_METHODS) {
    const mark = row.methods[type];
    if (mark === 'u') c.byMethod[type].usable += 1;
    else if (mark === 'n') c.byMethod[type].notUsable += 1;
    else if (mark === 'c') c.byMethod[type].cantTell += 1;
  }
  const notUsable = NOT_USABLE.has(row.category);
  if (row.caTargeted) {
    c.caTargeted += 1;
    if (notUsable) c.caWouldFail += 1;
  }
  if (!notUsable) return;
  const listed: ListedUser = { id: row.id, upn: row.upn, name: row.name, category: row.category, reasons: row.reasons };
  if (row.admin) {
    c.adminsNotUsable += 1;
    keep(c.admins, listed, LISTED_ADMINS);
  } else keep(c.others, listed, LISTED_OTHERS);
}

/** Chunks in key order (page, then chunk), a bounded page of chunks at a time; `fromPage` skips earlier pages. */
export async function* readReportChunks(
  storage: Storage,
  jobId: string,
  fromPage = 0,
): AsyncGenerator<{ key: string; chunk: ReportChunk }, void, undefined> {
  let after: string | undefined = fromPage > 0 ? `${rowPrefix(jobId)}${pad(fromPage - 1, 8)}/~` : undefined;
  for (;;) {
    const items = await storage.list<ReportChunk>(rowPrefix(jobId), { limit: 200, ...(after ? { after } : {}) });
    if (items.length === 0) return;
    for (const item of items) yield { key: item.key, chunk: item.value };
    after = items[items.length - 1]?.key;
  }
}

/** Recounts every stored row (a resumed report starts from exact totals). */
export async function recountReport(storage: Storage, jobId: string): Promise<ReportCounters> {
  const counters = emptyReportCounters();
  for await (const { chunk } of readReportChunks(storage, jobId)) for (const row of chunk.rows) countRow(counters, row);
  return counters;
}

export async function readReportJob(storage: Storage, jobId: string): Promise<ReportJob | undefined> {
  return (await storage.get<ReportJob>(reportJobKey(jobId)))?.value;
}
