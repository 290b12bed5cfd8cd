import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN } from '../../../demo/constants';
import { SCENARIO_IDS } from '../../../demo/seed/scenarios-mfa';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createGraphClient } from '../../../services/graph';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';

describe('integration: Graph audit evidence source against the demo tenant', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ port: 0 });
  });
  after(async () => {
    await tenant.close();
  });
  const client = () =>
    createGraphClient({ baseUrl: tenant.url, credential: { kind: 'static', token: DEMO_GRAPH_TOKEN } });
  const since = () => new Date(Date.now() - 30 * 24 * 3600_000);

  it("reads only the target's security-info records, complete from `since`, in one reports-class request", async () => {
    const before = tenant.stats().byClass.reports ?? 0;
    const s = since();
    const { events, coveredFrom } = await createGraphAuditEvidenceSource(client()).securityInfoEvents(
      SCENARIO_IDS.mfatest1,
      s,
    );
    assert.equal((tenant.stats().byClass.reports ?? 0) - before, 1);
    assert.equal(coveredFrom?.toISOString(), s.toISOString());
    assert.deepEqual(events.map((e) => e.activityDisplayName).sort(), [
      'Update user',
      'User registered all required security info',
      'User registered security info',
      'User started security info registration',
    ]);
    assert.ok(events.every((e) => e.targetResources.some((t) => t.id === SCENARIO_IDS.mfatest1)));
  });

  it('when the page bound cuts the history, coverage starts at the oldest record read', async () => {
    const { events, coveredFrom } = await createGraphAuditEvidenceSource(client(), {
      pageSize: 2,
      maxPages: 1,
    }).securityInfoEvents(SCENARIO_IDS.mfatest1, since());
    assert.equal(events.length, 2);
    const oldest = Math.min(...events.map((e) => Date.parse(e.activityDateTime)));
    assert.equal(coveredFrom?.getTime(), oldest);
  });
});
