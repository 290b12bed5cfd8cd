import { systemClock } from '../services/clock';
import { CodedError } from '../services/errors';
import { createCredential } from '../services/graph/credentials';
import { copyStorage } from '../services/storage/copy-storage';
import { openStorage } from '../services/storage/open-storage';
import type { Storage } from '../services/storage/port';
import { loadAzureCredential, readEnvironment } from './config';

const USAGE =
  'usage: npm run storage:copy -- <from STORAGE_URL> <to STORAGE_URL> [--allow-non-empty]\n' +
  '  e.g. npm run storage:copy -- sqlite:./data/secbot.db azure-blob:secbot\n' +
  '  azure-blob: uses AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT_URL with the AZURE_* identity.\n' +
  '  Stop the bot first: a write during the copy may or may not be copied.';

/** `npm run storage:copy`: moves the bot's whole state (approvals, audit trail, alerts, sweeps) between stores. */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const allowNonEmpty = args.includes('--allow-non-empty');
  const urls = args.filter((a) => !a.startsWith('--'));
  if (urls.length !== 2 || args.some((a) => a.startsWith('--') && a !== '--allow-non-empty')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const env = readEnvironment();
  const open = (url: string): Storage => {
    if (!url.startsWith('azure-blob:')) return openStorage(url);
    const azure = {
      AZURE_STORAGE_CONNECTION_STRING: env.AZURE_STORAGE_CONNECTION_STRING,
      AZURE_STORAGE_ACCOUNT_URL: env.AZURE_STORAGE_ACCOUNT_URL,
    };
    const credential = azure.AZURE_STORAGE_ACCOUNT_URL?.trim() ? createCredential(loadAzureCredential(env)) : undefined;
    return openStorage(url, { azure, ...(credential && { credential }) });
  };
  const [from, to] = [open(urls[0] ?? ''), open(urls[1] ?? '')];
  try {
    const report = await copyStorage(from, to, { clock: systemClock, allowNonEmpty });
    const prefixes = Object.entries(report.byPrefix)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([prefix, n]) => `${prefix} ${n}`)
      .join(', ');
    process.stdout.write(`copied ${report.keys} keys (${prefixes || 'none'})\n`);
    const describe = (c: typeof report.auditSource): string =>
      c.ok ? `${c.count} records, chain intact` : `BROKEN at record ${c.brokenAtSeq} (${c.reason})`;
    process.stdout.write(
      `audit trail: source ${describe(report.auditSource)}; copy ${describe(report.auditDestination)}\n`,
    );
    const same =
      report.auditDestination.ok && report.auditSource.ok && report.auditDestination.count === report.auditSource.count;
    if (!same)
      process.stderr.write(
        report.auditSource.ok
          ? 'the copied audit trail does not match the source: do not switch over\n'
          : 'the source audit trail was already broken; the copy keeps it exactly as it was\n',
      );
    return same ? 0 : 1;
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Coded messages name settings and keys, never values (no connection string reaches the terminal).
    const message =
      error instanceof CodedError ? error.message : `unexpected ${error instanceof Error ? error.name : 'error'}`;
    process.stderr.write(`storage:copy failed: ${message}\n`);
    process.exit(1);
  },
);
