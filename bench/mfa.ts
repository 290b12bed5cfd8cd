import { randomUUID } from 'node:crypto';
import { createRoutes } from '../bot/app';
import { loadConfig } from '../bot/config';
import { createTurnHandler } from '../bot/turn';
import { mfaUsabilityCard } from '../cards/mfa-usability.card';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../demo/constants';
import { startDemoTenant } from '../demo/server';
import { createAuditLog } from '../services/audit/audit-log';
import { createMembershipResolver } from '../services/authz/membership';
import { systemClock } from '../services/clock';
import {
  checkMemberGroups,
  createGraphClient,
  createUserResolver,
  defaultGraphLimits,
  readOne,
  readUserProfile,
  type BatchReplies,
  type GraphClient,
} from '../services/graph';
import { createGraphAuditEvidenceSource } from '../services/identity/audit-evidence';
import { createMfaChecker } from '../services/identity/mfa-check';
import { createPolicyCache, mfaReads, parseMfaReplies, policyReads } from '../services/identity/mfa-evidence';
import { assessMfa } from '../services/identity/mfa-verdict';
import { silentLogger } from '../services/log';
import { createMemoryStorage } from '../services/storage/memory-storage';
import type { UserRef } from '../services/ids';
import { edgeDeps } from '../tests/support/edge-deps';
import { startFakeConnector } from '../tests/support/fake-connector';
import { serveTurns } from './turn-load';
import { median, timed } from './timing';

/** Numbers the MFA benchmark reports (ms unless named otherwise). */
export interface MfaBenchResult {
  latencyMs: number;
  roundTripMs: number;
  coldMs: number;
  warmMs: number;
  sequentialMs: number;
  target: number;
  warmVsTarget: number;
  sequentialVsWarm: number;
}

/** The same reads as the `mfa` batch plus the audit read, one after another, then the verdict and the card. */
async function sequentialMfa(client: GraphClient, ref: UserRef): Promise<void> {
  const reads = { ...mfaReads(ref), ...policyReads };
  const values = new Map<string, unknown>();
  for (const [key, read] of Object.entries(reads)) values.set(key, await readOne(client, read));
  const replies = {
    value: (key: string) => values.get(key),
    valueOrNull: (key: string) => values.get(key) ?? null,
  } as unknown as BatchReplies<typeof reads>;
  const data = await parseMfaReplies(client, replies, reads, null);
  const audit = await createGraphAuditEvidenceSource(client).securityInfoEvents(
    data.user.id,
    new Date(Date.now() - 30 * 24 * 3600_000),
  );
  const a = assessMfa({
    user: { ...data.user },
    methods: data.methods,
    registration: data.registration,
    groupIds: data.groupIds,
    roleTemplateIds: data.roleTemplateIds,
    methodsPolicy: data.policies.methodsPolicy,
    authorizationPolicy: data.policies.authorizationPolicy,
    caPolicies: data.policies.caPolicies,
    audit: { events: audit.events, coveredFrom: audit.coveredFrom?.toISOString() ?? null },
  });
  mfaUsabilityCard(a, Date.now());
}

/**
 * `mfa <upn>` end to end: a Teams activity POSTed to the bot's real HTTP server (demo mode, anonymous auth), the
 * turn handler, the Graph batch and audit read against the demo tenant at `latencyMs`, and the reply arriving at a
 * local fake connector. Baseline: the same reads awaited one after another (in-process, without the bot's HTTP).
 */
export async function run(opts: { latencyMs?: number; repeats?: number } = {}): Promise<MfaBenchResult> {
  const latencyMs = opts.latencyMs ?? 100;
  const repeats = opts.repeats ?? 5;
  // Published limits on both sides (the demo tenant's and the client's defaults), as in a real tenant.
  const tenant = await startDemoTenant({ port: 0, latencyMs });
  const connector = await startFakeConnector();
  const client = createGraphClient({
    baseUrl: tenant.url,
    credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
  });
  // Each ask spends two reports-class reads (the registration row and the audit read): space the asks so the
  // 5-per-10-s budget never makes one wait, which would measure the budget rather than the round trips.
  const { reports, windowMarginMs } = defaultGraphLimits;
  const spacingMs = Math.ceil((2 * (reports.windowMs + windowMarginMs)) / reports.requests) + 1_000;
  const pause = () => new Promise((resolve) => setTimeout(resolve, spacingMs));
  const config = loadConfig({ SECBOT_MODE: 'demo', PORT: '0', GRAPH_BASE_URL: tenant.url, LOG_LEVEL: 'silent' });
  const routes = createRoutes({
    mode: 'demo',
    profiles: { readUserProfile: (ref) => readUserProfile(client, ref) },
    // No policy cache: every run reads all seven resources in its batch.
    mfa: createMfaChecker({
      client,
      users: createUserResolver({ client, clock: systemClock }),
      audit: createGraphAuditEvidenceSource(client),
      clock: systemClock,
      policies: createPolicyCache(0),
      auditDays: 30,
    }),
  });
  const audit = createAuditLog(createMemoryStorage(), systemClock);
  const onTurn = createTurnHandler({
    ...edgeDeps({ audit, clock: systemClock }),
    allowedTenantId: DEMO_TENANT_ID,
    routes,
    membership: createMembershipResolver({
      port: { checkMemberGroups: (u, g) => checkMemberGroups(client, u, g) },
      clock: systemClock,
      operatorsGroupId: config.operatorsGroupId,
      approversGroupId: config.approversGroupId,
    }),
    audit,
    clock: systemClock,
    logger: silentLogger,
  });
  const bot = await serveTurns(onTurn, config);
  const { url } = bot;
  const caller = PLAYGROUND_USERS[0];

  const ask = async (text: string): Promise<void> => {
    const before = connector.requests.length;
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `act-${randomUUID()}`,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        text,
        from: { id: 'user-1', name: caller.displayName, aadObjectId: caller.aadObjectId },
        recipient: { id: 'bot' },
        conversation: { id: 'a:bench', tenantId: DEMO_TENANT_ID },
        channelData: { tenant: { id: DEMO_TENANT_ID } },
      }),
    });
    if (res.status >= 300) throw new Error(`bot answered ${res.status}`);
    const [reply] = (await connector.waitForRequests(before + 1, 10_000)).slice(before);
    const attachments = (reply?.body as { attachments?: unknown[] } | undefined)?.attachments;
    if (!attachments || attachments.length === 0)
      throw new Error(`expected a card, got ${JSON.stringify(reply?.body)}`);
  };

  try {
    await ask('user alexw@example.com'); // warms the caller's membership cache and the HTTP connections
    const upns = ['mfatest1@example.com', 'mfatest2@example.com', 'quiet.user@example.com', 'admin.sspr@example.com'];
    const cold: number[] = [];
    for (const upn of upns) {
      await pause();
      cold.push(await timed(() => ask(`mfa ${upn}`)));
    }
    const roundTrips: number[] = [];
    const warm: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < repeats; i += 1) {
      const upn = upns[i % upns.length] ?? 'mfatest1@example.com';
      roundTrips.push(await timed(() => client.request({ method: 'GET', path: '/organization?$select=id' })));
      await pause();
      warm.push(await timed(() => ask(`mfa ${upn}`)));
      await pause();
      sequential.push(await timed(() => sequentialMfa(client, { kind: 'upn', upn: upn as never })));
    }
    const roundTripMs = median(roundTrips);
    const warmMs = median(warm);
    const sequentialMs = median(sequential);
    const target = 1.3 * roundTripMs + 50;
    const result: MfaBenchResult = {
      latencyMs,
      roundTripMs,
      coldMs: median(cold),
      warmMs,
      sequentialMs,
      target,
      warmVsTarget: warmMs / target,
      sequentialVsWarm: sequentialMs / warmMs,
    };
    const f = (n: number) => n.toFixed(1);
    console.table({
      'one round trip (GET /organization)': { ms: f(roundTripMs), note: 'reference' },
      'mfa <upn> end to end, id known (median)': { ms: f(warmMs), note: `target ≤ ${f(target)} (1.3 × RT + 50)` },
      'mfa <upn> end to end, first time for a UPN': { ms: f(result.coldMs), note: 'batch, then the audit read' },
      'same reads one after another (baseline)': {
        ms: f(sequentialMs),
        note: `${result.sequentialVsWarm.toFixed(2)}× slower (target ≥ 4×)`,
      },
    });
    return result;
  } finally {
    await bot.close();
    await connector.close();
    await tenant.close();
  }
}

if (require.main === module) {
  const arg = (name: string): number | undefined => {
    const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
    return hit ? Number(hit.split('=')[1]) : undefined;
  };
  run({ latencyMs: arg('latency'), repeats: arg('repeats') }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
