/** Reads what the MFA verdict needs: one `$batch` of independent reads, then the audit trail through its port. */
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import type { UserRef } from '../ids';
import { batch, batchItemValue, type BatchItem, type BatchItemResult } from '../graph/batch';
import type { GraphClient } from '../graph/client';
import { odataString, userPath, withQuery } from '../graph/odata';
import { onlyMatch } from '../graph/users';
import { collectAll, nextLinkPath } from '../graph/paging';
import {
  authenticationMethodSchema,
  authenticationMethodsPolicySchema,
  authorizationPolicySchema,
  collectionSchema,
  conditionalAccessPolicySchema,
  directoryObjectSchema,
  graphUserSchema,
  userRegistrationDetailsSchema,
  userSelect,
  type AuthenticationMethodsPolicy,
  type AuthorizationPolicy,
  type ConditionalAccessPolicy,
} from '../graph/schemas';
import type { DirectoryObject } from '../graph/schemas/directory-object';
import type { GraphUser } from '../graph/schemas/user';
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

const REGISTRATION_PATH = '/reports/authenticationMethods/userRegistrationDetails';
const methodsPage = collectionSchema(authenticationMethodSchema);
const membersPage = collectionSchema(directoryObjectSchema);
const registrationPage = collectionSchema(userRegistrationDetailsSchema);
const caPage = collectionSchema(conditionalAccessPolicySchema);

/** The object id to address the user by, when we already know it (an id ref, or a UPN resolved before). */
export function knownUserId(client: GraphClient, ref: UserRef): string | null {
  if (ref.kind === 'id') return ref.id;
  return client.resolvedUsers.get(ref.upn.toLowerCase()) ?? null;
}

/** The user's path for batch items: by the known object id, else by the reference (`$`-safe, see userPath). */
export function userBasePath(client: GraphClient, ref: UserRef): string {
  const id = knownUserId(client, ref);
  return id === null ? userPath(ref) : userPath({ kind: 'id', id: id as never });
}

/** The batch items of an MFA check (policies only when the cache has none). */
export function mfaBatchItems(client: GraphClient, ref: UserRef, withPolicies: boolean): Record<string, BatchItem> {
  const base = userBasePath(client, ref);
  const id = knownUserId(client, ref);
  const registration =
    id !== null
      ? `${REGISTRATION_PATH}/${encodeURIComponent(id)}`
      : withQuery(REGISTRATION_PATH, {
          $filter: `userPrincipalName eq ${odataString(ref.kind === 'upn' ? ref.upn : '')}`,
        });
  const items: Record<string, BatchItem> = {
    user: { id: 'user', method: 'GET', url: withQuery(base, { $select: [...userSelect] }) },
    methods: { id: 'methods', method: 'GET', url: `${base}/authentication/methods` },
    registration: { id: 'registration', method: 'GET', url: registration },
    memberOf: { id: 'memberOf', method: 'GET', url: `${base}/transitiveMemberOf` },
  };
  if (withPolicies) {
    items.methodsPolicy = { id: 'methodsPolicy', method: 'GET', url: '/policies/authenticationMethodsPolicy' };
    items.authorizationPolicy = { id: 'authorizationPolicy', method: 'GET', url: '/policies/authorizationPolicy' };
    items.caPolicies = { id: 'caPolicies', method: 'GET', url: '/identity/conditionalAccess/policies' };
  }
  return items;
}

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

function item(items: Record<string, BatchItem>, key: string): BatchItem {
  const found = items[key];
  if (!found) throw new CodedError('invalid_input', `no batch item ${key}`, { key });
  return found;
}

/** A 404 on the report means no row for the user (or no report at all), not an error. */
function registrationOf(result: BatchItemResult | undefined, spec: BatchItem): MfaInput['registration'] {
  if (result?.status === 404) return null;
  if (spec.url.includes('$filter'))
    return onlyMatch(batchItemValue(result, spec, registrationPage).value, 'registration report');
  return batchItemValue(result, spec, userRegistrationDetailsSchema);
}

/** Parse the batch replies; memberOf's further pages (rare: > 100 groups) are read afterwards, bounded. */
export async function parseMfaBatch(
  client: GraphClient,
  results: Map<string, BatchItemResult>,
  items: Record<string, BatchItem>,
  cached: TenantPolicies | null,
): Promise<MfaGraphData> {
  const user = batchItemValue(results.get('user'), item(items, 'user'), graphUserSchema);
  const methods = batchItemValue(results.get('methods'), item(items, 'methods'), methodsPage).value;
  const registration = registrationOf(results.get('registration'), item(items, 'registration'));
  const memberOf = batchItemValue(results.get('memberOf'), item(items, 'memberOf'), membersPage);
  const members: DirectoryObject[] = [...memberOf.value];
  const more = memberOf['@odata.nextLink'];
  if (more !== undefined) {
    const rest = await collectAll(client, nextLinkPath(more), directoryObjectSchema, { maxItems: 5_000 });
    members.push(...rest.items);
  }
  const policies: TenantPolicies = cached ?? {
    methodsPolicy: batchItemValue(
      results.get('methodsPolicy'),
      item(items, 'methodsPolicy'),
      authenticationMethodsPolicySchema,
    ),
    authorizationPolicy: batchItemValue(
      results.get('authorizationPolicy'),
      item(items, 'authorizationPolicy'),
      authorizationPolicySchema,
    ),
    caPolicies: batchItemValue(results.get('caPolicies'), item(items, 'caPolicies'), caPage).value,
  };
  client.resolvedUsers.set(user.userPrincipalName.toLowerCase(), user.id);
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
  audit: AuditEvidenceSource;
  clock: Clock;
  policies: PolicyCache;
  /** How far back audit evidence is read: the tenant's audit retention (30 days with P1/P2). */
  auditDays: number;
}

const DAY = 24 * 3600_000;

/**
 * Run the batch (plus `extra` items for callers that need more about the user) and read the audit trail. When the
 * user's id is already known the audit read runs alongside the batch, so the check costs one round trip.
 */
export async function gatherMfaInput(
  deps: MfaEvidenceDeps,
  ref: UserRef,
  extra: readonly BatchItem[] = [],
): Promise<{ input: MfaInput; data: MfaGraphData; extra: Map<string, BatchItemResult> }> {
  const now = deps.clock.now();
  const cached = deps.policies.get(now);
  const items = mfaBatchItems(deps.client, ref, cached === null);
  const since = new Date(now - deps.auditDays * DAY);
  const early = knownUserId(deps.client, ref);
  const auditEarly = early === null ? null : deps.audit.securityInfoEvents(early, since);
  // Settle the early read even if the batch fails, so its rejection is never left unhandled.
  auditEarly?.catch(() => undefined);
  const results = await batch(deps.client, [...Object.values(items), ...extra], { priority: 'interactive' });
  const data = await parseMfaBatch(deps.client, results, items, cached);
  if (cached === null) deps.policies.set(data.policies, now);
  const audit = await (auditEarly !== null && early === data.user.id.toLowerCase()
    ? auditEarly
    : deps.audit.securityInfoEvents(data.user.id, since));
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
  const extraResults = new Map([...results].filter(([key]) => extra.some((e) => e.id === key)));
  return { input, data, extra: extraResults };
}
