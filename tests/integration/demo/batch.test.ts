import { strict as assert } from 'node:assert';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, errorCode, post } from './helpers';

type Inner = { id: string; status: number; headers: Record<string, string>; body?: Record<string, unknown> };

describe('demo tenant: $batch', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant();
  });
  after(() => tenant.close());

  it('answers each inner request with id, status, headers (Content-Type) and body', async () => {
    const reply = await call(
      tenant,
      '/v1.0/$batch',
      post({
        requests: [
          { id: 'a', method: 'GET', url: '/users/alexw@example.com?$select=id' },
          { id: 'b', method: 'GET', url: 'users/alexw@example.com/licenseDetails' },
          { id: 'c', method: 'GET', url: '/users/missing@example.com' },
        ],
      }),
    );
    assert.equal(reply.status, 200);
    const responses = reply.body.responses as Inner[];
    assert.deepEqual(responses.map((r) => r.id).sort(), ['a', 'b', 'c']);
    for (const r of responses) {
      assert.deepEqual(Object.keys(r).sort(), ['body', 'headers', 'id', 'status']);
      assert.match(r.headers['Content-Type'] ?? '', /^application\/json/);
    }
    assert.equal(responses.find((r) => r.id === 'c')?.status, 404);
  });

  it('fails dependents of a failed request with 424 and runs dependents of a success', async () => {
    const reply = await call(
      tenant,
      '/v1.0/$batch',
      post({
        requests: [
          { id: '1', method: 'GET', url: '/users/missing@example.com' },
          { id: '2', method: 'GET', url: '/organization', dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/organization' },
          { id: '4', method: 'GET', url: '/users/alexw@example.com', dependsOn: ['3'] },
        ],
      }),
    );
    const byId = new Map((reply.body.responses as Inner[]).map((r) => [r.id, r]));
    assert.equal(byId.get('1')?.status, 404);
    assert.equal(byId.get('2')?.status, 424);
    assert.equal(byId.get('3')?.status, 200);
    assert.equal(byId.get('4')?.status, 200);
  });

  it('rejects more than 20 requests, duplicate ids and a body without Content-Type with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' }));
    const tooMany = await call(tenant, '/v1.0/$batch', post({ requests: many }));
    assert.equal(tooMany.status, 400);
    assert.equal(errorCode(tooMany), 'BadRequest');
    const twenty = await call(tenant, '/v1.0/$batch', post({ requests: many.slice(0, 20) }));
    assert.equal(twenty.status, 200);
    const dup = await call(
      tenant,
      '/v1.0/$batch',
      post({
        requests: [
          { id: 'A', method: 'GET', url: '/organization' },
          { id: 'a', method: 'GET', url: '/organization' },
        ],
      }),
    );
    assert.equal(dup.status, 400);
    const noType = await call(
      tenant,
      '/v1.0/$batch',
      post({
        requests: [
          { id: '1', method: 'POST', url: '/users/alexw@example.com/checkMemberGroups', body: { groupIds: [] } },
        ],
      }),
    );
    assert.equal(noType.status, 400);
  });

  it('shuffles inner responses when asked', async () => {
    const shuffled = await startDemoTenant({ shuffleBatch: true, seed: 3 });
    try {
      const requests = Array.from({ length: 20 }, (_, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: '/organization?$select=id',
      }));
      const reply = await call(shuffled, '/v1.0/$batch', post({ requests }));
      const ids = (reply.body.responses as Inner[]).map((r) => r.id);
      assert.deepEqual(
        [...ids].sort((a, b) => Number(a) - Number(b)),
        requests.map((r) => r.id),
      );
      assert.notDeepEqual(
        ids,
        requests.map((r) => r.id),
      );
    } finally {
      await shuffled.close();
    }
  });
});
