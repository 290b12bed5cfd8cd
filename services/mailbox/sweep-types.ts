import type { JobProgress, JobRecord, JobScope, JobState } from '../jobs/types';
import type { Severity } from './rule-verdict';

/** What a sweep covers: every user with mail, or a group's transitive members. */
export type SweepScope = JobScope;

export type SweepState = JobState;

/** The durable record of a sweep (one per job); see services/jobs/types.ts. */
export type SweepJob = JobRecord<SweepScope>;

/** One mailbox's finding, flattened for storage and the CSV. */
export interface FindingRow {
  severity: Severity;
  /** forward-external, forward-lookalike, forward-internal, delete, permanent-delete, hide, move, mark-read, rule-error, mailbox-forward… */
  what: string;
  ruleId: string | null;
  ruleName: string | null;
  enabled: boolean;
  target: string;
  /** External (and look-alike) recipient domains, for the summary's top list. */
  domains: string[];
}

/** Exactly one per user in scope. `no-mail`: no mail address, not read; `no-mailbox`: no Exchange licence. */
export interface ResultRow {
  id: string;
  upn: string;
  status: 'ok' | 'no-mail' | 'no-mailbox' | 'error';
  severity: Severity;
  findings?: FindingRow[];
  error?: string;
}

/** Running totals shown on the progress card and the summary. */
export interface SweepCounters {
  done: number;
  mailboxes: number;
  noMailbox: number;
  errors: number;
  flaggedMailboxes: number;
  findingsBySeverity: Record<Exclude<Severity, 'none'>, number>;
  /** External domains by number of findings, capped (see sweep-store). */
  domains: Map<string, number>;
}

/** What the progress card shows. */
export interface SweepProgressView extends JobProgress<SweepScope> {
  findings: number;
  flaggedMailboxes: number;
}

/** What the summary card shows at the end. */
export interface SweepSummaryView extends SweepProgressView {
  mailboxes: number;
  noMailbox: number;
  errors: number;
  findingsBySeverity: Record<Exclude<Severity, 'none'>, number>;
  topDomains: { domain: string; findings: number }[];
  mailboxForwardingChecked: boolean;
  failure: SweepJob['failure'];
  cancelledBy: string | null;
  csvUrl: string | null;
}

/** Builds the card JSON for the progress and summary messages (cards/ implements it; services cannot import it). */
export interface SweepCards {
  progress(view: SweepProgressView): object;
  summary(view: SweepSummaryView): object;
}
