/** Graph reads for `sspr` and `sspr-check`: the user, the registration row and SSPR audit records, in one `$batch`. */
import {
  batch,
  batchItemValue,
  collectionSchema,
  directoryAuditSchema,
  odataString,
  resolveUser,
  userRegistrationDetailsSchema,
  withQuery,
  type BatchItem,
  type DirectoryAudit,
  type GraphClient,
  type UserRegistrationDetails,
} from '../graph';
import type { UserRef } from '../ids';
import type { AuditEvidenceSource } from './audit-evidence';
import { directoryUserSchema, userItem } from './sign-ins-read';
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
  client: GraphClient,
  ref: UserRef,
  since: number,
  audit?: AuditEvidenceSource,
): Promise<SsprInput> {
  const id = await resolveUser(client, ref);
  const filter = [
    `loggedByService eq ${odataString(SSPR_SERVICE)}`,
    `targetResources/any(t: t/id eq ${odataString(id)})`,
    `activityDateTime ge ${new Date(since).toISOString()}`,
  ].join(' and ');
  const items = {
    user: userItem(id),
    registration: {
      id: 'registration',
      method: 'GET',
      url: `/reports/authenticationMethods/userRegistrationDetails/${encodeURIComponent(id)}`,
    },
    audits: {
      id: 'audits',
      method: 'GET',
      url: withQuery('/auditLogs/directoryAudits', { $filter: filter, $top: SSPR_RECORDS_READ }),
    },
  } satisfies Record<string, BatchItem>;
  const batched = audit ? [items.user, items.registration] : Object.values(items);
  const [results, evidence] = await Promise.all([
    batch(client, batched, { priority: 'interactive' }),
    audit ? audit.securityInfoEvents(id, new Date(since)) : Promise.resolve(null),
  ]);
  const user = batchItemValue(results.get('user'), items.user, directoryUserSchema);
  const regResult = results.get('registration');
  // No row in the report (new user, or outside the report's scope) is "unknown", not an error.
  const registration =
    regResult?.status === 404 ? null : batchItemValue(regResult, items.registration, userRegistrationDetailsSchema);
  let records: DirectoryAudit[];
  let truncated: boolean;
  if (evidence) {
    records = evidence.events;
    truncated = evidence.coveredFrom === null || evidence.coveredFrom.getTime() > since;
  } else {
    const audits = batchItemValue(results.get('audits'), items.audits, collectionSchema(directoryAuditSchema));
    records = audits.value;
    truncated = audits['@odata.nextLink'] !== undefined;
  }
  return {
    user: { id: user.id, displayName: user.displayName ?? null, userPrincipalName: user.userPrincipalName },
    registration,
    records,
    truncated,
  };
}
