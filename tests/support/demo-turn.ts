import type { Activity } from 'botbuilder';
import { createRoutes } from '../../bot/app';
import type { Services } from '../../bot/commands/services';
import type { BackgroundTasks } from '../../bot/background';
import { createTurnHandler, type TurnDeps } from '../../bot/turn';
import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_GRAPH_TOKEN,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_TENANT_ID,
  PLAYGROUND_USERS,
} from '../../demo/constants';
import { createAuditLog } from '../../services/audit/audit-log';
import { createMembershipResolver } from '../../services/authz/membership';
import { systemClock } from '../../services/clock';
import {
  checkMemberGroups,
  createGraphClient,
  createUserResolver,
  readUserProfile,
  type UserResolver,
  type GraphClient,
  type GraphClientOptions,
  type GraphLimits,
} from '../../services/graph';
import { createGraphAuditEvidenceSource } from '../../services/identity/audit-evidence';
import { createMfaChecker } from '../../services/identity/mfa-check';
import { createPolicyCache } from '../../services/identity/mfa-evidence';
import type { Messenger } from '../../services/messaging/port';
import { createMemoryStorage } from '../../services/storage/memory-storage';
import { createRecordingLogger } from '../fakes/recording-logger';
import { edgeDeps } from './edge-deps';

type FetchLike = NonNullable<GraphClientOptions['fetch']>;

/**
 * Graph limits for a demo tenant at timeFactor 0.01: the tenant scales its throttling windows by the time factor,
 * so the client's shrink alike (10 s → 100 ms) and stay under them.
 */
export function scaledLimits(windowMarginMs: number): Partial<GraphLimits> {
  return {
    reports: { requests: 5, windowMs: 100 },
    identityProtection: { requests: 1, windowMs: 10 },
    windowMarginMs,
  };
}

/** A client with its own UPN → id map, as the services that address users need it. */
export function withUsers(client: GraphClient): { client: GraphClient; users: UserResolver } {
  return { client, users: createUserResolver({ client, clock: systemClock }) };
}

/** A Graph client on the demo tenant (static demo token) that records each request as "METHOD /path" in `sent`. */
/** The `mfa` check over a Graph client as the bot builds it (audit evidence from Graph, 30 days, policies cached `cacheMs`). */
export function graphMfaChecker(client: GraphClient, cacheMs = 0) {
  return createMfaChecker({
    ...withUsers(client),
    audit: createGraphAuditEvidenceSource(client),
    clock: systemClock,
    policies: createPolicyCache(cacheMs),
    auditDays: 30,
  });
}

export function recordingGraphClient(
  baseUrl: string,
  sent: string[],
  options: { limits?: Partial<GraphLimits>; fetch?: FetchLike } = {},
): GraphClient {
  return createGraphClient({
    baseUrl,
    credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
    ...(options.limits ? { limits: options.limits } : {}),
    fetch: (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return (options.fetch ?? fetch)(input, init);
    },
  });
}

/** The whole turn in demo mode: the route table over `client` plus `routes`, the guards' membership check, memory audit. */
export function demoTurnHandler(
  client: GraphClient,
  routes: Omit<Services, 'mode' | 'profiles'> = {},
  late: { messenger?: Messenger; background?: BackgroundTasks; personalChats?: TurnDeps['personalChats'] } = {},
) {
  const audit = createAuditLog(createMemoryStorage(), systemClock);
  return createTurnHandler({
    ...edgeDeps({ audit, clock: systemClock, ...late }),
    ...(late.personalChats ? { personalChats: late.personalChats } : {}),
    allowedTenantId: DEMO_TENANT_ID,
    routes: createRoutes({
      mode: 'demo',
      profiles: { readUserProfile: (ref) => readUserProfile(client, ref) },
      ...routes,
    }),
    membership: createMembershipResolver({
      port: { checkMemberGroups: (u, g) => checkMemberGroups(client, u, g) },
      clock: systemClock,
      operatorsGroupId: DEMO_OPERATORS_GROUP_ID,
      approversGroupId: DEMO_APPROVERS_GROUP_ID,
    }),
    audit,
    clock: systemClock,
    logger: createRecordingLogger(),
  });
}

/** A message from Alex (an operator in the demo) in the Teams tenant of the demo. */
export const alexSays = (text: string): Partial<Activity> => ({
  type: 'message',
  text,
  channelId: 'msteams',
  channelData: { tenant: { id: DEMO_TENANT_ID } },
  from: { id: 'user-id-0', name: 'Alex', aadObjectId: PLAYGROUND_USERS[0].aadObjectId },
});
