import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readPages } from '../graph/read';
import type { DirectoryAudit } from '../graph/schemas';
import { isSecurityInfoEvent } from '../identity/audit-evidence';
import type { Logger } from '../log';
import { createLoop } from '../loop';
import { acquireLease, releaseLease, renewLease, type Lease } from '../storage/lease';
import type { AlertStore } from './alert-store';
import { matchAuditEvent } from './audit-rules';
import { queueAlert, type NewAlertHook } from './queue-alert';
import { completes, registrationChanges, stalledAlert } from './stall';
import type { Alert } from './types';

/** Extra alert sources read on each poll (risky users, watched mailboxes); they return alerts, never throw for "none". */
export type AlertSource = (since: number, now: number) => Promise<Alert[]>;

export interface PollerOptions {
  graph: GraphClient;
  store: AlertStore;
  clock: Clock;
  logger: Logger;
  /** This instance's name in the lease. */
  owner: string;
  intervalMs: number;
  /** How long the lease lasts without renewal (default: three intervals, at least 30 s). */
  leaseTtlMs?: number;
  /** How far each query reaches back before the watermark, for records Graph logs late (default AUDIT_OVERLAP_MS). */
  overlapMs?: number;
  stallMs: number;
  pageSize?: number;
  sources?: AlertSource[];
  /** Called for each new alert before its record is written (services/confirm asks the user "was this you?"). */
  onNewAlert?: NewAlertHook;
  /** Called when alerts were queued, so delivery can start without waiting for its own tick. */
  onQueued?: () => void;
}

/** The result of one poll. */
export type PollOutcome =
  | { kind: 'not-leader'; holder: string | null }
  | { kind: 'polled'; events: number; newEvents: number; queued: number; watermark: string }
  | { kind: 'failed'; code: string };

export const POLLER_LEASE_KEY = 'alerts/lease/poller';

/**
 * Graph logs audit records late (historically P95 2 min, P99 5 min, and no current bound is published), so each
 * query reaches this far back before the watermark; reliability-security.md §5 asks for at least 15 minutes.
 */
export const AUDIT_OVERLAP_MS = 15 * 60_000;

/** The directory-audit poller: one active instance (lease), overlapping windows, dedupe by id, durable queueing. */
export function createAlertPoller(options: PollerOptions) {
  const log = options.logger.child({ component: 'alert-poller' });
  const store = options.store;
  const leaseTtl = options.leaseTtlMs ?? Math.max(3 * options.intervalMs, 30_000);
  const overlapMs = options.overlapMs ?? AUDIT_OVERLAP_MS;
  let suppressed = 0;
  // The lease as this instance last took or renewed it, so stop() can hand it over at once.
  let held: Lease | null = null;

  async function ingest(
    events: readonly DirectoryAudit[],
    now: number,
    seen: Set<string>,
  ): Promise<{ fresh: number; queued: number }> {
    const unseen: DirectoryAudit[] = [];
    for (const event of events) if (!seen.has(event.id)) unseen.push(event);
    const changes = registrationChanges(unseen);
    for (const started of changes.started) await store.addPendingRegistration(started);
    const subscriptions = await store.subscriptions();
    let queued = 0;
    for (const event of unseen) {
      const alert = matchAuditEvent(event);
      const outcome = alert ? await queueAlert(store, alert, now, subscriptions, options.onNewAlert) : null;
      if (outcome?.kind === 'queued') queued++;
      if (outcome?.kind === 'suppressed') suppressed++;
      if (isSecurityInfoEvent(event)) {
        const users = new Set(event.targetResources.map((t) => t.id).filter((id): id is string => id !== null));
        for (const userId of users) await store.mirror(userId, event);
      }
    }
    // Last: a page counts as seen only once its alerts are durably queued and its events mirrored.
    await store.markSeen(unseen);
    for (const event of unseen) seen.add(event.id);
    return { fresh: unseen.length, queued };
  }

  async function settleRegistrations(now: number): Promise<number> {
    let queued = 0;
    for (const item of await store.pendingRegistrations()) {
      const pending = item.value;
      const since = Date.parse(pending.startedAt) - 60_000;
      const trail = pending.subject.id ? await store.mirrored(pending.subject.id, since) : [];
      const { completed } = registrationChanges(trail);
      if (completed.some((c) => completes(pending, c.at, options.stallMs))) {
        await store.removePendingRegistration(item);
        continue;
      }
      const alert = stalledAlert(pending, now, options.stallMs);
      if (!alert) continue;
      if ((await queueAlert(store, alert, now, undefined, options.onNewAlert)).kind === 'queued') queued++;
      await store.removePendingRegistration(item);
    }
    return queued;
  }

  async function pollOnce(): Promise<PollOutcome> {
    const now = options.clock.now();
    const lease = await acquireLease(store.storage, POLLER_LEASE_KEY, options.owner, leaseTtl, options.clock);
    held = lease;
    if (!lease) {
      const holder = await store.storage.get<{ owner: string }>(POLLER_LEASE_KEY);
      return { kind: 'not-leader', holder: holder?.value.owner ?? null };
    }
    const state = await store.pollerState();
    const watermark = state.watermark === null ? now : Date.parse(state.watermark);
    // The first poll starts at now minus the overlap: subscribing never replays old history into a channel.
    const from = watermark - overlapMs;
    const read = endpoints.auditWindow.at({ from, to: now, top: options.pageSize ?? 500 });
    let events = 0;
    let fresh = 0;
    let queued = 0;
    let current = lease;
    try {
      const seen = await store.seenSince(from);
      for await (const page of readPages(options.graph, read, { priority: 'background' })) {
        events += page.items.length;
        const result = await ingest(page.items, now, seen);
        fresh += result.fresh;
        queued += result.queued;
        // A long poll (a storm of events) keeps its lease, or another instance would start the same work.
        const renewed = await renewLease(store.storage, current, leaseTtl, options.clock);
        held = renewed;
        if (!renewed) throw new Error('lost the poller lease during a poll');
        current = renewed;
      }
      queued += await settleRegistrations(now);
      for (const [index, source] of (options.sources ?? []).entries()) {
        let alerts: Alert[];
        try {
          alerts = await source(from, now);
        } catch (error) {
          // A source without its permission or licence (riskyUsers needs P2) must not hold back the audit rules.
          const code = isCodedError(error) ? error.code : 'unexpected';
          log.warn(
            { source: index, code, err: error },
            'an alert source failed; audit alerts continue. Check its permission',
          );
          continue;
        }
        for (const alert of alerts) {
          if ((await queueAlert(store, alert, now, undefined, options.onNewAlert)).kind === 'queued') queued++;
        }
      }
    } catch (error) {
      const code = isCodedError(error) ? error.code : 'unexpected';
      // The watermark stays where it was: the next poll re-reads the same window, and dedupe drops what was done.
      const hint =
        code === 'graph_forbidden'
          ? ' Grant AuditLog.Read.All (application) with admin consent.'
          : code === 'graph_throttled'
            ? ' The reports budget (5 requests / 10 s) is busy; interactive checks go first.'
            : '';
      log.warn({ code, err: error }, `alert poll failed; the next poll re-reads from the same watermark.${hint}`);
      await store.updatePollerState((s) => ({
        ...s,
        lastPollAt: new Date(now).toISOString(),
        lastPollOk: false,
        lastError: code,
        eventsRead: s.eventsRead + fresh,
        alertsQueued: s.alertsQueued + queued,
      }));
      if (queued > 0) options.onQueued?.();
      return { kind: 'failed', code };
    }
    const next = new Date(now).toISOString();
    await store.updatePollerState((s) => ({
      ...s,
      watermark: next,
      mirrorFrom: s.mirrorFrom ?? new Date(from).toISOString(),
      lastPollAt: next,
      lastPollOk: true,
      lastError: null,
      eventsRead: s.eventsRead + fresh,
      alertsQueued: s.alertsQueued + queued,
      suppressed: s.suppressed + suppressed,
    }));
    suppressed = 0;
    await store.pruneSeen(from - overlapMs);
    if (queued > 0) options.onQueued?.();
    return { kind: 'polled', events, newEvents: fresh, queued, watermark: next };
  }

  // A failed Graph read is a poll result (pollOnce logs it, the next poll re-reads the window); a throw is
  // unexpected (storage?) and backs off. Jitter keeps several instances from contending for the lease in step.
  const loop = createLoop({
    name: 'alert poller',
    clock: options.clock,
    logger: log,
    intervalMs: options.intervalMs,
    jitter: 0.1,
    tick: () => pollOnce(),
  });

  return {
    pollOnce,
    /** Polls about every intervalMs until stop(). */
    start: () => loop.start(),
    /** Stops polling; once a poll in flight has ended, gives up the lease so another instance polls at once. */
    async stop(): Promise<void> {
      await loop.stop();
      const lease = held;
      held = null;
      if (!lease || lease.expiresAt <= options.clock.now()) return;
      await releaseLease(store.storage, lease).catch((error: unknown) => {
        log.warn({ err: error }, 'poller lease not released; it expires on its own');
      });
    },
  };
}

export type AlertPoller = ReturnType<typeof createAlertPoller>;
