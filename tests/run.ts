import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The npm test entry: makes a fresh self-signed localhost certificate, then runs mocha with Node trusting it.
// NODE_EXTRA_CA_CERTS is read only at process start, so the certificate must exist before mocha's process does.
const root = resolve(__dirname, '..');
const certDir = join(root, 'tests', '.certs');
const certPath = join(certDir, 'cert.pem');
const keyPath = join(certDir, 'key.pem');
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < MAX_AGE_MS;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function ensureCertificate(): void {
  if (isFresh(certPath) && isFresh(keyPath)) return;
  mkdirSync(certDir, { recursive: true });
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) {
    process.stderr.write(`tests/run.ts: openssl failed to create the test certificate:\n${result.stderr}\n`);
    process.exit(1);
  }
}

ensureCertificate();
const mocha = spawn(
  join(root, 'node_modules', '.bin', 'mocha'),
  ['--config', join(root, '.mocharc.json'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, SECBOT_TEST_CERT_DIR: certDir },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => mocha.kill(signal));
mocha.on('exit', (code, signal) => process.exit(code ?? (signal !== null ? 1 : 0)));
