/** `report mfa`: the job record, one row per user, the running totals and what the cards show. */
import type { ConversationRef } from '../../messaging/port';
import type { NotUsableReason } from '../mfa-verdict';

/** What a report covers: every user, or a group's transitive user members. */
export type ReportScope = { kind: 'all' } | { kind: 'group'; groupId: string };

export type ReportState = 'running' | 'cancelled' | 'done' | 'failed';

/** The durable record of one report (one runs per tenant); the runner is its only writer. */
export interface ReportJob {
  id: string;
  scope: ReportScope;
  requester: { aadObjectId: string; name: string | null };
  conversation: ConversationRef;
  progressActivityId: string | null;
  state: ReportState;
  startedAt: number;
  finishedAt: number | null;
  /** Users in scope as Graph counted them on the first page (null when Graph gave no count). */
  total: number | null;
  /** The first users page not yet completely recorded: where a restarted process continues. */
  checkpoint: { path: string; seq: number } | null;
  cancelledBy: string | null;
  /** The error code that stopped it (graph_forbidden …) and the permission Graph named, if any. */
  failure: { code: string; permission: string | null } | null;
}

/** The four verdicts of `mfa`, plus the users counted apart and those that could not be read. */
export type UserCategory =
  'usable' | 'registered-not-usable' | 'not-registered' | 'cant-tell' | 'guest' | 'disabled' | 'unlicensed' | 'error';

export const VERDICT_CATEGORIES = ['usable', 'registered-not-usable', 'not-registered', 'cant-tell'] as const;
export const APART_CATEGORIES = ['guest', 'disabled', 'unlicensed'] as const;
export const ALL_CATEGORIES: readonly UserCategory[] = [...VERDICT_CATEGORIES, ...APART_CATEGORIES, 'error'];

/** The method types of the bar chart (phone is judged once per configuration: SMS and voice). */
export const CHART_METHODS = ['authenticatorPush', 'fido2', 'sms', 'voice', 'oath', 'windowsHello', 'tap'] as const;
export type ChartMethod = (typeof CHART_METHODS)[number];

/** Per method type a user has: usable, not usable, or can't tell. */
export type MethodMark = 'u' | 'n' | 'c';

/** Exactly one per user in scope; stored in chunks, read back for totals after a restart and for the CSV. */
export interface ReportRow {
  id: string;
  upn: string;
  name: string | null;
  category: UserCategory;
  admin: boolean;
  reasons: NotUsableReason[];
  methods: Partial<Record<ChartMethod, MethodMark>>;
  /** Targeted by an enabled Conditional Access policy that requires MFA (null: counted apart or unreadable). */
  caTargeted: boolean | null;
  error?: string;
}

/** A not-usable user the result card lists. */
export interface ListedUser {
  id: string;
  upn: string;
  name: string | null;
  category: UserCategory;
  reasons: NotUsableReason[];
}

/** Running totals: what the progress and result cards show. */
export interface ReportCounters {
  done: number;
  byCategory: Record<UserCategory, number>;
  byMethod: Record<ChartMethod, { usable: number; notUsable: number; cantTell: number }>;
  /** Judged users an MFA-requiring CA policy targets, and those of them with no usable method. */
  caTargeted: number;
  caWouldFail: number;
  adminsNotUsable: number;
  /** Admins whose MFA is not usable (first on the card), bounded; then the other not-usable users, bounded. */
  admins: ListedUser[];
  others: ListedUser[];
}

/** What the progress card shows. */
export interface ReportProgressView {
  jobId: string;
  scope: ReportScope;
  state: ReportState;
  requesterName: string | null;
  done: number;
  total: number | null;
  usable: number;
  notUsable: number;
  ratePerMinute: number | null;
  etaMs: number | null;
  startedAt: number;
  now: number;
}

/** What the result card shows at the end. */
export interface ReportResultView extends ReportProgressView {
  byCategory: Record<UserCategory, number>;
  byMethod: ReportCounters['byMethod'];
  caTargeted: number;
  caWouldFail: number;
  adminsNotUsable: number;
  admins: ListedUser[];
  others: ListedUser[];
  /** Where the audit evidence starts (retention, or the mirror's start). */
  evidenceFrom: string | null;
  failure: ReportJob['failure'];
  cancelledBy: string | null;
  csvUrl: string | null;
}

/** Builds the card JSON (cards/ implements it; services cannot import it). */
export interface ReportCards {
  progress(view: ReportProgressView): object;
  result(view: ReportResultView): object;
}
