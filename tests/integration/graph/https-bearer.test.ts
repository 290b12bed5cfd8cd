import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGraphClient } from '../../../services/graph/client';
import { batch } from '../../../services/graph/batch';
import type { FetchLike } from '../../../services/graph/transport';
import { startFaultServer } from '../../fakes/graph-fault-server';
import type { FaultServer, RecordedRequest } from '../../fakes/graph-fault-server';

/**
 * NODE_EXTRA_CA_CERTS is read only at process start, so the test hands the client a fetch over node:https that
 * trusts the freshly generated certificate.
 */
function fetchTrusting(ca: string): FetchLike {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = httpsRequest(input, { method: init.method ?? 'GET', headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
          resolve(
            new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 0, headers: out }),
          );
        });
      });
      req.on('error', reject);
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    });
}

describe('graph client over https with a custom base URL', () => {
  let dir: string;
  let server: FaultServer;
  let ca: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'graph-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = await startFaultServer({ tls: { cert: ca, key: readFileSync(join(dir, 'key.pem'), 'utf8') } });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends Authorization: Bearer <token> to the https base URL, $batch included', async () => {
    const client = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: 'tls-token' },
      fetch: fetchTrusting(ca),
    });
    assert.match(server.url, /^https:\/\/localhost:\d+$/);
    server.script({ status: 200, body: { id: 'u1' } });
    server.script((req: RecordedRequest) => ({
      status: 200,
      body: {
        responses: (req.json as { requests: { id: string }[] }).requests.map((r) => ({
          id: r.id,
          status: 200,
          body: {},
        })),
      },
    }));
    await client.request({ method: 'GET', path: '/users/u1' });
    await batch(client, [{ id: '1', method: 'GET', url: '/users/u1' }]);
    assert.deepEqual(
      server.requests.map((r) => [r.url, r.headers.authorization]),
      [
        ['/v1.0/users/u1', 'Bearer tls-token'],
        ['/v1.0/$batch', 'Bearer tls-token'],
      ],
    );
  });
});
