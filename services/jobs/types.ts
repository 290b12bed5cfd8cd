/** A tenant-wide background job (the forwarding sweep, `report mfa`): its durable record and what its cards show. */
import type { ConversationRef } from '../messaging/port';

/** What a job covers: every user in the tenant, or a group's transitive user members. */
export type JobScope = { kind: 'all' } | { kind: 'group'; groupId: string };

export type JobState = 'running' | 'cancelled' | 'done' | 'failed';

export interface JobRequester {
  aadObjectId: string;
  name: string | null;
}

/**
 * The first page not yet completely stored: where a resumed run continues. `path` null: every page is stored (the run
 * only has to end). The checkpoint itself is null until the first page is stored; a resumed run then starts from the
 * first page, skipping the users whose rows are already stored.
 */
export interface JobCheckpoint {
  path: string | null;
  seq: number;
}

/** The durable record of one job (one runs per kind and tenant); the runner of the process holding the lease writes it. */
export interface JobRecord<S = JobScope> {
  id: string;
  scope: S;
  requester: JobRequester;
  conversation: ConversationRef;
  progressActivityId: string | null;
  state: JobState;
  startedAt: number;
  finishedAt: number | null;
  /** Users in scope as Graph counted them on the first page (null when Graph gave no count). */
  total: number | null;
  checkpoint: JobCheckpoint | null;
  cancelledBy: string | null;
  /** The error code that stopped it (graph_forbidden …) and the permission Graph named, if any. */
  failure: { code: string; permission: string | null } | null;
}

/** The numbers every progress card shows; a job's own view adds its running counts. */
export interface JobProgress<S = JobScope> {
  jobId: string;
  scope: S;
  state: JobState;
  requesterName: string | null;
  done: number;
  total: number | null;
  ratePerMinute: number | null;
  etaMs: number | null;
  startedAt: number;
  now: number;
}

/** What a start request gets back. */
export type JobStartResult<V> = { kind: 'started'; jobId: string } | { kind: 'already-running'; view: V };

export type JobCancelResult = { kind: 'cancelling' } | { kind: 'not-running' };

/** Starts, cancels and resumes one kind of job: one at a time per tenant (a storage lease). */
export interface BackgroundJob<S, V> {
  start(request: {
    scope: S;
    requester: JobRequester;
    conversation: ConversationRef;
    /** Posts the first progress card in the requesting turn and returns its id (falls back to a proactive send). */
    post?: (card: object) => Promise<{ activityId: string }>;
  }): Promise<JobStartResult<V>>;
  cancel(jobId: string, by: JobRequester): Promise<JobCancelResult>;
  /** Continues a job a stopped or killed process left running (waits while a live instance holds its lease). */
  resumeOnBoot(): Promise<boolean>;
  /** Stops the local run without ending the job (it resumes on the next boot). */
  shutdown(): Promise<void>;
  /** Resolves when the local run (if any) has finished; for tests and shutdown. */
  idle(): Promise<void>;
}
