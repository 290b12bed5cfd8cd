/** `report mfa`: the job record, one row per user, the running totals and what the cards show. */
import type { JobProgress, JobRecord, JobScope, JobState } from '../../jobs/types';
import type { NotUsableReason } from '../mfa-verdict';

/** What a report covers: every user, or a group's transitive user members. */
export type ReportScope = JobScope;

export type ReportState = JobState;

/** The durable record of one report (one runs per tenant); see services/jobs/types.ts. */
export type ReportJob = JobRecord<ReportScope>;

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
export interface ReportProgressView extends JobProgress<ReportScope> {
  usable: number;
  notUsable: number;
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
