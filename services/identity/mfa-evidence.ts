/** Reads what the MFA verdict needs: one `$batch` of independent reads, then the audit trail through its port. */
import type { Clock } from '../clock';
import type { UserRef } from '../ids';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readBatch, readRest, type BatchReplies, type Reads } from '../graph/read';
import type { AuthenticationMethodsPolicy, AuthorizationPolicy, ConditionalAccessPolicy } from '../graph/schemas';
import type { DirectoryObject } from '../graph/schemas/directory-object';
import type { GraphUser } from '../graph/schemas/user';
import type { UserResolver } from '../graph/user-resolver';
import type { AuditEvidenceSource } from './audit-evidence';
import type { MfaInput } from './mfa-verdict';

/** Tenant-wide policies: the same for every user, so they may be cached briefly. */
export interface TenantPolicies {
  methodsPolicy: AuthenticationMethodsPolicy;
  authorizationPolicy: AuthorizationPolicy;
  caPolicies: ConditionalAccessPolicy[];
}

/** A small time-bounded cache for the tenant policies (CA reads share a 1 request/s tenant-wide limit). */
export interface PolicyCache {
  get(now: number): TenantPolicies | null;
  set(value: TenantPolicies, now: number): void;
}

export function createPolicyCache(ttlMs: number): PolicyCache {
  let entry: { value: TenantPolicies; at: number } | null = null;
  return {
    get: (now) => (entry && ttlMs > 0 && now - entry.at < ttlMs ? entry.value : null),
    set: (value, now) => {
      entry = { value, at: now };
    },
  };
}

/** The MFA reads about one user, addressed by id when known (the registration row by UPN filter otherwise). */
export function mfaReads(address: UserRef) {
  return {
    user: endpoints.user.at({ user: address }),
    methods: endpoints.authenticationMethods.at({ user: address }),
    registration:
      address.kind === 'id'
        ? endpoints.registrationDetails.at({ id: address.id })
        : endpoints.registrationDetailsByUpn.at({ upn: address.upn }),
    memberOf: endpoints.transitiveMemberOf.at({ user: address }),
  };
}

/** The tenant-wide policy reads, batched with the user's when the cache has none. */
export const policyReads = {
  methodsPolicy: endpoints.authenticationMethodsPolicy.at({}),
  authorizationPolicy: endpoints.authorizationPolicy.at({}),
  caPolicies: endpoints.conditionalAccessPolicies.at({}),
};

type MfaReads = ReturnType<typeof mfaReads> & Partial<typeof policyReads>;

/** The parsed MFA reads, before the audit trail is added. */
export interface MfaGraphData {
  user: GraphUser;
  methods: MfaInput['methods'];
  registration: MfaInput['registration'];
  groupIds: string[];
  roleTemplateIds: string[];
  directoryRoles: string[];
  policies: TenantPolicies;
}

/** Parse the batch replies; transitiveMemberOf's further pages (rare: > 100 groups) are read afterwards, bounded. */
export async function parseMfaReplies(
  client: GraphClient,
  replies: BatchReplies<MfaReads>,
  reads: MfaReads,
  cached: TenantPolicies | null,
): Promise<MfaGraphData> {
  const user = replies.value('user');
  const methods = replies.value('methods').value;
  // No row in the report (or no report: no P1/P2) is 404 by id, an empty list by UPN: "no row", not an error.
  const registration = replies.valueOrNull('registration');
  const firstPage = replies.value('memberOf');
  const members: DirectoryObject[] = [...firstPage.value];
  const more = firstPage['@odata.nextLink'];
  if (more !== undefined) members.push(...(await readRest(client, reads.memberOf, more, { maxItems: 5_000 })).items);
  const policies: TenantPolicies = cached ?? {
    methodsPolicy: replies.value('methodsPolicy'),
    authorizationPolicy: replies.value('authorizationPolicy'),
    caPolicies: replies.value('caPolicies').value,
  };
  return {
    user,
    methods,
    registration,
    groupIds: members.flatMap((m) => (m.kind === 'group' ? [m.id] : [])),
    roleTemplateIds: members.flatMap((m) => (m.kind === 'directoryRole' && m.roleTemplateId ? [m.roleTemplateId] : [])),
    directoryRoles: members.flatMap((m) =>
      m.kind === 'directoryRole' ? [m.displayName ?? m.roleTemplateId ?? 'unnamed role'] : [],
    ),
    policies,
  };
}

/** What gathering needs. */
export interface MfaEvidenceDeps {
  client: GraphClient;
  /** The shared UPN → id map: a user asked about before is read by id, with the audit read alongside. */
  users: UserResolver;
  audit: AuditEvidenceSource;
  clock: Clock;
  policies: PolicyCache;
  /** How far back audit evidence is read: the tenant's audit retention (30 days with P1/P2). */
  auditDays: number;
}

const DAY = 24 * 3600_000;

/**
 * Run the batch (plus `extra` reads for callers that need more about the user, addressed the same way) and read
 * the audit trail. When the user's id is already known the audit read runs alongside the batch, so the check costs
 * one round trip; a first ask by UPN needs the id the batch returns before the audit log can be filtered.
 */
export async function gatherMfaInput<E extends Reads, L = undefined>(
  deps: MfaEvidenceDeps,
  ref: UserRef,
  extra: (address: UserRef) => E = () => ({}) as E,
  /** Reads that need the user's id, run alongside the audit read once the batch has returned it. */
  alongsideAudit?: (userId: string, address: UserRef) => Promise<L>,
): Promise<{
  input: MfaInput;
  data: MfaGraphData;
  extra: BatchReplies<E>;
  address: UserRef;
  alongside: L | undefined;
}> {
  const now = deps.clock.now();
  const since = new Date(now - deps.auditDays * DAY);
  const cached = deps.policies.get(now);
  const gathered = await deps.users.readAbout(
    ref,
    async (address) => {
      const reads: MfaReads = { ...mfaReads(address), ...(cached === null ? policyReads : {}) };
      const auditEarly = address.kind === 'id' ? deps.audit.securityInfoEvents(address.id, since) : null;
      // Settle the early read even if the batch fails, so its rejection is never left unhandled.
      auditEarly?.catch(() => undefined);
      const replies = await readBatch(deps.client, { ...extra(address), ...reads }, { priority: 'interactive' });
      const data = await parseMfaReplies(deps.client, replies, reads, cached);
      return { data, auditEarly, replies, address };
    },
    (g) => g.data.user,
  );
  const { data, auditEarly, replies, address } = gathered;
  if (cached === null) deps.policies.set(data.policies, now);
  const late = alongsideAudit?.(data.user.id, address);
  // Settle it even if the audit read fails, so its rejection is never left unhandled.
  late?.catch(() => undefined);
  const audit = await (auditEarly ?? deps.audit.securityInfoEvents(data.user.id, since));
  const alongside = late === undefined ? undefined : await late;
  const input: MfaInput = {
    user: {
      id: data.user.id,
      userPrincipalName: data.user.userPrincipalName,
      displayName: data.user.displayName,
      userType: data.user.userType,
      onPremisesSyncEnabled: data.user.onPremisesSyncEnabled,
    },
    methods: data.methods,
    registration: data.registration,
    groupIds: data.groupIds,
    roleTemplateIds: data.roleTemplateIds,
    methodsPolicy: data.policies.methodsPolicy,
    authorizationPolicy: data.policies.authorizationPolicy,
    caPolicies: data.policies.caPolicies,
    audit: {
      events: audit.events,
      coveredFrom: audit.coveredFrom === null ? null : audit.coveredFrom.toISOString(),
    },
  };
  return { input, data, extra: replies, address, alongside };
}
