import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startDemoTenant } from '../../../demo/server';
import { call, errorCode } from './helpers';

describe('demo tenant: requireToken and TLS', () => {
  it('rejects Graph requests without the bearer token with 401 InvalidAuthenticationToken; login look-ups stay open', async () => {
    const tenant = await startDemoTenant({ requireToken: 'sekrit' });
    try {
      const none = await call(tenant, '/v1.0/organization');
      assert.equal(none.status, 401);
      assert.equal(errorCode(none), 'InvalidAuthenticationToken');
      assert.ok(none.headers.get('request-id'));
      const wrong = await call(tenant, '/v1.0/organization', { headers: { Authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      const ok = await call(tenant, '/v1.0/organization', { headers: { Authorization: 'Bearer sekrit' } });
      assert.equal(ok.status, 200);
      const batch = await call(tenant, '/v1.0/$batch', { method: 'POST', body: JSON.stringify({ requests: [] }) });
      assert.equal(batch.status, 401);
      const realm = await call(tenant, '/getuserrealm.srf?login=nomfa@example.com&json=1');
      assert.equal(realm.status, 200);
      const exo = await call(tenant, `/adminapi/beta/${tenant.state.tenantId}/Mailbox`);
      assert.equal(exo.status, 401);
    } finally {
      await tenant.close();
    }
  });

  it('serves HTTPS with a certificate made at test start', async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'demo-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
      const tenant = await startDemoTenant({ tls: { cert, key } });
      try {
        assert.match(tenant.url, /^https:\/\/localhost:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          const req = https.request(`${tenant.url}/v1.0/organization`, { ca: cert }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
        assert.equal((JSON.parse(body) as { value: { id: string }[] }).value[0]?.id, tenant.state.tenantId);
        await assert.rejects(
          new Promise((resolve, reject) => https.get(`${tenant.url}/v1.0/organization`, resolve).on('error', reject)),
          /self-signed|self signed/,
        );
      } finally {
        await tenant.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
