import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { GraphCredentialSettings } from '../graph/credentials';
import type { Logger } from '../log';
import type { AlertStore } from './alert-store';
import { stableId } from './alert-id';
import { queueAlert } from './queue-alert';
import { RULES } from './rule-catalog';
import type { Alert, HealthProblem } from './types';

const jobs = new AsyncLocalStorage<string>();

/**
 * Runs `work` as the named background job: every Graph call it makes, now or in the loops it starts, is attributed
 * to the job, so a 401/403 there becomes a self-health alert (interactive commands already answer their caller).
 */
export function runAsJob<T>(job: string, work: () => T): T {
  return jobs.run(job, work);
}

/** The background job the current async context belongs to, if any. */
export function currentJob(): string | null {
  return jobs.getStore() ?? null;
}

/** A Graph 401 (the credential no longer works) or 403 (a permission is missing) as the self-health card shows it. */
export function healthProblemOf(
  error: unknown,
  job: string,
  credential: GraphCredentialSettings['kind'],
): HealthProblem | null {
  const kind = isCodedError(error, 'graph_unauthorized')
    ? 'credential'
    : isCodedError(error, 'graph_forbidden')
      ? 'permission'
      : null;
  if (kind === null || !isCodedError(error)) return null;
  const d = error.details;
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return {
    kind,
    job,
    credential,
    permission: kind === 'permission' ? text(d.permission) : null,
    request: text(d.method) && text(d.resource) ? `${String(d.method)} ${String(d.resource)}` : null,
    graphCode: text(d.graphCode),
  };
}

/** What became of a report: queued for the alert channels, a repeat inside the hour, or not a 401/403. */
export type HealthReportOutcome = 'queued' | 'repeat' | 'ignored';

export interface SelfHealth {
  report(job: string, error: unknown): Promise<HealthReportOutcome>;
}

/**
 * Turns persistent Graph 401/403s of background jobs into one `bot-health` alert per problem per hour, posted to
 * every subscribed alert channel through the durable outbox. The hour is a suppression claim in storage, so it
 * holds across instances and restarts; a per-process memo spares storage the repeats of a job that fails every poll.
 */
export function createSelfHealth(deps: {
  store: AlertStore;
  clock: Clock;
  logger: Logger;
  credential: GraphCredentialSettings['kind'];
}): SelfHealth {
  const log = deps.logger.child({ component: 'self-health' });
  const lastQueued = new Map<string, number>();
  return {
    async report(job, error) {
      const problem = healthProblemOf(error, job, deps.credential);
      if (problem === null) return 'ignored';
      const now = deps.clock.now();
      const dedupeKey = `bot-health|${problem.kind}|${problem.permission ?? ''}`;
      const last = lastQueued.get(dedupeKey);
      if (last !== undefined && now - last < RULES['bot-health'].suppressMs) return 'repeat';
      const alert: Alert = {
        id: stableId('bot-health', dedupeKey, String(now)),
        rule: 'bot-health',
        severity: RULES['bot-health'].severity,
        dedupeKey,
        occurredAt: new Date(now).toISOString(),
        subject: { id: null, upn: null, displayName: null },
        actor: null,
        actorKind: 'app',
        ip: null,
        location: null,
        activity: problem.request ?? 'Microsoft Graph',
        detail: problem.permission,
        sourceIds: [],
        health: problem,
      };
      try {
        // The hour is claimed first, so a repeat costs one counter update and leaves no marker per failure.
        const claimed = await deps.store.claimSuppression(dedupeKey, alert.id, now, RULES['bot-health'].suppressMs);
        if (!claimed) return 'repeat';
        const outcome = await queueAlert(deps.store, alert, now);
        // Only a card this process queued starts its hour here; a repeat found in storage may be near its end.
        if (outcome.kind === 'queued') lastQueued.set(dedupeKey, now);
        log[outcome.kind === 'queued' ? 'error' : 'debug'](
          {
            job,
            problem: problem.kind,
            permission: problem.permission,
            request: problem.request,
            outcome: outcome.kind,
          },
          problem.kind === 'credential'
            ? 'Graph rejected the bot credential (401) in a background job'
            : 'Graph refused a background job (403): a permission is missing',
        );
        return outcome.kind === 'queued' ? 'queued' : 'repeat';
      } catch (storageError) {
        // The job's own failure handling goes on; the next failure tries to alert again.
        log.error({ err: storageError, job }, 'could not queue the self-health alert');
        return 'ignored';
      }
    },
  };
}
