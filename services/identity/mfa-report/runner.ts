/**
 * Runs (or resumes) one `report mfa` on the paged job runner (services/jobs/paged-run.ts) until it ends, is cancelled
 * through `signal`, or fails. Tenant-wide inputs are read once (policies, targeted groups, the audit evidence, the
 * registration report in the background); users are paged ($top=999) and their methods read 20 to a `$batch`
 * (identity class). The runner stores rows per page and moves the checkpoint past fully stored pages; a resumed run
 * skips users that have a row, so every user gets exactly one row.
 */
import type { Clock } from '../../clock';
import type { GraphClient } from '../../graph/client';
import { endpoints } from '../../graph/endpoints';
import { nextLinkPath } from '../../graph/paging';
import { readBatch, readOne } from '../../graph/read';
import type { ReportUser } from '../../graph/schemas/user';
import type { UserId } from '../../ids';
import { fatalOf, runPagedJob, type JobPage, type JobRunState, type PagedRun } from '../../jobs/paged-run';
import type { Logger } from '../../log';
import type { Storage } from '../../storage/port';
import { expandTargetGroups, readTenantPolicies, startRegistrationIndex } from './context';
import type { ReportEvidence, ReportEvidenceSet } from './evidence';
import { apartCategory, apartRow, judgeUser } from './judge';
import { REPORT_KEYS, reportCounting } from './store';
import type { ReportCounters, ReportJob, ReportRow, ReportScope } from './types';

export interface ReportRunnerDeps {
  graph: GraphClient;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  evidence: ReportEvidence;
  /** How far back evidence is read: the tenant's audit retention (30 days with P1/P2). */
  auditDays: number;
  /** `$batch`es of methods in flight (the identity scheduler still keeps to the tenant's budget). */
  concurrency: number;
  /** Users whose methods are read but who wait for their registration row or the evidence (bounds memory). */
  maxWaiting: number;
  /** Rows per stored chunk. */
  chunkSize: number;
}

/** What a report adds to the job's live state: where the audit evidence starts (null until it is read). */
export interface ReportExtra {
  evidenceFrom: string | null;
}

/** Live state the progress loop reads. */
export type ReportRunState = JobRunState<ReportScope, ReportCounters, ReportExtra>;

const BATCH = 20;
const DAY = 24 * 3600_000;

/**
 * Users whose methods are read but who still wait for the evidence or their registration row, by default. Judging
 * starts only once the whole audit evidence is read (13 pages at 50,000 users: three reports windows, ~21 s), and the
 * registration pages come after it; meanwhile the method reads run at the identity budget (a full bucket of 3,500 RU,
 * then 350 per second). Once they stop at the bound the bucket refills for one window at no cost; stopped longer, it
 * overflows and the time is lost (at 50,000 users: 5,000 → 136.7 s, 8,000 → 128.2 s, 10,000 → 126.7 s, 12,000 →
 * 126.1–126.9 s). Each waiting user is its users-page row and its methods, ~1.2 KB.
 */
export const DEFAULT_MAX_WAITING = 10_000;

function usersRead(scope: ReportScope) {
  return scope.kind === 'all' ? endpoints.reportUsers.at({}) : endpoints.reportGroupUsers.at({ group: scope.groupId });
}

/** The first users page's path for a scope (a checkpoint stores the path of the page to read next). */
export function firstReportPagePath(scope: ReportScope): string {
  return usersRead(scope).path;
}

export function runReport(
  deps: ReportRunnerDeps,
  job: ReportJob,
  signal: AbortSignal,
  onState: (state: ReportRunState) => void,
): Promise<ReportJob> {
  const extra: ReportExtra = { evidenceFrom: null };

  async function read(run: PagedRun<ReportRow>): Promise<void> {
    const { log, retrying } = run;
    const alreadyDone = run.stored;
    let fetching = 0;
    const fetchWaiters: (() => void)[] = [];
    const sig = { signal };
    const since = new Date(deps.clock.now() - deps.auditDays * DAY);
    // Judging any user waits for the whole evidence; method reads do not (up to maxWaiting users).
    const evidence: Promise<ReportEvidenceSet> = retrying('evidence', () => deps.evidence.open(since, sig));
    evidence.catch(() => undefined);
    void evidence.then((e) => {
      extra.evidenceFrom = e.coveredFrom?.toISOString() ?? null;
    });
    // The registration report pages in the background while the identity-class reads go on. It shares the reports
    // class (5 requests / 10 s) with the audit query and starts after it: read side by side, the two page chains
    // took the slots in turn, so the evidence every judgement waits for came in at half the rate (at 50,000 users
    // its 13 pages ended after 62 s instead of 21 s, and the method reads stood still meanwhile).
    const registration = startRegistrationIndex(deps.graph, { signal, skip: alreadyDone, after: evidence });
    registration.done.catch(() => undefined);
    // Judging needs the policies and the groups they target; reading users and their methods does not, so those
    // start at once: the identity bucket is full at the start, and every second it waits full is lost (its refill
    // is capped; 1–4 s at 50,000 users when the policies and the group expansion came first).
    const tenant = (async () => {
      const policies = await retrying('policies', () => readTenantPolicies(deps.graph, signal));
      const groups = await retrying('groups', () => expandTargetGroups(deps.graph, policies, signal));
      return { policies, groups };
    })();
    tenant.catch(() => undefined);

    const judge = async (user: ReportUser, methods: Awaited<ReturnType<typeof readMethods>>[string]) => {
      const [reg, ev, { policies, groups }] = await Promise.all([registration.rowOf(user.id), evidence, tenant]);
      const groupIds = groups.groupsOf(user.id);
      return judgeUser({
        user,
        methods,
        registration: reg,
        groupIds,
        policies: { methodsPolicy: policies.methodsPolicy, authorizationPolicy: policies.authorizationPolicy },
        caPolicies: policies.caPolicies,
        events: await ev.eventsOf(user.id),
        coveredFrom: ev.coveredFrom?.toISOString() ?? null,
      });
    };

    const readMethods = async (users: ReportUser[]) => {
      const reads = Object.fromEntries(
        users.map((u, i) => [
          `u${i}`,
          endpoints.authenticationMethods.at({ user: { kind: 'id', id: u.id as UserId } }),
        ]),
      );
      const replies = await readBatch(deps.graph, reads, { priority: 'background', signal });
      const out: Record<string, ReturnType<typeof replies.value>['value']> = {};
      users.forEach((u, i) => {
        out[u.id] = replies.value(`u${i}`).value;
      });
      return out;
    };

    /** Reads a batch's methods (retrying throttled items until they answer), then judges each user. */
    const processBatch = async (users: ReportUser[], ps: JobPage<ReportRow>): Promise<void> => {
      while (fetching >= deps.concurrency) await new Promise<void>((resolve) => fetchWaiters.push(resolve));
      fetching += 1;
      let methods: Awaited<ReturnType<typeof readMethods>>;
      try {
        methods = await retrying('methods', () => readMethods(users));
      } catch (error) {
        if (fatalOf(error) || signal.aborted) throw error;
        // One batch that never answered: its users are recorded as errors, not lost.
        methods = {};
        log.warn({ err: error }, 'methods could not be read for a batch; its users are recorded as errors');
      } finally {
        fetching -= 1;
        fetchWaiters.shift()?.();
      }
      for (const user of users) {
        const list = methods[user.id];
        let row: ReportRow;
        if (list === undefined) {
          registration.discard(user.id);
          row = { ...apartRow(user, 'error'), error: 'methods_unreadable' };
        } else row = await judge(user, list);
        ps.add(row);
      }
    };

    let path: string | null = run.from.path;
    let seq = run.from.seq;
    while (path !== null && !run.stopped()) {
      const pagePath: string = path;
      const reply = await retrying('users', () =>
        readOne(deps.graph, { ...usersRead(job.scope), path: pagePath }, { priority: 'background', signal }),
      );
      const link = reply['@odata.nextLink'];
      const total = reply['@odata.count'];
      if (typeof total === 'number') await run.setTotal(total);
      const next = link === undefined ? null : nextLinkPath(link);
      const ps = run.openPage(seq, next);
      const judged: ReportUser[] = [];
      for (const raw of reply.value) {
        if (raw['@odata.type'] !== undefined && raw['@odata.type'] !== '#microsoft.graph.user') continue;
        const user = { ...raw, id: raw.id.toLowerCase() };
        if (alreadyDone.has(user.id)) continue;
        const apart = apartCategory(user);
        if (apart === null) {
          judged.push(user);
          continue;
        }
        registration.discard(user.id);
        ps.add(apartRow(user, apart));
      }
      for (let i = 0; i < judged.length && !run.stopped(); i += BATCH) {
        while (run.inflight() * BATCH >= deps.maxWaiting) await run.settleOne();
        const users = judged.slice(i, i + BATCH);
        ps.track(processBatch(users, ps));
      }
      ps.close();
      path = next;
      seq += 1;
    }
    // A tenant whose users are all counted apart judges no one: the policies' failure (a 403) still ends the run.
    await tenant;
  }

  const spec = { keys: REPORT_KEYS, first: firstReportPagePath(job.scope), counting: reportCounting, extra, read };
  return runPagedJob(deps, job, signal, spec, onState);
}
