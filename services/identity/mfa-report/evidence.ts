/**
 * Audit evidence for `report mfa`: one tenant-wide security-info query over the retention window (never one query per
 * user), indexed by the user each record targets; or the alert poller's mirror when it covers the window.
 */
import type { GraphClient } from '../../graph/client';
import { endpoints } from '../../graph/endpoints';
import { readPages } from '../../graph/read';
import type { DirectoryAudit } from '../../graph/schemas';
import { isSecurityInfoEvent } from '../audit-evidence';

/** The evidence of one report run. */
export interface ReportEvidenceSet {
  /** Complete from here on (retention, or the oldest record read when a bound stopped the read); null: none read. */
  coveredFrom: Date | null;
  /** Where it came from, for the card. */
  source: 'graph' | 'mirror';
  eventsOf(userId: string): Promise<DirectoryAudit[]>;
}

/** The report's evidence port. */
export interface ReportEvidence {
  open(since: Date, opts?: { signal?: AbortSignal }): Promise<ReportEvidenceSet>;
}

export interface GraphReportEvidenceOptions {
  pageSize?: number;
  /** A bound on the read (records beyond it are not read; coverage then starts at the oldest record read). */
  maxPages?: number;
}

/** Every security-info record of the tenant since `since`, newest first, one query; indexed by target user. */
export function createGraphReportEvidence(graph: GraphClient, opts: GraphReportEvidenceOptions = {}): ReportEvidence {
  const pageSize = opts.pageSize ?? 1000;
  const maxPages = opts.maxPages ?? 1000;
  return {
    async open(since, { signal } = {}) {
      const byUser = new Map<string, DirectoryAudit[]>();
      const read = endpoints.securityInfoAudits.at({ since, top: pageSize });
      let complete = true;
      let oldest = Infinity;
      const pages = readPages(graph, read, { maxPages, priority: 'background', ...(signal ? { signal } : {}) });
      for await (const page of pages) {
        for (const event of page.items) {
          oldest = Math.min(oldest, Date.parse(event.activityDateTime));
          if (!isSecurityInfoEvent(event)) continue;
          for (const target of event.targetResources) {
            const id = (target.id ?? '').toLowerCase();
            if (id === '') continue;
            const list = byUser.get(id);
            if (list) list.push(event);
            else byUser.set(id, [event]);
          }
        }
        complete = !page.hasMore;
      }
      const coveredFrom = complete || !Number.isFinite(oldest) ? since : new Date(oldest);
      return {
        coveredFrom,
        source: 'graph',
        // Each user's records are handed out once (the runner judges each user once), so memory shrinks as it goes.
        eventsOf(userId) {
          const id = userId.toLowerCase();
          const events = byUser.get(id) ?? [];
          byUser.delete(id);
          return Promise.resolve(events);
        },
      };
    },
  };
}
