import type { GraphClient } from '../graph/client';
import { createBackgroundJob, type BackgroundJobDeps } from '../jobs/background-job';
import type { BackgroundJob, JobCancelResult, JobStartResult } from '../jobs/types';
import type { MailboxForwardingReader } from './exchange-admin';
import { progressView, summaryView } from './sweep-report';
import { runSweep, sweepCounting } from './sweep-runner';
import { SWEEP_KEYS } from './sweep-store';
import type { SweepCards, SweepProgressView, SweepScope } from './sweep-types';

export interface SweeperDeps extends BackgroundJobDeps<SweepScope> {
  graph: GraphClient;
  cards: SweepCards;
  exchange?: MailboxForwardingReader;
  concurrency?: number;
  chunkSize?: number;
}

/** What a sweep request gets back. */
export type StartResult = JobStartResult<SweepProgressView>;

export type CancelResult = JobCancelResult;

/** Starts, cancels and resumes tenant-wide forwarding sweeps; one at a time per tenant (services/jobs). */
export type Sweeper = BackgroundJob<SweepScope, SweepProgressView>;

export function createSweeper(deps: SweeperDeps): Sweeper {
  return createBackgroundJob(deps, {
    name: 'sweep',
    keys: SWEEP_KEYS,
    counting: sweepCounting,
    extra: () => ({ mailboxForwardingChecked: false }),
    run: (job, signal, onState, logger) =>
      runSweep(
        {
          graph: deps.graph,
          storage: deps.storage,
          clock: deps.clock,
          logger,
          ...(deps.exchange ? { exchange: deps.exchange } : {}),
          concurrency: deps.concurrency ?? 16,
          chunkSize: deps.chunkSize ?? 100,
        },
        job,
        signal,
        onState,
      ),
    progressView,
    resultView: summaryView,
    cards: { progress: (view) => deps.cards.progress(view), result: (view) => deps.cards.summary(view) },
  });
}
