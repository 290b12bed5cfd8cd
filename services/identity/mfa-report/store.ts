/** Storage layout and running totals of `report mfa`. Rows are written in chunks (one row per user), by page. */
import { jobKeys, readJobRecord, readResultChunks, type ResultChunk } from '../../jobs/store';
import type { Storage } from '../../storage/port';
import {
  ALL_CATEGORIES,
  CHART_METHODS,
  type ListedUser,
  type ReportCounters,
  type ReportJob,
  type ReportRow,
  type ReportScope,
  type UserCategory,
} from './types';

/** Storage layout of `report mfa` (services/jobs/store.ts). */
export const REPORT_KEYS = jobKeys('mfa-report', 'rows');

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

/** The rows of a report in key order (page, then chunk). */
export function readReportChunks(
  storage: Storage,
  jobId: string,
): AsyncGenerator<{ key: string; chunk: ResultChunk<ReportRow> }, void, undefined> {
  return readResultChunks<ReportRow>(storage, REPORT_KEYS, jobId);
}

export function readReportJob(storage: Storage, jobId: string): Promise<ReportJob | undefined> {
  return readJobRecord<ReportScope>(storage, REPORT_KEYS, jobId);
}

export const reportCounting = { empty: emptyReportCounters, count: countRow };
