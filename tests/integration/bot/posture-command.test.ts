import assert from 'node:assert/strict';
import { TestAdapter } from 'botbuilder';
import { DEMO_VIP_GROUP_ID } from '../../../bot/demo-defaults';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import { createGraphClient, type GraphClient } from '../../../services/graph';
import { createPostureChecker } from '../../../services/posture/posture';
import { cardProblems, visibleLines } from '../../support/cards';
import { alexSays, demoTurnHandler } from '../../support/demo-turn';

describe('integration: the posture command over the demo tenant', () => {
  let tenant: DemoTenant;
  let graph: GraphClient;

  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    graph = createGraphClient({ baseUrl: tenant.url, credential: { kind: 'static', token: DEMO_GRAPH_TOKEN } });
  });
  after(async () => {
    await tenant.close();
  });

  it('answers with the posture card: Secure Score gauge, failing checks first, each verdict from the tenant', async () => {
    const posture = createPostureChecker({
      client: graph,
      exchange: createExchangeAdminApi({
        baseUrl: tenant.url,
        tenant: DEMO_TENANT_ID,
        tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
      }),
      vipGroupId: DEMO_VIP_GROUP_ID,
      clock: systemClock,
    });
    const adapter = new TestAdapter(demoTurnHandler(graph, { posture }));
    await adapter.send(alexSays('posture')).assertReply((reply) => {
      const card = reply.attachments?.[0]?.content as { body: { type: string }[] } | undefined;
      assert.ok(card, reply.text);
      assert.deepEqual(cardProblems(card), []);
      assert.ok(card.body.some((e) => e.type === 'Chart.Gauge'));
      const lines = visibleLines(card);
      const heads = lines.filter((l) => /^(FAIL|CAN’T TELL|PASS) {2}\d+\./.test(l));
      assert.equal(heads.length, 10);
      assert.match(heads[0] ?? '', /^FAIL {2}2\. Legacy authentication blocked/);
      assert.match(heads[9] ?? '', /^PASS {2}1\. MFA required for all users/);
      assert.ok(lines.some((l) => l === 'AutoForwardingMode On in: Finance partners'));
    });
  });

  it('without the service wired, the command says it is not available', async () => {
    const adapter = new TestAdapter(demoTurnHandler(graph, {}));
    await adapter.send(alexSays('posture')).assertReply((reply) => {
      assert.match(reply.text ?? '', /posture checks are not configured/);
    });
  });
});
