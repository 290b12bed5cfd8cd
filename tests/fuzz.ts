import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// `npm run fuzz`: the property tests of tests/property/ with many more cases than `npm test` runs
// (FUZZ_RUNS, default 2000 per property; FUZZ_SEED replays a reported failure). Prints the wall time.
const root = resolve(__dirname, '..');
const fuzzRuns = process.env.FUZZ_RUNS ?? '2000';
const started = Date.now();
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'tsx'),
  [join(root, 'tests', 'run.ts'), 'tests/property/*.test.ts', '--timeout', '0', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: fuzzRuns } },
);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
process.stdout.write(`\nnpm run fuzz: FUZZ_RUNS=${fuzzRuns} per property, ${seconds} s\n`);
process.exit(result.status ?? 1);
