/**
 * Everything `posture` reads, in as few rounds as the reads allow: the policies, Secure Score and the Exchange settings
 * in parallel (one `$batch` for the single resources), then the names of CA exclusions and the licences of admins and
 * VIPs (one `$batch` round). Every read is declared in services/graph/endpoints.ts; each fails on its own.
 */
import type { ExchangeAdminApi } from '../exchange/admin-api';
import type { GraphClient } from '../graph/client';
import type { BoundRead } from '../graph/endpoint';
import { endpoints } from '../graph/endpoints';
import { readAll, readBatch, type BatchReplies, type Reads } from '../graph/read';
import type { LicenseDetail } from '../graph/schemas/license';
import type { ConditionalAccessPolicy } from '../graph/schemas/policies';
import type { UserId } from '../ids';
import type { Storage } from '../storage/port';
import type { LastSweep } from './exchange-checks';
import { readExchangePosture, type ExchangePosture } from './exchange-reads';
import { exclusionsOf, type RegistrationReport } from './identity-checks';
import { readLastSweep } from './last-sweep';
import type { Licensed } from './score-checks';
import { attempt, settle } from './settle';
import type { Named, Source } from './types';
import type { AuthorizationPolicy } from '../graph/schemas/policies';
import type {
  AdminConsentRequestPolicy,
  SecureScore,
  SecureScoreControlProfile,
  SecurityDefaults,
} from '../graph/schemas/posture';

const P1 = 'Entra ID P1 or P2';
// The registration report is paged by Graph; 100 pages cover the largest tenants we plan for (about 100,000 users).
const REPORT_MAX_PAGES = 100;
/** VIP group members whose licences are read; beyond it the check says it looked at the first ones. */
export const VIP_MAX = 1_000;

/** Well-known directory role templates, for naming a role a CA policy excludes (the rest show their id). */
const ROLE_NAMES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'd29b2b05-8046-44ba-8758-1e26182fcf32': 'Directory Synchronization Accounts',
};

export interface PostureDeps {
  client: GraphClient;
  /** The Exchange Online admin API client; absent when EXCHANGE_ADMIN_ENABLED is off. */
  exchange?: ExchangeAdminApi;
  /** Where the forwarding sweep keeps its jobs and results (for the last sweep's count). */
  storage?: Storage;
  /** VIP_GROUP_ID: whose members check 9 also covers. */
  vipGroupId?: string;
}

/** What the ten checks judge. */
export interface PostureInput extends ExchangePosture {
  securityDefaults: Source<SecurityDefaults>;
  conditionalAccess: Source<ConditionalAccessPolicy[]>;
  authorization: Source<AuthorizationPolicy>;
  adminConsent: Source<AdminConsentRequestPolicy>;
  registration: Source<RegistrationReport>;
  names: ReadonlyMap<string, string>;
  lastSweep: LastSweep | null;
  adminLicences: Source<Licensed[]>;
  vip: Source<{ members: Licensed[]; complete: boolean }> | 'not-configured';
  secureScore: Source<SecureScore | null>;
  controlProfiles: Source<SecureScoreControlProfile[]>;
}

/** Reads what the checks need. A read that fails leaves its checks "can't tell"; a bug still throws. */
export async function readPosture(deps: PostureDeps): Promise<PostureInput> {
  const { client } = deps;
  const single = {
    securityDefaults: endpoints.securityDefaults.at({}),
    authorization: endpoints.authorizationPolicy.at({}),
    adminConsent: endpoints.adminConsentRequestPolicy.at({}),
    secureScore: endpoints.secureScores.at({}),
  } satisfies Reads;
  const [replies, conditionalAccess, registration, controlProfiles, vipMembers, exchange, lastSweep] =
    await Promise.all([
      settle(() => readBatch(client, single)),
      settle(async () => (await readAll(client, endpoints.conditionalAccessPolicies.at({}))).items),
      settle(async () => {
        const all = await readAll(client, endpoints.registrationReport.at({}), { maxPages: REPORT_MAX_PAGES });
        return { rows: all.items, complete: all.complete };
      }, P1),
      settle(async () => (await readAll(client, endpoints.secureScoreControlProfiles.at({}))).items),
      deps.vipGroupId === undefined
        ? Promise.resolve('not-configured' as const)
        : settle(() =>
            readAll(client, endpoints.groupUsers.at({ group: deps.vipGroupId ?? '' }), { maxItems: VIP_MAX }),
          ),
      readExchangePosture(deps.exchange),
      deps.storage ? readLastSweep(deps.storage) : Promise.resolve(null),
    ]);
  const item = <T>(get: (r: BatchReplies<typeof single>) => T): Source<T> =>
    replies.kind === 'missing' ? replies : attempt(() => get(replies.value));
  const securityDefaults = item((r) => r.value('securityDefaults'));
  const authorization = item((r) => r.value('authorization'));
  const adminConsent = item((r) => r.value('adminConsent'));
  const secureScore = item((r) => r.value('secureScore').value[0] ?? null);
  const admins: Named[] =
    registration.kind === 'read'
      ? registration.value.rows
          .filter((r) => r.isAdmin)
          .map((r) => ({ id: r.id, name: r.userPrincipalName, kind: 'user' }))
      : [];
  const [names, adminLicences, vip] = await Promise.all([
    conditionalAccess.kind === 'read' ? readNames(client, conditionalAccess.value) : Promise.resolve(new Map()),
    registration.kind === 'read' ? settle(() => readLicences(client, admins)) : Promise.resolve(registration),
    vipLicences(client, vipMembers),
  ]);
  return {
    securityDefaults,
    conditionalAccess,
    authorization,
    adminConsent,
    registration,
    names,
    lastSweep,
    adminLicences,
    vip,
    secureScore,
    controlProfiles,
    ...exchange,
  };
}

type Members = Awaited<
  ReturnType<typeof readAll<{ id: string; '@odata.type'?: string; userPrincipalName: string | null }>>
>;

/** The VIP group's user members with their licences, or why they could not be read. */
async function vipLicences(
  client: GraphClient,
  members: Source<Members> | 'not-configured',
): Promise<PostureInput['vip']> {
  if (members === 'not-configured' || members.kind === 'missing') return members;
  const people = members.value.items
    .filter((m) => (m['@odata.type'] ?? '#microsoft.graph.user') === '#microsoft.graph.user')
    .map((m): Named => ({ id: m.id, name: m.userPrincipalName, kind: 'user' }));
  const licensed = await settle(() => readLicences(client, people));
  return licensed.kind === 'missing'
    ? licensed
    : { kind: 'read', value: { members: licensed.value, complete: members.value.complete } };
}

/** Names of the users and groups the policies exclude (roles by their well-known names); unread names stay absent. */
async function readNames(client: GraphClient, policies: ConditionalAccessPolicy[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const reads: Record<string, BoundRead<{ displayName?: string | null; userPrincipalName?: string | null }>> = {};
  for (const e of exclusionsOf(policies)) {
    if (e.kind === 'role') {
      const known = ROLE_NAMES[e.id.toLowerCase()];
      if (known) names.set(e.id, known);
    } else if (/^[0-9a-f-]{36}$/i.test(e.id)) {
      reads[e.id] =
        e.kind === 'user'
          ? endpoints.userIdentity.at({ user: { kind: 'id', id: e.id as UserId } })
          : endpoints.groupName.at({ group: e.id });
    } else {
      // GuestsOrExternalUsers and similar keywords are names already.
      names.set(e.id, e.id);
    }
  }
  if (Object.keys(reads).length === 0) return names;
  const replies = await settle(() => readBatch(client, reads));
  if (replies.kind === 'missing') return names;
  for (const id of Object.keys(reads)) {
    const got = attempt(() => replies.value.valueOrNull(id));
    if (got.kind === 'read' && got.value) names.set(id, got.value.displayName ?? got.value.userPrincipalName ?? id);
  }
  return names;
}

/** Licence details of each person, in `$batch` rounds; a person Graph no longer has is left out. */
async function readLicences(client: GraphClient, people: readonly Named[]): Promise<Licensed[]> {
  if (people.length === 0) return [];
  const reads: Record<string, BoundRead<{ value: LicenseDetail[] }>> = {};
  people.forEach((p, i) => {
    reads[`p${i}`] = endpoints.licenseDetails.at({ user: { kind: 'id', id: p.id as UserId } });
  });
  const replies = await readBatch(client, reads, { priority: 'interactive' });
  return people.flatMap((who, i) => {
    const page = replies.valueOrNull(`p${i}`);
    return page ? [{ who, licences: page.value }] : [];
  });
}
