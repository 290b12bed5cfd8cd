import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Directory of the throwaway self-signed certificate that tests/run.ts generates for localhost and 127.0.0.1. */
export const certDir = resolve(process.env.SECBOT_TEST_CERT_DIR ?? join(__dirname, '..', '.certs'));
/** PEM certificate path (trusted by the test process through NODE_EXTRA_CA_CERTS). */
export const certPath = join(certDir, 'cert.pem');
/** PEM private key path. */
export const keyPath = join(certDir, 'key.pem');

/** Reads the certificate and key for an https server; fails with a hint when the harness did not create them. */
export function readTlsMaterial(): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } catch (err) {
    throw new Error(`test TLS certificate missing in ${certDir}: run the tests through "npm test" (tests/run.ts)`, {
      cause: err,
    });
  }
}
