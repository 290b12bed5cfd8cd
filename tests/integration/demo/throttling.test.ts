import { strict as assert } from 'node:assert';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { ManualClock } from '../../fakes/manual-clock';
import { call, errorCode, post } from './helpers';

const REPORTS = '/v1.0/auditLogs/directoryAudits?$top=1';

// The windows run on a manual clock given to the tenant: requests of one test fall in one window however slowly a
// loaded machine sends them, and a window ends only when the test moves the clock.
describe('demo tenant: throttling per class', () => {
  let tenant: DemoTenant;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock();
  });
  afterEach(() => tenant.close());

  it('lets 5 reports requests pass in a window and answers the 6th with 429, Retry-After and Graph 429 body', async () => {
    tenant = await startDemoTenant({ timeFactor: 0.02, clock });
    for (let i = 0; i < 5; i++) assert.equal((await call(tenant, REPORTS)).status, 200, `request ${i + 1}`);
    const sixth = await call(tenant, REPORTS);
    assert.equal(sixth.status, 429);
    const retryAfter = Number(sixth.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 0.2, `Retry-After ${retryAfter} is within the scaled 10 s window`);
    assert.equal(errorCode(sixth), 'TooManyRequests');
    const inner = (sixth.body.error as { innerError: Record<string, string> }).innerError;
    assert.equal(inner.status, '429');
    assert.equal(tenant.stats().throttled, 1);
    clock.advance(retryAfter * 1000 - 1);
    assert.equal((await call(tenant, REPORTS)).status, 429, 'still throttled just before Retry-After ends');
    clock.advance(1);
    assert.equal((await call(tenant, REPORTS)).status, 200, 'honouring Retry-After succeeds');
  });

  it('counts userRegistrationDetails and signIns in the same reports budget', async () => {
    tenant = await startDemoTenant({ timeFactor: 0.02, clock });
    const paths = [
      '/v1.0/auditLogs/signIns?$top=1',
      '/v1.0/reports/authenticationMethods/userRegistrationDetails',
      REPORTS,
      REPORTS,
      REPORTS,
    ];
    for (const p of paths) assert.equal((await call(tenant, p)).status, 200);
    assert.equal((await call(tenant, '/v1.0/auditLogs/signIns?$top=1')).status, 429);
    assert.equal((await call(tenant, '/v1.0/users?$top=1')).status, 200, 'identity is a separate class');
  });

  it('answers a second identityProtection request within a second with 429 and no Retry-After', async () => {
    tenant = await startDemoTenant({ timeFactor: 0.05, clock });
    assert.equal((await call(tenant, '/v1.0/identityProtection/riskyUsers')).status, 200);
    const second = await call(tenant, '/v1.0/identityProtection/riskDetections');
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), null);
    clock.advance(49);
    assert.equal(
      (await call(tenant, '/v1.0/identityProtection/riskyUsers')).status,
      429,
      'the scaled second is not over',
    );
    clock.advance(1);
    assert.equal((await call(tenant, '/v1.0/identityProtection/riskyUsers')).status, 200);
  });

  it('allows 4 concurrent outlook requests and rejects the 5th with 429', async () => {
    // The latency sleeps on the manual clock: four requests are held in flight until the clock moves.
    tenant = await startDemoTenant({ latencyMs: 300, timeFactor: 1, clock });
    const path = '/v1.0/users/hider@example.com/mailFolders/inbox/messageRules';
    const pending = [0, 1, 2, 3, 4].map(() => call(tenant, path));
    for (let i = 0; i < 2_000 && (clock.sleeps.length < 4 || tenant.stats().throttled < 1); i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(300);
    const replies = await Promise.all(pending);
    const statuses = replies.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const rejected = replies.find((r) => r.status === 429);
    assert.ok(rejected?.headers.get('retry-after'));
    const again = call(tenant, path);
    for (let i = 0; i < 2_000 && clock.sleeps.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(300);
    assert.equal((await again).status, 200, 'a slot is free again after the others finish');
  });

  it('spends identity resource units with the published costs and tighter limits', async () => {
    tenant = await startDemoTenant({ timeFactor: 0.05, clock, limits: { identityUnitsPerWindow: 10 } });
    const first = await call(tenant, '/v1.0/users/alexw@example.com/checkMemberGroups', post({ groupIds: [] }));
    assert.equal(first.headers.get('x-ms-resource-unit'), '4');
    const select = await call(tenant, '/v1.0/users/alexw@example.com?$select=id');
    assert.equal(select.headers.get('x-ms-resource-unit'), '1', 'GET user 2 RU, $select −1');
    await call(tenant, '/v1.0/users/alexw@example.com/licenseDetails');
    await call(tenant, '/v1.0/users/alexw@example.com/licenseDetails');
    const over = await call(tenant, '/v1.0/users/alexw@example.com/licenseDetails');
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.ok(over.headers.get('x-ms-throttle-scope'));
  });

  it('throttles each inner $batch request on its own with Retry-After in its headers', async () => {
    tenant = await startDemoTenant({ timeFactor: 0.02, clock });
    const requests = Array.from({ length: 7 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/auditLogs/directoryAudits?$top=1',
    }));
    const reply = await call(tenant, '/v1.0/$batch', post({ requests }));
    assert.equal(reply.status, 200);
    const responses = reply.body.responses as { status: number; headers: Record<string, string> }[];
    assert.equal(responses.filter((r) => r.status === 200).length, 5);
    const throttled = responses.filter((r) => r.status === 429);
    assert.equal(throttled.length, 2);
    for (const r of throttled) assert.ok(Number(r.headers['Retry-After']) > 0);
  });

  it('injects faults on reads at the configured rate: 429/503/504 and held-then-destroyed sockets', async () => {
    tenant = await startDemoTenant({ faultRate: 1, timeFactor: 0.005, seed: 7 });
    const seen = new Set<string>();
    for (let i = 0; i < 24; i++) {
      try {
        const res = await fetch(`${tenant.url}/v1.0/organization`);
        seen.add(String(res.status));
        await res.text();
      } catch (err) {
        assert.ok(err instanceof TypeError, 'a destroyed socket surfaces as a fetch failure');
        seen.add('timeout');
      }
    }
    assert.deepEqual([...seen].sort(), ['429', '503', '504', 'timeout']);
    assert.equal(
      (
        await call(tenant, '/v1.0/users/nomfa@example.com', {
          method: 'PATCH',
          body: JSON.stringify({ jobTitle: 'x' }),
        })
      ).status,
      204,
      'writes are not faulted',
    );
  });
});
