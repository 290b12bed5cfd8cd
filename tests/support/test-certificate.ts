import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Where the throwaway localhost certificate lives; NODE_EXTRA_CA_CERTS must name certPath before Node starts. */
export interface TestCertificate {
  certDir: string;
  certPath: string;
  keyPath: string;
}

function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < MAX_AGE_MS;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Makes (or reuses, if younger than a day) a self-signed certificate for localhost/127.0.0.1 under tests/.certs. */
export function ensureTestCertificate(root: string): TestCertificate {
  const certDir = join(root, 'tests', '.certs');
  const certPath = join(certDir, 'cert.pem');
  const keyPath = join(certDir, 'key.pem');
  if (isFresh(certPath) && isFresh(keyPath)) return { certDir, certPath, keyPath };
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
    process.stderr.write(`openssl failed to create the test certificate:\n${result.stderr}\n`);
    process.exit(1);
  }
  return { certDir, certPath, keyPath };
}
