import { DEMO_GRAPH_TOKEN } from '../demo/constants';
import { startDemoTenant } from '../demo/server';

/**
 * The demo tenant in a process of its own, for benchmarks whose measuring process must not share its event loop
 * with Graph's stand-in. Prints `ready <url>`; answers an IPC `stats` message with the tenant's counters.
 */
async function main(): Promise<void> {
  const tenant = await startDemoTenant({
    port: 0,
    requireToken: DEMO_GRAPH_TOKEN,
    latencyMs: Number(process.env.BENCH_LATENCY_MS ?? '100'),
  });
  process.on('message', (message) => {
    if (message === 'stats') process.send?.(tenant.stats());
  });
  process.on('SIGTERM', () => {
    void tenant.close().then(() => process.exit(0));
  });
  process.stdout.write(`ready ${tenant.url}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
