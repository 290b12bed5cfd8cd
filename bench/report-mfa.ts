import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mfaReportCard } from '../cards/mfa-report.card';
import { mfaReportProgressCard } from '../cards/mfa-report-progress.card';
import { DEMO_GRAPH_TOKEN } from '../demo/constants';
import { systemClock } from '../services/clock';
import { budgetOf } from '../services/graph/client';
import { createGraphClient, createUserResolver, defaultGraphLimits, type GraphLimits } from '../services/graph';
import { createGraphAuditEvidenceSource } from '../services/identity/audit-evidence';
import { createMfaChecker } from '../services/identity/mfa-check';
import { createPolicyCache } from '../services/identity/mfa-evidence';
import { createGraphReportEvidence } from '../services/identity/mfa-report/evidence';
import { createMfaReporter } from '../services/identity/mfa-report/reporter';
import { readReportChunks } from '../services/identity/mfa-report/store';
import type { ReportResultView } from '../services/identity/mfa-report/types';
import type { UserId } from '../services/ids';
import { openStorage } from '../services/storage/open-storage';
import { BENCH_CONVERSATION, quietMessenger, startTenant } from './job-bench';

/** Requests a report made, by throttling class (inner `$batch` items counted on their own, as Graph charges them). */
interface Counts {
  reports: number;
  identityUnits: number;
  identityRequests: number;
  identityProtection: number;
  batches: number;
  throttled: number;
}

/**
 * The floor: each class's requests can go no faster than its published limit, and the classes run side by side, so
 * the report cannot finish before the slowest class has spent its requests:
 *   reports (sliding window, W = 10 s, 5 requests): (ceil(R / 5) − 1) × W + RTT
 *   identity (token bucket, B resource units per W, full at the start): max(0, U − B) / (B / W) + RTT
 *   floor = max(reports, identity, identityProtection)
 */
export function floorMs(c: Counts, limits: GraphLimits, rttMs: number): { floor: number; by: Record<string, number> } {
  const reports = (Math.ceil(c.reports / limits.reports.requests) - 1) * limits.reports.windowMs + rttMs;
  const bucket = limits.identity.resourceUnits;
  const identity = (Math.max(0, c.identityUnits - bucket) * limits.identity.windowMs) / bucket + rttMs;
  const ip = (Math.max(1, c.identityProtection) - 1) * limits.identityProtection.windowMs + rttMs;
  const by = { reports, identity, identityProtection: ip };
  return { floor: Math.max(reports, identity, ip), by };
}

export interface ReportBenchRun {
  users: number;
  rows: number;
  ms: number;
  counts: Counts;
  floorMs: number;
  floorBy: Record<string, number>;
  vsFloor: number;
  peakRssMb: number;
  heapAfterGcMb: number | null;
  result: ReportResultView | null;
}

const mb = (b: number): number => Math.round(b / 1024 / 1024);

async function oneRun(users: number, latencyMs: number, limits: GraphLimits): Promise<ReportBenchRun> {
  const tenant = await startTenant(users, latencyMs);
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-mfa-'));
  const storage = openStorage(`sqlite:${join(dir, 'bench.db')}`);
  const counts: Counts = {
    reports: 0,
    identityUnits: 0,
    identityRequests: 0,
    identityProtection: 0,
    batches: 0,
    throttled: 0,
  };
  try {
    const graph = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      limits,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (res.status === 429) counts.throttled += 1;
        return res;
      },
    });
    // Count what is charged, by class, as the client's schedulers see it.
    const counted = {
      ...graph,
      request: async (spec: Parameters<typeof graph.request>[0], budget?: Parameters<typeof graph.request>[1]) => {
        const res = await graph.request(spec, budget);
        if (spec.path === '/$batch') {
          counts.batches += 1;
          const items = (res.body as { responses?: { status: number }[] }).responses ?? [];
          counts.throttled += items.filter((r) => r.status === 429).length;
        }
        for (const b of budget ?? [budgetOf(spec.method, spec.path, spec.throttleClass)]) {
          if (b.throttleClass === 'identity') {
            counts.identityUnits += b.weight;
            counts.identityRequests += 1;
          } else if (b.throttleClass === 'reports') counts.reports += b.weight;
          else if (b.throttleClass === 'identityProtection') counts.identityProtection += b.weight;
        }
        return res;
      },
    };
    let result: ReportResultView | null = null;
    const reporter = createMfaReporter({
      graph: counted,
      storage,
      messenger: quietMessenger,
      cards: {
        progress: mfaReportProgressCard,
        result: (view) => {
          result = view;
          return mfaReportCard(view);
        },
      },
      clock: systemClock,
      logger: graph.logger,
      evidence: createGraphReportEvidence(counted),
    });
    const gc = (global as { gc?: () => void }).gc;
    gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const start = performance.now();
    const started = await reporter.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'bench', name: 'bench' },
      conversation: BENCH_CONVERSATION,
    });
    if (started.kind !== 'started') throw new Error('a report was already running');
    await reporter.idle();
    const ms = performance.now() - start;
    clearInterval(sampler);
    gc?.();
    const heapAfterGcMb = gc ? mb(process.memoryUsage().heapUsed) : null;
    let rows = 0;
    for await (const { chunk } of readReportChunks(storage, started.jobId)) rows += chunk.rows.length;
    const rtt = latencyMs;
    const { floor, by } = floorMs(counts, limits, rtt);
    return {
      users,
      rows,
      ms,
      counts,
      floorMs: floor,
      floorBy: by,
      vsFloor: ms / floor,
      peakRssMb: mb(peakRss),
      heapAfterGcMb,
      result,
    };
  } finally {
    await storage.close();
    tenant.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The naive way: `mfa <upn>` for one user after another (its batch and its audit read each time). */
async function naive(
  users: number,
  latencyMs: number,
  sample: number,
  limits: GraphLimits,
): Promise<{ sample: number; ms: number }> {
  const tenant = await startTenant(users, latencyMs);
  try {
    const graph = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      limits,
    });
    const checker = createMfaChecker({
      client: graph,
      users: createUserResolver({ client: graph, clock: systemClock }),
      audit: createGraphAuditEvidenceSource(graph),
      clock: systemClock,
      policies: createPolicyCache(60_000),
      auditDays: 30,
    });
    const ids = Array.from(
      { length: sample },
      (_, i) => `9e000000-0000-4000-8000-${(1 + i * 37).toString(16).padStart(12, '0')}` as UserId,
    );
    const start = performance.now();
    for (const id of ids) await checker.checkMfaUsability({ kind: 'id', id });
    return { sample, ms: performance.now() - start };
  } finally {
    tenant.stop();
  }
}

export async function run(
  opts: { sizes?: number[]; latencyMs?: number; sample?: number; identityUnits?: number } = {},
): Promise<{ runs: ReportBenchRun[]; naive: { sample: number; ms: number; extrapolatedMs: number } }> {
  const sizes = opts.sizes ?? [10_000, 50_000];
  const latencyMs = opts.latencyMs ?? 50;
  const sample = opts.sample ?? 15;
  // The client keeps to the published limits as the bot does on any tenant: identity the smallest bucket (S: 3,500 RU
  // per 10 s; `--identity=8000` for the L bucket the demo tenant enforces above 500 users — the client's continuous
  // refill then exceeds the tenant's 10-s window at the start, and 429s show it).
  const limits: GraphLimits = {
    ...defaultGraphLimits,
    identity: { resourceUnits: opts.identityUnits ?? defaultGraphLimits.identity.resourceUnits, windowMs: 10_000 },
  };
  const runs: ReportBenchRun[] = [];
  for (const users of sizes) runs.push(await oneRun(users, latencyMs, limits));
  const base = await naive(sizes[sizes.length - 1] ?? 50_000, latencyMs, sample, limits);
  const largest = runs[runs.length - 1];
  const judged = largest?.result
    ? (['usable', 'registered-not-usable', 'not-registered', 'cant-tell'] as const).reduce(
        (n, k) => n + (largest.result?.byCategory[k] ?? 0),
        0,
      )
    : 0;
  const extrapolatedMs = (base.ms / base.sample) * judged;
  const f = (ms: number): string => (ms / 1000).toFixed(1);
  const table: Record<string, { seconds: string; note: string }> = {};
  for (const r of runs) {
    table[`report mfa, ${r.users.toLocaleString('en-US')} generated users (${r.rows} rows)`] = {
      seconds: f(r.ms),
      note: `${r.vsFloor.toFixed(3)}× floor ${f(r.floorMs)} s (reports ${f(r.floorBy.reports ?? 0)}, identity ${f(r.floorBy.identity ?? 0)}); reports ${r.counts.reports}, identity ${r.counts.identityRequests} req / ${r.counts.identityUnits} RU, CA ${r.counts.identityProtection}, $batch ${r.counts.batches}, 429s ${r.counts.throttled}; peak RSS ${r.peakRssMb} MB, heap after GC ${r.heapAfterGcMb ?? '?'} MB`,
    };
  }
  table[`naive: mfa <user> one after another (${base.sample} sampled, extrapolated to ${judged})`] = {
    seconds: f(extrapolatedMs),
    note: `${f(base.ms)} s for the sample; ${(extrapolatedMs / (largest?.ms ?? 1)).toFixed(0)}× the report`,
  };
  console.table(table);
  return { runs, naive: { ...base, extrapolatedMs } };
}

if (require.main === module) {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = arg('users')?.split(',').map(Number);
  run({
    ...(sizes ? { sizes } : {}),
    ...(arg('latency') ? { latencyMs: Number(arg('latency')) } : {}),
    ...(arg('sample') ? { sample: Number(arg('sample')) } : {}),
    ...(arg('identity') ? { identityUnits: Number(arg('identity')) } : {}),
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
