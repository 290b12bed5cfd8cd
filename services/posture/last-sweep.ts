/** The last completed tenant-wide forwarding sweep, from its stored job and results (check 6's "forwarding today"). */
import { readChunks } from '../mailbox/sweep-store';
import type { SweepJob } from '../mailbox/sweep-types';
import type { Storage } from '../storage/port';
import type { LastSweep } from './exchange-checks';

const JOB_PREFIX = 'sweep/job/';
// Jobs listed at most; older ones are not looked at.
const MAX_JOBS = 1_000;

/** A result row forwards outside when a forward, redirect or mailbox forward names an external (or look-alike) domain. */
const forwardsOutside = (what: string, domains: readonly string[]): boolean =>
  domains.length > 0 && (what.startsWith('forward') || what.startsWith('mailbox-forward'));

/** The newest sweep over all mailboxes that finished, with how many mailboxes forward outside; null if none has. */
export async function readLastSweep(storage: Storage): Promise<LastSweep | null> {
  let last: SweepJob | null = null;
  let after: string | undefined;
  for (let seen = 0; seen < MAX_JOBS;) {
    const jobs = await storage.list<SweepJob>(JOB_PREFIX, { limit: 200, ...(after ? { after } : {}) });
    if (jobs.length === 0) break;
    seen += jobs.length;
    for (const { value: job } of jobs)
      if (
        job.state === 'done' &&
        job.scope.kind === 'all' &&
        (last === null || (job.finishedAt ?? 0) > (last.finishedAt ?? 0))
      )
        last = job;
    after = jobs[jobs.length - 1]?.key;
  }
  if (last === null) return null;
  let mailboxes = 0;
  let externalForwarders = 0;
  for await (const { chunk } of readChunks(storage, last.id)) {
    for (const row of chunk.rows) {
      if (row.status === 'ok') mailboxes += 1;
      if ((row.findings ?? []).some((f) => forwardsOutside(f.what, f.domains))) externalForwarders += 1;
    }
  }
  return { finishedAt: last.finishedAt ?? last.startedAt, mailboxes, externalForwarders };
}
