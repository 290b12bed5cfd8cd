import { strict as assert } from 'node:assert';
import 'restify';
import { startDemoTenant } from '../../../demo/server';
import { call } from './helpers';

// In demo mode the bot (restify) and the demo tenant share one process; restify patches http.ServerResponse.
describe('demo tenant: alongside restify in one process', () => {
  it('answers requests although restify replaced ServerResponse.prototype.writeHead', async () => {
    const tenant = await startDemoTenant();
    try {
      const reply = await call(tenant, '/v1.0/organization');
      assert.equal(reply.status, 200);
      assert.ok(reply.headers.get('request-id'));
      const empty = await call(tenant, '/v1.0/users/nomfa@example.com', {
        method: 'PATCH',
        body: JSON.stringify({ jobTitle: 'x' }),
      });
      assert.equal(empty.status, 204);
    } finally {
      await tenant.close();
    }
  });
});
