/** Where interactive checks read a user's security-info audit trail: the alert poller's mirror, or Graph. */
import type { DirectoryAudit } from '../graph/schemas';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readPages } from '../graph/read';

/**
 * The audit port. `coveredFrom` is the oldest instant the answer is complete from (events before it may exist but
 * were not read: retention, a page bound); null when nothing could be read at all.
 */
export interface AuditEvidenceSource {
  securityInfoEvents(userId: string, since: Date): Promise<{ events: DirectoryAudit[]; coveredFrom: Date | null }>;
}

const SECURITY_INFO_SERVICES = new Set(['authentication methods', 'self-service password management']);
const STRONG_AUTH_APP = 'azure mfa strongauthenticationservice';
const DEVICE_REGISTRATION_APP = 'device registration service';

/** Security info, SSPR and StrongAuthenticationService / Device Registration "Update user" records. */
export function isSecurityInfoEvent(event: DirectoryAudit): boolean {
  const service = (event.loggedByService ?? '').trim().toLowerCase();
  if (SECURITY_INFO_SERVICES.has(service)) return true;
  const app = (event.initiatedBy.app?.displayName ?? '').trim().toLowerCase();
  if (app === STRONG_AUTH_APP || app === DEVICE_REGISTRATION_APP) return true;
  return /security info|temporary access pass/i.test(event.activityDisplayName);
}

/** Bounds for the Graph source: an interactive check may spend one reports-class read here. */
export interface GraphAuditEvidenceOptions {
  pageSize?: number;
  maxPages?: number;
}

/**
 * directoryAudits filtered by target id and time, newest first. When the bound stops it before the end, coverage
 * starts at the oldest event read, so the verdict never treats unread history as "no evidence".
 */
export function createGraphAuditEvidenceSource(
  client: GraphClient,
  opts: GraphAuditEvidenceOptions = {},
): AuditEvidenceSource {
  const pageSize = opts.pageSize ?? 500;
  const maxPages = opts.maxPages ?? 1;
  return {
    async securityInfoEvents(userId, since) {
      const read = endpoints.userAudits.at({ userId, since, top: pageSize, newestFirst: true });
      const events: DirectoryAudit[] = [];
      let complete = true;
      for await (const page of readPages(client, read, { maxPages, priority: 'interactive' })) {
        events.push(...page.items);
        complete = !page.hasMore;
      }
      let coveredFrom = since;
      if (!complete) {
        const oldest = events.reduce((min, e) => Math.min(min, Date.parse(e.activityDateTime)), Infinity);
        if (Number.isFinite(oldest)) coveredFrom = new Date(oldest);
      }
      return { events: events.filter(isSecurityInfoEvent), coveredFrom };
    },
  };
}
