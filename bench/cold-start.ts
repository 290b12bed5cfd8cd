import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_GRAPH_TOKEN } from '../demo/constants';
import { startDemoTenant } from '../demo/server';
import { startBotProcess } from '../tests/support/bot-process';
import { repoRoot } from '../tests/support/production-build';
import { median, timed } from './timing';

/** Cold start, process spawn → first /readyz 200 (storage and Graph reachable), in ms. */
export interface ColdStartResult {
  buildMs: number;
  compiledMs: number;
  tsxMs: number;
  runs: number;
}

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 7);

/**
 * `npm run bench -- cold-start`: runs `npm run build`, then starts the bot RUNS times each way — `node
 * dist/bot/main.js` (production) and `node --import tsx bot/main.ts` (development) — in demo mode against an
 * in-process demo tenant, each with a fresh SQLite file, and reports the medians.
 */
export async function run(): Promise<ColdStartResult> {
  const buildStart = performance.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const buildMs = performance.now() - buildStart;
  const main = join(repoRoot, 'dist', 'bot', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing after the build`);
  const tenant = await startDemoTenant({ requireToken: DEMO_GRAPH_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'secbot-cold-'));
  const measure = async (args: string[]): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const storage = `sqlite:${join(dir, `run-${samples.length}-${args.length}.db`)}`;
      let bot: Awaited<ReturnType<typeof startBotProcess>> | undefined;
      samples.push(
        await timed(async () => {
          bot = await startBotProcess({
            args,
            cwd: repoRoot,
            env: { DEMO_GRAPH_PORT: String(tenant.port), STORAGE_URL: storage },
          });
        }),
      );
      await bot?.stop('SIGTERM');
    }
    return median(samples);
  };
  try {
    const result = {
      buildMs,
      compiledMs: await measure([main]),
      tsxMs: await measure(['--import', 'tsx', 'bot/main.ts']),
      runs: RUNS,
    };
    process.stdout.write(
      `npm run build: ${(buildMs / 1000).toFixed(1)} s\n` +
        `cold start to /readyz 200, median of ${RUNS}: node dist/bot/main.js ${result.compiledMs.toFixed(0)} ms; ` +
        `node --import tsx bot/main.ts ${result.tsxMs.toFixed(0)} ms\n`,
    );
    return result;
  } finally {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
