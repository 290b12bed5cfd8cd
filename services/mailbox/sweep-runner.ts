import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { fatalOf, runPagedJob, type JobRunState, type PagedRun } from '../jobs/paged-run';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import type { MailboxForwarding, MailboxForwardingReader } from './exchange-admin';
import { readVerifiedDomains } from './forwarding-check';
import { sweepMailbox, type SweepUser } from './sweep-mailbox';
import { firstPagePath, readUserPage } from './sweep-source';
import { SWEEP_KEYS, count, emptyCounters } from './sweep-store';
import type { ResultRow, SweepCounters, SweepJob, SweepScope } from './sweep-types';

/** What the runner needs; the sweeper supplies it. */
export interface RunnerDeps {
  graph: GraphClient;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  exchange?: MailboxForwardingReader;
  /** Mailboxes being read at once (the Outlook scheduler still keeps Graph at 4 in flight). */
  concurrency: number;
  /** Rows per stored chunk. */
  chunkSize: number;
}

/** What a sweep adds to the job's live state: whether mailbox-level forwarding (Exchange) could be read. */
export interface SweepExtra {
  mailboxForwardingChecked: boolean;
}

/** Live state the sweeper's progress loop reads. */
export type SweepRunState = JobRunState<SweepScope, SweepCounters, SweepExtra>;

export const sweepCounting = { empty: emptyCounters, count };

// Mailboxes with forwarding set are few; past this many the map is not grown (the per-rule check still runs).
const MAX_FORWARDING_ENTRIES = 50_000;

/**
 * Runs (or resumes) one sweep on the paged job runner (services/jobs/paged-run.ts): the tenant's verified domains and
 * mailbox forwarding once, then the users page by page, each mailbox's rules read and judged into one row.
 */
export function runSweep(
  deps: RunnerDeps,
  job: SweepJob,
  signal: AbortSignal,
  onState: (state: SweepRunState) => void,
): Promise<SweepJob> {
  const extra: SweepExtra = { mailboxForwardingChecked: false };

  async function read(run: PagedRun<ResultRow>): Promise<void> {
    const verified = await run.retrying('verified domains', () => readVerifiedDomains(deps.graph));
    const forwarding = new Map<string, MailboxForwarding>();
    if (deps.exchange) {
      try {
        for await (const page of deps.exchange.listForwarding()) {
          for (const f of page) if (forwarding.size < MAX_FORWARDING_ENTRIES) forwarding.set(f.userId, f);
        }
        extra.mailboxForwardingChecked = true;
      } catch (error) {
        run.log.warn(
          { err: error },
          'mailbox forwarding could not be read from Exchange; the sweep checks inbox rules only',
        );
      }
    }

    /** One mailbox's row; a mailbox that cannot be read (after retries) is recorded as an error, not lost. */
    async function processUser(user: SweepUser): Promise<ResultRow> {
      try {
        return await run.retrying('mailbox', () => sweepMailbox(deps.graph, user, verified, forwarding, signal));
      } catch (error) {
        if (signal.aborted || fatalOf(error)) throw error;
        const code = isCodedError(error) ? error.code : 'unexpected';
        run.log.warn({ code }, 'mailbox could not be read; recorded as an error');
        return { id: user.id, upn: user.upn, status: 'error', severity: 'none', error: code };
      }
    }

    let path: string | null = run.from.path;
    let seq = run.from.seq;
    while (path !== null && !run.stopped()) {
      const pagePath: string = path;
      const page = await run.retrying('users', () => readUserPage(deps.graph, job.scope, pagePath, signal));
      if (page.count !== null) await run.setTotal(page.count);
      const ps = run.openPage(seq, page.next);
      for (const user of page.users) {
        if (run.stopped()) break;
        if (run.stored.has(user.id)) continue;
        while (run.inflight() >= deps.concurrency) await run.settleOne();
        ps.track(processUser(user).then((row) => ps.add(row)));
      }
      ps.close();
      path = page.next;
      seq += 1;
    }
  }

  const spec = { keys: SWEEP_KEYS, first: firstPagePath(job.scope), counting: sweepCounting, extra, read };
  return runPagedJob(deps, job, signal, spec, onState);
}
