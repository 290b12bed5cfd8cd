import type { Clock } from '../clock';
import { isSecurityInfoEvent, type AuditEvidenceSource } from '../identity/audit-evidence';
import type { ReportEvidence } from '../identity/mfa-report/evidence';
import type { AlertStore } from './alert-store';

/** How fresh the mirror must be to answer instead of Graph. */
export interface MirrorOptions<F = AuditEvidenceSource> {
  store: AlertStore;
  clock: Clock;
  /** The mirror answers only while the last complete poll is at most this old. */
  maxLagMs: number;
  /** Where to read when the mirror does not cover the window (Graph). */
  fallback: F;
}

/** Whether the mirror holds the whole window from `since` (from its first poll) and its last poll is recent. */
async function mirrorCovers(options: MirrorOptions<unknown>, since: Date): Promise<boolean> {
  const state = await options.store.pollerState();
  const from = state.mirrorFrom === null ? null : Date.parse(state.mirrorFrom);
  const to = state.watermark === null ? null : Date.parse(state.watermark);
  const fresh = to !== null && options.clock.now() - to <= options.maxLagMs;
  return from !== null && fresh && since.getTime() >= from;
}

/**
 * The audit evidence port over the poller's mirror: it answers when it holds the whole window (from its first
 * poll to a recent one), so an interactive `mfa` check spends no reports-class request; otherwise Graph answers.
 */
export function createMirrorEvidenceSource(options: MirrorOptions): AuditEvidenceSource {
  return {
    async securityInfoEvents(userId, since) {
      if (!(await mirrorCovers(options, since))) return options.fallback.securityInfoEvents(userId, since);
      const events = await options.store.mirrored(userId, since.getTime());
      return { events: events.filter(isSecurityInfoEvent), coveredFrom: since };
    },
  };
}

/**
 * `report mfa` evidence over the mirror: when the mirror holds the whole window and is fresh, each user's records are
 * read from storage (no reports-class request at all); otherwise the one tenant-wide Graph query answers.
 */
export function createMirrorReportEvidence(options: MirrorOptions<ReportEvidence>): ReportEvidence {
  return {
    async open(since, opts) {
      if (!(await mirrorCovers(options, since))) return options.fallback.open(since, opts);
      return {
        coveredFrom: since,
        source: 'mirror',
        eventsOf: async (userId) =>
          (await options.store.mirrored(userId.toLowerCase(), since.getTime())).filter(isSecurityInfoEvent),
      };
    },
  };
}
