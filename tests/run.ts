import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureTestCertificate } from './support/test-certificate';

// The npm test entry: makes a fresh self-signed localhost certificate, then runs mocha with Node trusting it.
// NODE_EXTRA_CA_CERTS is read only at process start, so the certificate must exist before mocha's process does.
const root = resolve(__dirname, '..');

// Options whose value is the next argument; everything else not starting with "-" is a spec path.
const VALUE_OPTIONS = new Set([
  '--grep',
  '-g',
  '--fgrep',
  '-f',
  '--timeout',
  '-t',
  '--reporter',
  '-R',
  '--require',
  '-r',
  '--config',
  '--spec',
  '--slow',
  '-s',
  '--file',
  '--ignore',
  '--reporter-option',
  '-O',
  '--jobs',
  '-j',
  '--ui',
  '-u',
  '--extension',
]);

function hasSpecArgument(args: string[]): boolean {
  return args.some((arg, i) => !arg.startsWith('-') && !VALUE_OPTIONS.has(args[i - 1] ?? ''));
}

// mocha appends CLI spec paths to the config's spec list, so a run of one file gets a config without the global spec.
function mochaConfigPath(args: string[]): string {
  const base = join(root, '.mocharc.json');
  if (!hasSpecArgument(args)) return base;
  const { spec: _spec, ...rest } = JSON.parse(readFileSync(base, 'utf8')) as Record<string, unknown>;
  const path = join(certDir, 'mocharc.single.json');
  writeFileSync(path, JSON.stringify(rest));
  return path;
}

const { certDir, certPath } = ensureTestCertificate(root);
const args = process.argv.slice(2);
const mocha = spawn(join(root, 'node_modules', '.bin', 'mocha'), ['--config', mochaConfigPath(args), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, SECBOT_TEST_CERT_DIR: certDir },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => mocha.kill(signal));
mocha.on('exit', (code, signal) => process.exit(code ?? (signal !== null ? 1 : 0)));
