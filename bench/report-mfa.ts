import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

/** Where one request's time went (ms from the start of the run): asked, sent (fetch called), headers, answered. */
interface TraceEntry {
  kind: 'registration' | 'audit' | 'users' | 'batch' | 'other';
  queued: number;
  sent: number[];
  headers: number[];
  done: number;
  units: number;
}

function kindOf(path: string): TraceEntry['kind'] {
  if (path.includes('userRegistrationDetails')) return 'registration';
  if (path.includes('directoryAudits')) return 'audit';
  if (path === '/$batch') return 'batch';
  if (path.startsWith('/users')) return 'users';
  return 'other';
}

/** CPU seconds a process has used (user + system), from /proc; null where /proc is not there. */
function procCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The timeline by class: when each chain ended, idle time of each class, answer times, RU per 10 s. */
function summarise(trace: TraceEntry[], totalMs: number): Record<string, string> {
  const s = (ms: number): string => (ms / 1000).toFixed(1);
  const out: Record<string, string> = {};
  const busy = (entries: TraceEntry[]): number => {
    // Time with at least one request of these queued or in flight.
    const spans = entries.map((e) => [e.queued, e.done] as const).sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    let start = 0;
    for (const [a, b] of spans) {
      if (a > end) {
        if (Number.isFinite(end)) total += end - start;
        start = a;
        end = b;
      } else end = Math.max(end, b);
    }
    if (Number.isFinite(end)) total += end - start;
    return total;
  };
  for (const kind of ['registration', 'audit', 'users', 'batch'] as const) {
    const es = trace.filter((e) => e.kind === kind);
    if (es.length === 0) continue;
    const answer = es.map((e) => e.done - (e.sent[e.sent.length - 1] ?? e.done));
    const headerToDone = es.map((e) => e.done - (e.headers[e.headers.length - 1] ?? e.done));
    const wait = es.map((e) => (e.sent[0] ?? e.queued) - e.queued);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    out[kind] =
      `${es.length} req, first sent ${s(Math.min(...es.map((e) => e.sent[0] ?? 0)))} s, last answered ${s(Math.max(...es.map((e) => e.done)))} s; ` +
      `busy ${s(busy(es))} s of ${s(totalMs)}; mean wait ${s(mean(wait))} s, mean answer ${s(mean(answer))} s ` +
      `(max ${s(Math.max(...answer))}), of which after headers ${s(mean(headerToDone))} s`;
  }
  const reports = trace.filter((e) => e.kind === 'registration' || e.kind === 'audit');
  out.reports = `busy ${s(busy(reports))} s; sends at ${reports
    .flatMap((e) => e.sent)
    .sort((a, b) => a - b)
    .map((t) => s(t))
    .join(' ')}`;
  const bins: number[] = [];
  for (const e of trace.filter((x) => x.kind === 'batch' || x.kind === 'users')) {
    const bin = Math.floor((e.sent[0] ?? 0) / 10_000);
    bins[bin] = (bins[bin] ?? 0) + e.units;
  }
  out.identityRuPer10s = Array.from(bins, (n) => n ?? 0).join(' ');
  return out;
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
  peakHeapMb: number;
  heapAfterGcMb: number | null;
  result: ReportResultView | null;
  cpu: { botSeconds: number; tenantSeconds: number | null; eventLoopUtilisation: number; loadAverage: number[] };
  timeline: Record<string, string>;
}

const mb = (b: number): number => Math.round(b / 1024 / 1024);

async function oneRun(
  users: number,
  latencyMs: number,
  limits: GraphLimits,
  opts: { tracePath?: string | undefined; maxWaiting?: number | undefined } = {},
): Promise<ReportBenchRun> {
  const { tracePath } = opts;
  const tenant = await startTenant(users, latencyMs);
  const trace: TraceEntry[] = [];
  // The entry of the request being sent, by URL (fetch sees only the URL): sends and headers are recorded on it.
  const open = new Map<string, TraceEntry[]>();
  let t0 = performance.now();
  const at = (): number => performance.now() - t0;
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
        const url = String(input);
        // Requests to one URL ($batch) are admitted in the order they were asked: the oldest not waiting for an answer.
        const entry = open.get(url)?.find((e) => e.sent.length === e.headers.length);
        entry?.sent.push(at());
        const res = await fetch(input, init);
        entry?.headers.push(at());
        if (res.status === 429) counts.throttled += 1;
        return res;
      },
    });
    // Count what is charged, by class, as the client's schedulers see it.
    const counted = {
      ...graph,
      request: async (spec: Parameters<typeof graph.request>[0], budget?: Parameters<typeof graph.request>[1]) => {
        const charged = budget ?? [budgetOf(spec.method, spec.path, spec.throttleClass)];
        const entry: TraceEntry = {
          kind: kindOf(spec.path),
          queued: at(),
          sent: [],
          headers: [],
          done: 0,
          units: charged.filter((b) => b.throttleClass === 'identity').reduce((n, b) => n + b.weight, 0),
        };
        const url = `${tenant.url}/${spec.version ?? 'v1.0'}${spec.path}`;
        open.set(url, [...(open.get(url) ?? []), entry]);
        let res: Awaited<ReturnType<typeof graph.request>>;
        try {
          res = await graph.request(spec, budget);
        } finally {
          entry.done = at();
          const rest = (open.get(url) ?? []).filter((e) => e !== entry);
          if (rest.length > 0) open.set(url, rest);
          else open.delete(url);
          trace.push(entry);
        }
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
      ...(opts.maxWaiting !== undefined ? { maxWaiting: opts.maxWaiting } : {}),
    });
    const gc = (global as { gc?: () => void }).gc;
    gc?.();
    const m0 = process.memoryUsage();
    let peakRss = m0.rss;
    let peakHeap = 0;
    let atPeak = m0;
    let peakAtMs = 0;
    // BENCH_MEMORY=1: a full GC every 10 s, to see what is live while the report runs (not only at its end).
    const live: number[] = [];
    const liveSampler = process.env.BENCH_MEMORY
      ? setInterval(() => {
          gc?.();
          live.push(mb(process.memoryUsage().heapUsed));
        }, 10_000)
      : null;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) {
        atPeak = m;
        peakAtMs = performance.now() - t0;
      }
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const cpu0 = process.cpuUsage();
    const tenantCpu0 = procCpuSeconds(tenant.pid);
    const elu0 = performance.eventLoopUtilization();
    const start = performance.now();
    t0 = start;
    const started = await reporter.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'bench', name: 'bench' },
      conversation: BENCH_CONVERSATION,
    });
    if (started.kind !== 'started') throw new Error('a report was already running');
    await reporter.idle();
    const ms = performance.now() - start;
    const cpuUsed = process.cpuUsage(cpu0);
    const tenantCpu1 = procCpuSeconds(tenant.pid);
    const elu = performance.eventLoopUtilization(elu0);
    clearInterval(sampler);
    if (liveSampler) clearInterval(liveSampler);
    if (process.env.BENCH_MEMORY)
      console.log('memory before / at peak RSS (MB)', {
        before: Object.fromEntries(Object.entries(m0).map(([k, v]) => [k, mb(Number(v))])),
        atPeak: Object.fromEntries(Object.entries(atPeak).map(([k, v]) => [k, mb(Number(v))])),
        peakAtSeconds: Math.round(peakAtMs / 1000),
        liveEvery10s: live.join(' '),
      });
    if (tracePath) writeFileSync(tracePath, JSON.stringify(trace));
    // The timeline is the benchmark's own: summarised, then dropped before the heap is measured.
    const timeline = summarise(trace, ms);
    trace.length = 0;
    open.clear();
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
      peakHeapMb: mb(peakHeap),
      heapAfterGcMb,
      result,
      cpu: {
        botSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
        tenantSeconds: tenantCpu0 !== null && tenantCpu1 !== null ? tenantCpu1 - tenantCpu0 : null,
        eventLoopUtilisation: elu.utilization,
        loadAverage: loadavg(),
      },
      timeline,
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

export interface ReportBenchOptions {
  sizes?: number[];
  latencyMs?: number;
  sample?: number;
  identityUnits?: number;
  /** Writes each run's request timeline (JSON) to `<trace>.<users>.json`. */
  trace?: string;
  /** The report's bound on users read but not yet judged (default the reporter's). */
  maxWaiting?: number;
}

export async function run(
  opts: ReportBenchOptions = argvOptions(),
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
  for (const users of sizes) {
    const r = await oneRun(users, latencyMs, limits, {
      tracePath: opts.trace ? `${opts.trace}.${users}.json` : undefined,
      maxWaiting: opts.maxWaiting,
    });
    console.log(
      `${users} users: ${(r.ms / 1000).toFixed(1)} s = ${r.vsFloor.toFixed(3)}x floor; bot CPU ${r.cpu.botSeconds.toFixed(1)} s ` +
        `(event loop ${Math.round(r.cpu.eventLoopUtilisation * 100)} %), tenant CPU ${r.cpu.tenantSeconds?.toFixed(1) ?? '?'} s, ` +
        `load ${r.cpu.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
    );
    console.table(r.timeline);
    runs.push(r);
  }
  // --sample=0 skips the naive contrast (fast iterations).
  const base =
    sample > 0 ? await naive(sizes[sizes.length - 1] ?? 50_000, latencyMs, sample, limits) : { sample: 0, ms: 0 };
  const largest = runs[runs.length - 1];
  const judged = largest?.result
    ? (['usable', 'registered-not-usable', 'not-registered', 'cant-tell'] as const).reduce(
        (n, k) => n + (largest.result?.byCategory[k] ?? 0),
        0,
      )
    : 0;
  const extrapolatedMs = base.sample > 0 ? (base.ms / base.sample) * judged : 0;
  const f = (ms: number): string => (ms / 1000).toFixed(1);
  const table: Record<string, { seconds: string; note: string }> = {};
  for (const r of runs) {
    table[`report mfa, ${r.users.toLocaleString('en-US')} generated users (${r.rows} rows)`] = {
      seconds: f(r.ms),
      note: `${r.vsFloor.toFixed(3)}× floor ${f(r.floorMs)} s (reports ${f(r.floorBy.reports ?? 0)}, identity ${f(r.floorBy.identity ?? 0)}); reports ${r.counts.reports}, identity ${r.counts.identityRequests} req / ${r.counts.identityUnits} RU, CA ${r.counts.identityProtection}, $batch ${r.counts.batches}, 429s ${r.counts.throttled}; peak RSS ${r.peakRssMb} MB, peak heap ${r.peakHeapMb} MB, heap after GC ${r.heapAfterGcMb ?? '?'} MB`,
    };
  }
  table[`naive: mfa <user> one after another (${base.sample} sampled, extrapolated to ${judged})`] = {
    seconds: f(extrapolatedMs),
    note: `${f(base.ms)} s for the sample; ${(extrapolatedMs / (largest?.ms ?? 1)).toFixed(0)}× the report`,
  };
  console.table(table);
  return { runs, naive: { ...base, extrapolatedMs } };
}

/** Options from the command line (`npm run bench -- report-mfa --users=10000 --sample=0`). */
function argvOptions(): ReportBenchOptions {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = arg('users')?.split(',').map(Number);
  return {
    ...(sizes ? { sizes } : {}),
    ...(arg('latency') ? { latencyMs: Number(arg('latency')) } : {}),
    ...(arg('sample') ? { sample: Number(arg('sample')) } : {}),
    ...(arg('identity') ? { identityUnits: Number(arg('identity')) } : {}),
    ...(arg('trace') ? { trace: arg('trace') } : {}),
    ...(arg('max-waiting') ? { maxWaiting: Number(arg('max-waiting')) } : {}),
  };
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
