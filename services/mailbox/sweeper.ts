import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock';
import type { GraphClient } from '../graph/client';
import type { Logger } from '../log';
import { createLoop } from '../loop';
import type { ConversationRef, Messenger } from '../messaging/port';
import { acquireLease, readLease, releaseLease, renewLease, type Lease } from '../storage/lease';
import type { Storage } from '../storage/port';
import type { MailboxForwardingReader } from './exchange-admin';
import { createSweepReporter, progressView } from './sweep-report';
import { runSweep, type RunState } from './sweep-runner';
import { SWEEP_ACTIVE_KEY, SWEEP_LEASE_KEY, cancelKey, jobKey, readJob } from './sweep-store';
import type { SweepCards, SweepJob, SweepProgressView, SweepScope } from './sweep-types';

export interface SweeperDeps {
  graph: GraphClient;
  storage: Storage;
  messenger: Messenger;
  cards: SweepCards;
  clock: Clock;
  logger: Logger;
  exchange?: MailboxForwardingReader;
  /** A download link for the job's CSV, bound to its requester (null when the bot has no public URL). */
  csvLink?: (job: SweepJob) => Promise<string | null>;
  /** Minimum time between two progress-card updates (default 5 s: well under Teams' 7 per second per thread). */
  progressIntervalMs?: number;
  leaseTtlMs?: number;
  concurrency?: number;
  chunkSize?: number;
}

/** What a sweep request gets back. */
export type StartResult = { kind: 'started'; jobId: string } | { kind: 'already-running'; view: SweepProgressView };

export type CancelResult = { kind: 'cancelling' } | { kind: 'not-running' };

/** Starts, cancels and resumes tenant-wide forwarding sweeps; one at a time per tenant (a storage lease). */
export interface Sweeper {
  start(request: {
    scope: SweepScope;
    requester: { aadObjectId: string; name: string | null };
    conversation: ConversationRef;
    /** Posts the first progress card in the requesting turn and returns its id (falls back to a proactive send). */
    post?: (card: object) => Promise<{ activityId: string }>;
  }): Promise<StartResult>;
  cancel(jobId: string, by: { aadObjectId: string; name: string | null }): Promise<CancelResult>;
  /** On boot: continues a sweep that a stopped or killed process left running. */
  resumeOnBoot(): Promise<boolean>;
  /** Stops the local run without ending the job (it resumes on the next boot). */
  shutdown(): Promise<void>;
  /** Resolves when the local run (if any) has finished; for tests and shutdown. */
  idle(): Promise<void>;
}

export function createSweeper(deps: SweeperDeps): Sweeper {
  const intervalMs = deps.progressIntervalMs ?? 5_000;
  const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
  const log = deps.logger.child({ component: 'sweep' });
  // The lease owner names this process, so a second live instance never resumes a job this one is running.
  const instanceId = randomUUID();
  let local: { jobId: string; controller: AbortController; done: Promise<void> } | null = null;

  const report = createSweepReporter({
    messenger: deps.messenger,
    cards: deps.cards,
    clock: deps.clock,
    logger: log,
    ...(deps.csvLink ? { csvLink: deps.csvLink } : {}),
  });

  function launch(job: SweepJob, lease: Lease): void {
    const controller = new AbortController();
    // Every mailbox read in flight listens on this signal.
    setMaxListeners(0, controller.signal);
    let state: RunState | null = null;
    let lastCard = '';
    let lastCardAt = deps.clock.now();
    let heldLease: Lease | null = lease;
    const tick = async (): Promise<void> => {
      if (!state) return;
      await state.flush();
      heldLease = heldLease ? await renewLease(deps.storage, heldLease, leaseTtlMs, deps.clock) : null;
      if (!heldLease) {
        log.warn('sweep lease lost; stopping here (another instance resumes it)');
        controller.abort('lease-lost');
        return;
      }
      const cancel = await deps.storage.get<{ by: string | null }>(cancelKey(job.id));
      if (cancel && !controller.signal.aborted) controller.abort('cancelled');
      if (deps.clock.now() - lastCardAt < intervalMs) return;
      const card = deps.cards.progress(progressView(state, deps.clock.now()));
      const json = JSON.stringify(card);
      if (json !== lastCard) {
        lastCard = json;
        lastCardAt = deps.clock.now();
        await report.update(state.job, card);
      }
    };
    const ticker = createLoop({
      name: 'sweep progress',
      clock: deps.clock,
      logger: log,
      // Renewed three times per lease period (a short lease must not lapse between card updates).
      intervalMs: Math.min(intervalMs, leaseTtlMs / 3),
      immediate: false,
      tick,
    });
    ticker.start();
    controller.signal.addEventListener('abort', () => void ticker.stop(), { once: true });
    const runner = runSweep(
      {
        graph: deps.graph,
        storage: deps.storage,
        clock: deps.clock,
        logger: log,
        ...(deps.exchange ? { exchange: deps.exchange } : {}),
        concurrency: deps.concurrency ?? 16,
        chunkSize: deps.chunkSize ?? 100,
      },
      job,
      controller.signal,
      (s) => {
        state = s;
      },
    );
    const done = runner
      .then(async (final) => {
        controller.abort('finished');
        await ticker.stop();
        if (final.state === 'running') return;
        const cancel = await deps.storage.get<{ by: string | null }>(cancelKey(job.id));
        const ended = { ...final, cancelledBy: final.state === 'cancelled' ? (cancel?.value.by ?? null) : null };
        if (ended.cancelledBy !== final.cancelledBy) await deps.storage.put(jobKey(job.id), ended, { overwrite: true });
        await deps.storage.delete(SWEEP_ACTIVE_KEY);
        if (state) await report.finish(ended, { ...state, job: ended });
      })
      .catch((error: unknown) => log.error({ err: error }, 'sweep stopped unexpectedly'))
      .finally(async () => {
        if (heldLease) await releaseLease(deps.storage, heldLease).catch(() => undefined);
        if (local?.jobId === job.id) local = null;
      });
    local = { jobId: job.id, controller, done };
  }

  async function runningView(): Promise<SweepProgressView | null> {
    const active = await deps.storage.get<{ jobId: string }>(SWEEP_ACTIVE_KEY);
    const job = active ? await readJob(deps.storage, active.value.jobId) : undefined;
    if (!job || job.state !== 'running') return null;
    const now = deps.clock.now();
    return {
      jobId: job.id,
      scope: job.scope,
      state: job.state,
      requesterName: job.requester.name,
      done: 0,
      total: job.total,
      findings: 0,
      flaggedMailboxes: 0,
      ratePerMinute: null,
      etaMs: null,
      startedAt: job.startedAt,
      now,
    };
  }

  /** Continues the active sweep if it is marked running and its lease is free (waiting while another holds it). */
  async function resume(): Promise<boolean> {
    for (;;) {
      const active = await deps.storage.get<{ jobId: string }>(SWEEP_ACTIVE_KEY);
      const job = active ? await readJob(deps.storage, active.value.jobId) : undefined;
      // Re-read every round: the instance holding the lease may finish the job meanwhile.
      if (!job || job.state !== 'running' || local) return false;
      const owner = `${job.id}/${instanceId}`;
      const lease = await acquireLease(deps.storage, SWEEP_LEASE_KEY, owner, leaseTtlMs, deps.clock);
      if (lease) {
        log.info({ sweep: job.id }, 'resuming sweep');
        launch(job, lease);
        return true;
      }
      // A killed process still holds the lease until it expires; wait for it rather than run the job twice.
      const holder = await readLease(deps.storage, SWEEP_LEASE_KEY, deps.clock);
      await deps.clock.sleep(holder ? Math.max(100, holder.expiresAt - deps.clock.now() + 50) : 100);
    }
  }

  return {
    async start(request) {
      const existing = await runningView();
      if (existing) {
        // Its runner may have died with no restart to resume it: take it over once its lease has lapsed.
        if (!local && !(await readLease(deps.storage, SWEEP_LEASE_KEY, deps.clock)))
          void resume().catch((error: unknown) => log.error({ err: error }, 'sweep take-over failed'));
        return { kind: 'already-running', view: existing };
      }
      const jobId = randomUUID();
      const lease = await acquireLease(deps.storage, SWEEP_LEASE_KEY, `${jobId}/${instanceId}`, leaseTtlMs, deps.clock);
      if (!lease) {
        const view = await runningView();
        if (view) return { kind: 'already-running', view };
        throw new Error('sweep lease held without an active sweep');
      }
      const now = deps.clock.now();
      let job: SweepJob = {
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
      const first = deps.cards.progress({
        jobId,
        scope: request.scope,
        state: 'running',
        requesterName: request.requester.name,
        done: 0,
        total: null,
        findings: 0,
        flaggedMailboxes: 0,
        ratePerMinute: null,
        etaMs: null,
        startedAt: now,
        now,
      });
      let posted: { activityId: string };
      try {
        posted = request.post
          ? await request.post(first)
          : await deps.messenger.send(request.conversation, { card: first });
      } catch (error) {
        // Nothing started: free the lease at once rather than block sweeps until it expires.
        await releaseLease(deps.storage, lease);
        throw error;
      }
      job = { ...job, progressActivityId: posted.activityId || null };
      await deps.storage.put(jobKey(jobId), job, { overwrite: true });
      await deps.storage.put(SWEEP_ACTIVE_KEY, { jobId }, { overwrite: true });
      launch(job, lease);
      return { kind: 'started', jobId };
    },

    async cancel(jobId, by) {
      const job = await readJob(deps.storage, jobId);
      if (!job || job.state !== 'running') return { kind: 'not-running' };
      await deps.storage.put(cancelKey(jobId), { by: by.name ?? by.aadObjectId }, { overwrite: true });
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
