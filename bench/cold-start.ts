import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_GRAPH_TOKEN } from '../demo/constants';
import { startDemoTenant } from '../demo/server';
import { startBotProcess } from '../tests/support/bot-process';
import { repoRoot } from '../tests/support/production-build';
import { median, timed } from './timing';

/** Cold start, process spawn → first /readyz 200 (storage and Graph reachable): wall and CPU time, in ms. */
export interface ColdStartResult {
  buildMs: number;
  compiled: { wallMs: number; cpuMs: number };
  tsx: { wallMs: number; cpuMs: number };
  runs: number;
}

/** CPU time (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
  const measure = async (args: string[]): Promise<{ wallMs: number; cpuMs: number }> => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const storage = `sqlite:${join(dir, `run-${i}-${args.length}.db`)}`;
      let bot: Awaited<ReturnType<typeof startBotProcess>> | undefined;
      wall.push(
        await timed(async () => {
          bot = await startBotProcess({
            args,
            cwd: repoRoot,
            env: { DEMO_GRAPH_PORT: String(tenant.port), STORAGE_URL: storage },
          });
        }),
      );
      cpu.push(cpuMs(bot?.child.pid));
      await bot?.stop('SIGTERM');
    }
    return { wallMs: median(wall), cpuMs: median(cpu) };
  };
  try {
    const result = {
      buildMs,
      compiled: await measure([main]),
      tsx: await measure(['--import', 'tsx', 'bot/main.ts']),
      runs: RUNS,
    };
    process.stdout.write(
      `npm run build: ${(buildMs / 1000).toFixed(1)} s\n` +
        `cold start to /readyz 200, medians of ${RUNS} (wall / CPU): ` +
        `node dist/bot/main.js ${result.compiled.wallMs.toFixed(0)} / ${result.compiled.cpuMs} ms; ` +
        `node --import tsx bot/main.ts ${result.tsx.wallMs.toFixed(0)} / ${result.tsx.cpuMs} ms\n`,
    );
    return result;
  } finally {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
