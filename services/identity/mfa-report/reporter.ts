/**
 * Starts, cancels and resumes `report mfa` jobs: one at a time per tenant (a storage lease), a progress card updated
 * in place, the result card at the end. Built like the forwarding sweep (services/mailbox/sweeper.ts).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Clock } from '../../clock';
import type { GraphClient } from '../../graph/client';
import type { Logger } from '../../log';
import { createLoop } from '../../loop';
import type { ConversationRef, Messenger } from '../../messaging/port';
import { acquireLease, readLease, releaseLease, renewLease, type Lease } from '../../storage/lease';
import type { Storage } from '../../storage/port';
import type { ReportEvidence } from './evidence';
import { DEFAULT_MAX_WAITING, runReport, type ReportRunState } from './runner';
import { REPORT_ACTIVE_KEY, REPORT_LEASE_KEY, readReportJob, reportCancelKey, reportJobKey } from './store';
import type { ReportCards, ReportJob, ReportProgressView, ReportResultView, ReportScope } from './types';

export interface MfaReporterDeps {
  graph: GraphClient;
  storage: Storage;
  messenger: Messenger;
  cards: ReportCards;
  clock: Clock;
  logger: Logger;
  evidence: ReportEvidence;
  auditDays?: number;
  /** A download link for the job's CSV, bound to its requester (null when the bot has no public URL). */
  csvLink?: (job: ReportJob) => Promise<string | null>;
  /** Minimum time between two progress-card updates (default 5 s: well under Teams' 7 per second per thread). */
  progressIntervalMs?: number;
  leaseTtlMs?: number;
  concurrency?: number;
  maxWaiting?: number;
  chunkSize?: number;
}

export type ReportStartResult =
  { kind: 'started'; jobId: string } | { kind: 'already-running'; view: ReportProgressView };

export type ReportCancelResult = { kind: 'cancelling' } | { kind: 'not-running' };

export interface MfaReporter {
  start(request: {
    scope: ReportScope;
    requester: { aadObjectId: string; name: string | null };
    conversation: ConversationRef;
    /** Posts the first progress card in the requesting turn and returns its id (else a proactive send). */
    post?: (card: object) => Promise<{ activityId: string }>;
  }): Promise<ReportStartResult>;
  cancel(jobId: string, by: { aadObjectId: string; name: string | null }): Promise<ReportCancelResult>;
  /** Continues a report that a stopped or killed process left running (waits while a live instance holds it). */
  resumeOnBoot(): Promise<boolean>;
  /** Stops the local run without ending the job (it resumes on the next boot). */
  shutdown(): Promise<void>;
  idle(): Promise<void>;
}

/** The progress card's numbers: done/total, usable so far, and the rate and ETA of this process's run. */
export function reportProgressView(s: ReportRunState, now: number): ReportProgressView {
  const elapsed = now - s.runStart.at;
  const doneHere = s.counters.done - s.runStart.done;
  const perMs = elapsed > 0 && doneHere > 0 ? doneHere / elapsed : null;
  const remaining = s.job.total === null ? null : Math.max(0, s.job.total - s.counters.done);
  const c = s.counters.byCategory;
  return {
    jobId: s.job.id,
    scope: s.job.scope,
    state: s.job.state,
    requesterName: s.job.requester.name,
    done: s.counters.done,
    total: s.job.total,
    usable: c.usable,
    notUsable: c['registered-not-usable'] + c['not-registered'],
    ratePerMinute: perMs === null ? null : perMs * 60_000,
    etaMs: perMs === null || remaining === null ? null : remaining / perMs,
    startedAt: s.job.startedAt,
    now,
  };
}

/** The result card's view of a finished (or stopped) run. */
export function reportResultView(s: ReportRunState, now: number, csvUrl: string | null): ReportResultView {
  const c = s.counters;
  return {
    ...reportProgressView(s, now),
    byCategory: { ...c.byCategory },
    byMethod: c.byMethod,
    caTargeted: c.caTargeted,
    caWouldFail: c.caWouldFail,
    adminsNotUsable: c.adminsNotUsable,
    admins: c.admins,
    others: c.others,
    evidenceFrom: s.evidenceFrom,
    failure: s.job.failure,
    cancelledBy: s.job.cancelledBy,
    csvUrl,
  };
}

function initialView(job: ReportJob, now: number): ReportProgressView {
  return {
    jobId: job.id,
    scope: job.scope,
    state: job.state,
    requesterName: job.requester.name,
    done: 0,
    total: job.total,
    usable: 0,
    notUsable: 0,
    ratePerMinute: null,
    etaMs: null,
    startedAt: job.startedAt,
    now,
  };
}

export function createMfaReporter(deps: MfaReporterDeps): MfaReporter {
  const intervalMs = deps.progressIntervalMs ?? 5_000;
  const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
  const log = deps.logger.child({ component: 'mfa-report' });
  const instanceId = randomUUID();
  let local: { jobId: string; controller: AbortController; done: Promise<void> } | null = null;

  async function updateCard(job: ReportJob, card: object): Promise<void> {
    if (!job.progressActivityId) return;
    try {
      await deps.messenger.update(job.conversation, job.progressActivityId, { card });
    } catch (error) {
      log.warn({ err: error }, 'progress card update failed');
    }
  }

  async function finish(job: ReportJob, s: ReportRunState): Promise<void> {
    const now = deps.clock.now();
    let csvUrl: string | null = null;
    if (deps.csvLink && job.state !== 'failed') csvUrl = await deps.csvLink(job);
    const ended = { ...s, job };
    await updateCard(job, deps.cards.progress(reportProgressView(ended, now)));
    try {
      // The link is a bearer token for the requester: in the shared conversation only when that is their own chat.
      const personal = job.conversation.conversationType === 'personal';
      await deps.messenger.send(job.conversation, {
        card: deps.cards.result(reportResultView(ended, now, personal ? csvUrl : null)),
      });
      if (csvUrl && !personal) {
        const chat = await deps.messenger.personalChat(job.conversation, job.requester);
        await deps.messenger.send(chat, { card: deps.cards.result(reportResultView(ended, now, csvUrl)) });
      }
    } catch (error) {
      log.error({ err: error }, 'mfa report result could not be posted');
    }
  }

  function launch(job: ReportJob, lease: Lease): void {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    let state: ReportRunState | null = null;
    let lastCard = '';
    let lastCardAt = deps.clock.now();
    let heldLease: Lease | null = lease;
    const tick = async (): Promise<void> => {
      if (!state) return;
      await state.flush();
      heldLease = heldLease ? await renewLease(deps.storage, heldLease, leaseTtlMs, deps.clock) : null;
      if (!heldLease) {
        log.warn('mfa report lease lost; stopping here (another instance resumes it)');
        controller.abort('lease-lost');
        return;
      }
      const cancel = await deps.storage.get<{ by: string | null }>(reportCancelKey(job.id));
      if (cancel && !controller.signal.aborted) controller.abort('cancelled');
      if (deps.clock.now() - lastCardAt < intervalMs) return;
      const card = deps.cards.progress(reportProgressView(state, deps.clock.now()));
      const json = JSON.stringify(card);
      if (json !== lastCard) {
        lastCard = json;
        lastCardAt = deps.clock.now();
        await updateCard(state.job, card);
      }
    };
    const ticker = createLoop({
      name: 'mfa report progress',
      clock: deps.clock,
      logger: log,
      intervalMs: Math.min(intervalMs, leaseTtlMs / 3),
      immediate: false,
      tick,
    });
    ticker.start();
    controller.signal.addEventListener('abort', () => void ticker.stop(), { once: true });
    const runner = runReport(
      {
        graph: deps.graph,
        storage: deps.storage,
        clock: deps.clock,
        logger: log,
        evidence: deps.evidence,
        auditDays: deps.auditDays ?? 30,
        concurrency: deps.concurrency ?? 8,
        maxWaiting: deps.maxWaiting ?? DEFAULT_MAX_WAITING,
        chunkSize: deps.chunkSize ?? 500,
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
        const cancel = await deps.storage.get<{ by: string | null }>(reportCancelKey(job.id));
        const ended = { ...final, cancelledBy: final.state === 'cancelled' ? (cancel?.value.by ?? null) : null };
        if (ended.cancelledBy !== final.cancelledBy)
          await deps.storage.put(reportJobKey(job.id), ended, { overwrite: true });
        await deps.storage.delete(REPORT_ACTIVE_KEY);
        if (state) await finish(ended, state);
      })
      .catch((error: unknown) => log.error({ err: error }, 'mfa report stopped unexpectedly'))
      .finally(async () => {
        if (heldLease) await releaseLease(deps.storage, heldLease).catch(() => undefined);
        if (local?.jobId === job.id) local = null;
      });
    local = { jobId: job.id, controller, done };
  }

  async function runningJob(): Promise<ReportJob | null> {
    const active = await deps.storage.get<{ jobId: string }>(REPORT_ACTIVE_KEY);
    const job = active ? await readReportJob(deps.storage, active.value.jobId) : undefined;
    return job && job.state === 'running' ? job : null;
  }

  async function resume(): Promise<boolean> {
    for (;;) {
      const job = await runningJob();
      if (!job || local) return false;
      const lease = await acquireLease(
        deps.storage,
        REPORT_LEASE_KEY,
        `${job.id}/${instanceId}`,
        leaseTtlMs,
        deps.clock,
      );
      if (lease) {
        log.info({ mfaReport: job.id }, 'resuming mfa report');
        launch(job, lease);
        return true;
      }
      const holder = await readLease(deps.storage, REPORT_LEASE_KEY, deps.clock);
      await deps.clock.sleep(holder ? Math.max(100, holder.expiresAt - deps.clock.now() + 50) : 100);
    }
  }

  return {
    async start(request) {
      const existing = await runningJob();
      if (existing) {
        if (!local && !(await readLease(deps.storage, REPORT_LEASE_KEY, deps.clock)))
          void resume().catch((error: unknown) => log.error({ err: error }, 'mfa report take-over failed'));
        return { kind: 'already-running', view: initialView(existing, deps.clock.now()) };
      }
      const jobId = randomUUID();
      const lease = await acquireLease(
        deps.storage,
        REPORT_LEASE_KEY,
        `${jobId}/${instanceId}`,
        leaseTtlMs,
        deps.clock,
      );
      if (!lease) {
        const again = await runningJob();
        if (again) return { kind: 'already-running', view: initialView(again, deps.clock.now()) };
        throw new Error('mfa report lease held without an active report');
      }
      const now = deps.clock.now();
      let job: ReportJob = {
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
      const first = deps.cards.progress(initialView(job, now));
      let posted: { activityId: string };
      try {
        posted = request.post
          ? await request.post(first)
          : await deps.messenger.send(request.conversation, { card: first });
      } catch (error) {
        await releaseLease(deps.storage, lease);
        throw error;
      }
      job = { ...job, progressActivityId: posted.activityId || null };
      await deps.storage.put(reportJobKey(jobId), job, { overwrite: true });
      await deps.storage.put(REPORT_ACTIVE_KEY, { jobId }, { overwrite: true });
      launch(job, lease);
      return { kind: 'started', jobId };
    },

    async cancel(jobId, by) {
      const job = await readReportJob(deps.storage, jobId);
      if (!job || job.state !== 'running') return { kind: 'not-running' };
      await deps.storage.put(reportCancelKey(jobId), { by: by.name ?? by.aadObjectId }, { overwrite: true });
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
