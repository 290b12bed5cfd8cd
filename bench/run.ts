import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * `npm run bench [-- name …]`: runs every benchmark in bench/ (each module exports `run()`), or the named ones.
 * Benchmarks spend real time against a local demo tenant; they are not part of `npm test`.
 */
async function main(): Promise<void> {
  // `--name=value` arguments are the benchmarks' own options (read from process.argv by the benchmark).
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const all = readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => basename(f, '.ts'))
    .sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  for (const name of wanted.length > 0 ? wanted : all) {
    const mod = (await import(join(__dirname, `${name}.ts`))) as { run?: () => Promise<unknown> };
    if (typeof mod.run !== 'function') continue;
    process.stdout.write(`\n== bench/${name} ==\n`);
    await mod.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
