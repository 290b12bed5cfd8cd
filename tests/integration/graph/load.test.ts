import assert from 'node:assert/strict';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { isCodedError } from '../../../services/errors';
import type { Upn } from '../../../services/ids';
import { createGraphClient, type GraphClient } from '../../../services/graph/client';
import { odataString, withQuery } from '../../../services/graph/odata';
import { collectAll } from '../../../services/graph/paging';
import { graphUserSchema, messageRuleSchema } from '../../../services/graph/schemas';
import { readUserProfile } from '../../../services/graph/users';

const TIME_FACTOR = 0.01;
const SEEDED = [
  'mfatest1@example.com',
  'mfatest2@example.com',
  'nomfa@example.com',
  'admin.sspr@example.com',
  'upntest@example.net',
];

// The client configured as the demo tenant enforces the published limits, both scaled by the same time factor.
function clientFor(tenant: DemoTenant): GraphClient {
  return createGraphClient({
    baseUrl: tenant.url,
    credential: { kind: 'static', token: 't' },
    random: () => 0.5,
    limits: {
      reports: { requests: 5, windowMs: 10_000 * TIME_FACTOR },
      identity: { resourceUnits: 3_500, windowMs: 10_000 * TIME_FACTOR },
      identityProtection: { requests: 1, windowMs: 1_000 * TIME_FACTOR },
      windowMarginMs: 250 * TIME_FACTOR,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
    },
  });
}

/** One interactive check: a profile batch, an audit read and a risk read, as `investigate` does. */
async function interactiveCheck(client: GraphClient, upn: string): Promise<string> {
  const profile = await readUserProfile(client, { kind: 'upn', upn: upn as Upn }, { priority: 'interactive' });
  const filter = `targetResources/any(t: t/id eq ${odataString(profile.user.id)})`;
  await client.request({
    method: 'GET',
    path: withQuery('/auditLogs/directoryAudits', { $filter: filter, $top: 10 }),
    priority: 'interactive',
  });
  await client.request({ method: 'GET', path: `/identityProtection/riskyUsers?$top=1`, priority: 'interactive' });
  return profile.user.userPrincipalName.toLowerCase();
}

/** A background sweep: every mailbox's inbox rules, 'no mailbox' counted rather than failed. */
async function sweep(client: GraphClient): Promise<Map<string, number | 'no-mailbox'>> {
  const users = await collectAll(client, '/users?$select=id,userPrincipalName&$top=100', graphUserSchema, {
    priority: 'background',
  });
  const results = new Map<string, number | 'no-mailbox'>();
  await Promise.all(
    users.items.map(async (u) => {
      try {
        const rules = await collectAll(client, `/users/${u.id}/mailFolders/inbox/messageRules`, messageRuleSchema, {
          priority: 'background',
        });
        results.set(u.id, rules.items.length);
      } catch (error) {
        if (!isCodedError(error, 'graph_not_found') && !isCodedError(error, 'user_not_found')) throw error;
        results.set(u.id, 'no-mailbox');
      }
    }),
  );
  return results;
}

async function run(tenant: DemoTenant) {
  const client = clientFor(tenant);
  const upns = Array.from({ length: 20 }, (_, i) => SEEDED[i % SEEDED.length] ?? '');
  const [checks, swept] = await Promise.all([Promise.all(upns.map((u) => interactiveCheck(client, u))), sweep(client)]);
  return { checks, swept, upns };
}

describe('graph layer under load against the demo tenant', function () {
  this.timeout(30_000);

  it('20 concurrent interactive checks and a background sweep see no 429 when limits match', async () => {
    const tenant = await startDemoTenant({ port: 0, timeFactor: TIME_FACTOR, extraUsers: 40 });
    try {
      const { checks, swept, upns } = await run(tenant);
      assert.deepEqual(checks, upns);
      assert.ok(swept.size >= 60, `swept ${swept.size}`);
      assert.equal(tenant.stats().throttled, 0, JSON.stringify(tenant.stats().byClass));
    } finally {
      await tenant.close();
    }
  });

  it('still completes, with the same answers, when the tenant is tighter than configured', async () => {
    const loose = await startDemoTenant({ port: 0, timeFactor: TIME_FACTOR, extraUsers: 40 });
    const expected = await run(loose).finally(() => loose.close());
    const tight = await startDemoTenant({
      port: 0,
      timeFactor: TIME_FACTOR,
      extraUsers: 40,
      limits: { reportsPerWindow: 2, outlookConcurrent: 2, identityUnitsPerWindow: 300 },
    });
    try {
      const { checks, swept, upns } = await run(tight);
      assert.ok(tight.stats().throttled > 0, 'the tighter tenant must have throttled');
      assert.deepEqual(checks, upns);
      assert.deepEqual([...swept.entries()].sort(), [...expected.swept.entries()].sort());
    } finally {
      await tight.close();
    }
  });
});
