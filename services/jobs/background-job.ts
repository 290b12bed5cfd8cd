/**
 * The lifecycle of a tenant-wide background job, whatever it reads: start (one running job per kind and tenant, held
 * by a storage lease renewed with version conditions), a progress card updated in place at a bounded rate on the
 * injected clock, cancel, resume after a restart (or take over from a dead instance once its lease lapses), shutdown,
 * and the end: the final progress card, the result card and the CSV link to the requester.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { createLoop } from '../loop';
import type { Messenger } from '../messaging/port';
import { acquireLease, readLease, releaseLease, renewLease, type Lease } from '../storage/lease';
import type { Storage } from '../storage/port';
import type { JobRunState, RowCounting } from './paged-run';
import { readJobRecord, type JobKeys } from './store';
import type { BackgroundJob, JobProgress, JobRecord } from './types';

/** What one kind of job is: its storage keys, how it runs, and what its cards show. */
export interface JobKind<S, Row, C extends { done: number }, X, V extends JobProgress<S>, R> {
  /** Names the job in logs ("sweep", "mfa report"). */
  name: string;
  keys: JobKeys;
  counting: RowCounting<Row, C>;
  /** The domain's extra state at the start of a run. */
  extra(): X;
  /** Runs (or resumes) the job until it ends or `signal` stops it (services/jobs/paged-run.ts). */
  run(
    job: JobRecord<S>,
    signal: AbortSignal,
    onState: (state: JobRunState<S, C, X>) => void,
    log: Logger,
  ): Promise<JobRecord<S>>;
  progressView(state: JobRunState<S, C, X>, now: number): V;
  resultView(state: JobRunState<S, C, X>, now: number, csvUrl: string | null): R;
  cards: { progress(view: V): object; result(view: R): object };
}

export interface BackgroundJobDeps<S> {
  storage: Storage;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** A download link for the job's CSV, bound to its requester (null when the bot has no public URL). */
  csvLink?: (job: JobRecord<S>) => Promise<string | null>;
  /** Minimum time between two progress-card updates (default 5 s: well under Teams' 7 per second per thread). */
  progressIntervalMs?: number;
  leaseTtlMs?: number;
}

/** The rate and ETA of this process's run, from the rows it has added since it started. */
export function jobProgress<S>(s: JobRunState<S, { done: number }, unknown>, now: number): JobProgress<S> {
  const elapsed = now - s.runStart.at;
  const doneHere = s.counters.done - s.runStart.done;
  const perMs = elapsed > 0 && doneHere > 0 ? doneHere / elapsed : null;
  const remaining = s.job.total === null ? null : Math.max(0, s.job.total - s.counters.done);
  return {
    jobId: s.job.id,
    scope: s.job.scope,
    state: s.job.state,
    requesterName: s.job.requester.name,
    done: s.counters.done,
    total: s.job.total,
    ratePerMinute: perMs === null ? null : perMs * 60_000,
    etaMs: perMs === null || remaining === null ? null : remaining / perMs,
    startedAt: s.job.startedAt,
    now,
  };
}

export function createBackgroundJob<S, Row, C extends { done: number }, X, V extends JobProgress<S>, R>(
  deps: BackgroundJobDeps<S>,
  kind: JobKind<S, Row, C, X, V, R>,
): BackgroundJob<S, V> {
  const { storage, clock } = deps;
  const { keys } = kind;
  const intervalMs = deps.progressIntervalMs ?? 5_000;
  const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
  const log = deps.logger.child({ component: kind.name.replace(/ /g, '-') });
  // The lease owner names this process, so a second live instance never resumes a job this one is running.
  const instanceId = randomUUID();
  let local: { jobId: string; controller: AbortController; done: Promise<void> } | null = null;

  /** The view of a job no run of this process has numbers for yet (just started, or running elsewhere). */
  const viewOf = (job: JobRecord<S>, now: number): V =>
    kind.progressView(
      {
        job,
        counters: kind.counting.empty(),
        runStart: { done: 0, at: now },
        extra: kind.extra(),
        flush: async () => {},
      },
      now,
    );

  async function updateCard(job: JobRecord<S>, card: object): Promise<void> {
    if (!job.progressActivityId) return;
    try {
      await deps.messenger.update(job.conversation, job.progressActivityId, { card });
    } catch (error) {
      // A missed progress update is cosmetic; the job goes on.
      log.warn({ err: error }, 'progress card update failed');
    }
  }

  async function finish(job: JobRecord<S>, s: JobRunState<S, C, X>): Promise<void> {
    const now = clock.now();
    const ended = { ...s, job };
    let csvUrl: string | null = null;
    if (deps.csvLink && job.state !== 'failed') csvUrl = await deps.csvLink(job);
    await updateCard(job, kind.cards.progress(kind.progressView(ended, now)));
    try {
      // The link is a bearer token for the requester: in the shared conversation only when that is their own chat.
      const personal = job.conversation.conversationType === 'personal';
      await deps.messenger.send(job.conversation, {
        card: kind.cards.result(kind.resultView(ended, now, personal ? csvUrl : null)),
      });
      if (csvUrl && !personal) {
        const chat = await deps.messenger.personalChat(job.conversation, job.requester);
        await deps.messenger.send(chat, { card: kind.cards.result(kind.resultView(ended, now, csvUrl)) });
      }
    } catch (error) {
      log.error({ err: error }, `${kind.name} result could not be posted`);
    }
  }

  function launch(job: JobRecord<S>, lease: Lease): void {
    const controller = new AbortController();
    // Every read in flight listens on this signal.
    setMaxListeners(0, controller.signal);
    let state: JobRunState<S, C, X> | null = null;
    let lastCard = '';
    let lastCardAt = clock.now();
    let heldLease: Lease | null = lease;
    const tick = async (): Promise<void> => {
      if (!state) return;
      await state.flush();
      heldLease = heldLease ? await renewLease(storage, heldLease, leaseTtlMs, clock) : null;
      if (!heldLease) {
        log.warn(`${kind.name} lease lost; stopping here (another instance resumes it)`);
        controller.abort('lease-lost');
        return;
      }
      const cancel = await storage.get<{ by: string | null }>(keys.cancel(job.id));
      if (cancel && !controller.signal.aborted) controller.abort('cancelled');
      if (clock.now() - lastCardAt < intervalMs) return;
      const card = kind.cards.progress(kind.progressView(state, clock.now()));
      const json = JSON.stringify(card);
      if (json !== lastCard) {
        lastCard = json;
        lastCardAt = clock.now();
        await updateCard(state.job, card);
      }
    };
    const ticker = createLoop({
      name: `${kind.name} progress`,
      clock,
      logger: log,
      // Renewed three times per lease period (a short lease must not lapse between card updates).
      intervalMs: Math.min(intervalMs, leaseTtlMs / 3),
      immediate: false,
      tick,
    });
    ticker.start();
    controller.signal.addEventListener('abort', () => void ticker.stop(), { once: true });
    const runner = kind.run(
      job,
      controller.signal,
      (s) => {
        state = s;
      },
      log,
    );
    const done = runner
      .then(async (final) => {
        controller.abort('finished');
        await ticker.stop();
        if (final.state === 'running') return;
        await storage.delete(keys.active);
        if (state) await finish(final, state);
      })
      .catch((error: unknown) => log.error({ err: error }, `${kind.name} stopped unexpectedly`))
      .finally(async () => {
        if (heldLease) await releaseLease(storage, heldLease).catch(() => undefined);
        if (local?.jobId === job.id) local = null;
      });
    local = { jobId: job.id, controller, done };
  }

  async function runningJob(): Promise<JobRecord<S> | null> {
    const active = await storage.get<{ jobId: string }>(keys.active);
    const job = active ? await readJobRecord<S>(storage, keys, active.value.jobId) : undefined;
    return job && job.state === 'running' ? job : null;
  }

  /** Continues the active job if it is marked running and its lease is free (waiting while another holds it). */
  async function resume(): Promise<boolean> {
    for (;;) {
      // Re-read every round: the instance holding the lease may finish the job meanwhile.
      const job = await runningJob();
      if (!job || local) return false;
      const lease = await acquireLease(storage, keys.lease, `${job.id}/${instanceId}`, leaseTtlMs, clock);
      if (lease) {
        // Read again under the lease: the holder it lapsed from may have ended the job after the read above.
        const fresh = await readJobRecord<S>(storage, keys, job.id);
        if (fresh?.state !== 'running') {
          await releaseLease(storage, lease);
          return false;
        }
        log.info({ job: job.id }, `resuming ${kind.name}`);
        launch(fresh, lease);
        return true;
      }
      // A killed process still holds the lease until it expires; wait for it rather than run the job twice.
      const holder = await readLease(storage, keys.lease, clock);
      await clock.sleep(holder ? Math.max(100, holder.expiresAt - clock.now() + 50) : 100);
    }
  }

  return {
    async start(request) {
      const existing = await runningJob();
      if (existing) {
        // Its runner may have died with no restart to resume it: take it over once its lease has lapsed.
        if (!local && !(await readLease(storage, keys.lease, clock)))
          void resume().catch((error: unknown) => log.error({ err: error }, `${kind.name} take-over failed`));
        return { kind: 'already-running', view: viewOf(existing, clock.now()) };
      }
      const jobId = randomUUID();
      const lease = await acquireLease(storage, keys.lease, `${jobId}/${instanceId}`, leaseTtlMs, clock);
      if (!lease) {
        const again = await runningJob();
        if (again) return { kind: 'already-running', view: viewOf(again, clock.now()) };
        throw new Error(`${kind.name} lease held without an active job`);
      }
      const now = clock.now();
      let job: JobRecord<S> = {
        id: jobId,
        scope: request.scope,
        requester: request.requester,
        conversation: request.conversation,
        progressActivityId: null,
        state: 'running',
        startedAt: now,
        finishedAt: null,
        total: null,
        checkpoint: null,
        cancelledBy: null,
        failure: null,
      };
      const first = kind.cards.progress(viewOf(job, now));
      let posted: { activityId: string };
      try {
        posted = request.post
          ? await request.post(first)
          : await deps.messenger.send(request.conversation, { card: first });
      } catch (error) {
        // Nothing started: free the lease at once rather than block jobs of this kind until it expires.
        await releaseLease(storage, lease);
        throw error;
      }
      job = { ...job, progressActivityId: posted.activityId || null };
      await storage.put(keys.job(jobId), job, { ifAbsent: true });
      await storage.put(keys.active, { jobId }, { overwrite: true });
      launch(job, lease);
      return { kind: 'started', jobId };
    },

    async cancel(jobId, by) {
      const job = await readJobRecord<S>(storage, keys, jobId);
      if (!job || job.state !== 'running') return { kind: 'not-running' };
      await storage.put(keys.cancel(jobId), { by: by.name ?? by.aadObjectId }, { overwrite: true });
      if (local?.jobId === jobId) local.controller.abort('cancelled');
      return { kind: 'cancelling' };
    },

    resumeOnBoot: resume,

    async shutdown() {
      if (local) {
        local.controller.abort('shutdown');
        await local.done;
      }
    },

    idle: () => local?.done ?? Promise.resolve(),
  };
}
