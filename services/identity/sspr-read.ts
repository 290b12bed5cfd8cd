/** Graph reads for `sspr` and `sspr-check`: the user, the registration row and SSPR audit records, in one `$batch`. */
import {
  endpoints,
  readBatch,
  type BatchReplies,
  type DirectoryAudit,
  type GraphClient,
  type UserRegistrationDetails,
  type UserResolver,
} from '../graph';
import type { UserRef } from '../ids';
import type { AuditEvidenceSource } from './audit-evidence';
import { SSPR_SERVICE } from './sspr';

/** How far back SSPR records are read: the P1/P2 audit retention. */
export const SSPR_LOOKBACK_MS = 30 * 24 * 3600_000;
/** One page of SSPR records is plenty for one user (a reset is a handful of records; > 5 attempts a day are blocked). */
export const SSPR_RECORDS_READ = 200;

export interface SsprInput {
  user: { id: string; displayName: string | null; userPrincipalName: string };
  registration: UserRegistrationDetails | null;
  records: DirectoryAudit[];
  /** True when the page limit cut the records off (older attempts may be missing). */
  truncated: boolean;
}

/**
 * Reads the user, their registration row and their SSPR records since `since`. With an audit evidence source (the
 * alert poller's mirror, falling back to Graph), the records come from it, in parallel with a `$batch` of the other
 * two reads, so a mirrored window costs one reports-class read; without one, all three travel in one `$batch`.
 */
export async function readSspr(
  graph: { client: GraphClient; users: UserResolver },
  ref: UserRef,
  since: number,
  audit?: AuditEvidenceSource,
): Promise<SsprInput> {
  // The audit log is filtered by target id only, so the id comes first (free when the resolver knows it).
  const id = await graph.users.resolve(ref);
  const user = { kind: 'id', id } as const;
  const reads = {
    user: endpoints.userIdentity.at({ user }),
    registration: endpoints.registrationDetails.at({ id }),
  };
  const sinceDate = new Date(since);
  const read = (r: BatchReplies<typeof reads>) => ({
    user: r.value('user'),
    registration: r.valueOrNull('registration'),
  });
  if (audit) {
    const [replies, evidence] = await Promise.all([
      readBatch(graph.client, reads),
      audit.securityInfoEvents(id, sinceDate),
    ]);
    const truncated = evidence.coveredFrom === null || evidence.coveredFrom.getTime() > since;
    return { ...read(replies), records: evidence.events, truncated };
  }
  const audits = endpoints.userAudits.at({
    userId: id,
    since: sinceDate,
    service: SSPR_SERVICE,
    top: SSPR_RECORDS_READ,
  });
  const replies = await readBatch(graph.client, { ...reads, audits });
  const page = replies.value('audits');
  return { ...read(replies), records: page.value, truncated: page['@odata.nextLink'] !== undefined };
}
