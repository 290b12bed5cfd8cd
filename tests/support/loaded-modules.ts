import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Module paths that belong to OpenTelemetry or the Azure Monitor distro. */
export const TELEMETRY_MODULE = /node_modules\/(@azure\/monitor-opentelemetry|@opentelemetry)\//;

/**
 * A preload script (`node --require <preload>`) that writes, when the process exits, every file it loaded through
 * require(); the bot is CommonJS and loads the telemetry packages with require(), so they show up there.
 */
export function moduleReporter(dir: string): { preload: string; loaded(): string[] } {
  const preload = join(dir, 'report-modules.cjs');
  const report = join(dir, 'loaded-modules.json');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  return { preload, loaded: () => JSON.parse(readFileSync(report, 'utf8')) as string[] };
}
