import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sweepProgressCard } from '../cards/sweep-progress.card';
import { sweepSummaryCard } from '../cards/sweep-summary.card';
import { DEMO_GRAPH_TOKEN } from '../demo/constants';
import { systemClock } from '../services/clock';
import { createGraphClient } from '../services/graph';
import { readChunks } from '../services/mailbox/sweep-store';
import { createSweeper } from '../services/mailbox/sweeper';
import { openStorage } from '../services/storage/open-storage';
import { BENCH_CONVERSATION, quietMessenger, startTenant } from './job-bench';

/** Numbers the forwarding-sweep benchmark reports (ms unless named otherwise). */
export interface ForwardingSweepBenchResult {
  users: number;
  latencyMs: number;
  mailboxReads: number;
  sweepMs: number;
  floorMs: number;
  sweepVsFloor: number;
  baselineSample: number;
  baselineSampleMs: number;
  baselineExtrapolatedMs: number;
  baselineVsSweep: number;
  throttled: number;
  rssBeforeMb: number;
  peakRssMb: number;
  /** Heap in use after a full GC at the end (with --expose-gc), i.e. what the sweep retained; null without it. */
  retainedHeapMb: number | null;
  nodeFlags: string;
  results: number;
}

/**
 * A sweep of every mailbox of a demo tenant with `users` generated users at `latencyMs` per request, against the
 * floor N × latency / 4 (Outlook's 4 concurrent requests), and a naive sequential loop over a sample of mailboxes.
 */
export async function run(
  opts: { users?: number; latencyMs?: number; baselineSample?: number; storageUrl?: string } = {},
): Promise<ForwardingSweepBenchResult> {
  const users = opts.users ?? 10_000;
  const latencyMs = opts.latencyMs ?? 50;
  const baselineSample = opts.baselineSample ?? 200;
  const tenant = await startTenant(users, latencyMs);
  const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  const storage = openStorage(opts.storageUrl ?? `sqlite:${join(dir, 'bench.db')}`);
  try {
    let mailboxReads = 0;
    let throttled = 0;
    const graph = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (res.status === 429) throttled += 1;
        else if (String(input).includes('/messageRules')) mailboxReads += 1;
        return res;
      },
    });
    const sweeper = createSweeper({
      graph,
      storage,
      messenger: quietMessenger,
      cards: { progress: sweepProgressCard, summary: sweepSummaryCard },
      clock: systemClock,
      logger: graph.logger,
    });
    (global as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const start = performance.now();
    const started = await sweeper.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'bench', name: 'bench' },
      conversation: BENCH_CONVERSATION,
    });
    if (started.kind !== 'started') throw new Error('a sweep was already running');
    await sweeper.idle();
    const sweepMs = performance.now() - start;
    clearInterval(sampler);
    const gc = (global as { gc?: () => void }).gc;
    gc?.();
    const retainedHeapMb = gc ? Math.round(process.memoryUsage().heapUsed / 1024 / 1024) : null;
    let results = 0;
    for await (const { chunk } of readChunks(storage, started.jobId)) results += chunk.rows.length;

    // The naive baseline: one mailbox after another, each request awaited before the next (a PowerShell-style loop).
    const sampleIds: string[] = [];
    for await (const { chunk } of readChunks(storage, started.jobId)) {
      for (const r of chunk.rows) if (r.status === 'ok' && sampleIds.length < baselineSample) sampleIds.push(r.id);
      if (sampleIds.length >= baselineSample) break;
    }
    const baseStart = performance.now();
    for (const id of sampleIds) {
      const res = await fetch(`${tenant.url}/v1.0/users/${id}/mailFolders/inbox/messageRules`, {
        headers: { authorization: `Bearer ${DEMO_GRAPH_TOKEN}` },
      });
      await res.text();
    }
    const baselineSampleMs = performance.now() - baseStart;
    const baselineExtrapolatedMs = (baselineSampleMs / sampleIds.length) * mailboxReads;
    const floorMs = (mailboxReads * latencyMs) / 4;
    const mb = (b: number): number => Math.round(b / 1024 / 1024);
    const result: ForwardingSweepBenchResult = {
      users,
      latencyMs,
      mailboxReads,
      sweepMs,
      floorMs,
      sweepVsFloor: sweepMs / floorMs,
      baselineSample: sampleIds.length,
      baselineSampleMs,
      baselineExtrapolatedMs,
      baselineVsSweep: baselineExtrapolatedMs / sweepMs,
      throttled,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peakRss),
      retainedHeapMb,
      nodeFlags: process.execArgv.filter((a) => a.startsWith('--max') || a === '--expose-gc').join(' '),
      results,
    };
    const f = (n: number): string => (n / 1000).toFixed(1);
    console.table({
      [`sweep, ${results} users, ${mailboxReads} mailbox reads`]: {
        seconds: f(sweepMs),
        note: `${result.sweepVsFloor.toFixed(3)}× floor ${f(floorMs)} s (≤ 1.15); 429s: ${throttled}`,
      },
      [`naive sequential (${sampleIds.length} sampled, extrapolated)`]: {
        seconds: f(baselineExtrapolatedMs),
        note: `${result.baselineVsSweep.toFixed(2)}× slower than the sweep`,
      },
      'RSS (MB)': {
        seconds: '',
        note: `before ${result.rssBeforeMb}, peak ${result.peakRssMb} (< 200); heap after GC ${retainedHeapMb ?? '?'}; flags: ${result.nodeFlags || 'none'}`,
      },
    });
    return result;
  } finally {
    await storage.close();
    tenant.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string): number | undefined => {
    const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
    return hit === undefined ? undefined : Number(hit.split('=')[1]);
  };
  run({ users: arg('users'), latencyMs: arg('latency'), baselineSample: arg('sample') }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
