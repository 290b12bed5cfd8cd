import assert from 'node:assert/strict';
import { DEMO_VIP_GROUP_ID } from '../../../bot/demo-defaults';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import { createGraphClient, type GraphClient } from '../../../services/graph';
import { chunkKey, jobKey } from '../../../services/mailbox/sweep-store';
import type { SweepJob } from '../../../services/mailbox/sweep-types';
import { createPostureChecker } from '../../../services/posture/posture';
import type { PostureCheck, PostureReport } from '../../../services/posture/types';
import { createMemoryStorage } from '../../../services/storage/memory-storage';

function find<I extends PostureCheck['id']>(report: PostureReport, id: I): Extract<PostureCheck, { id: I }> {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c as Extract<PostureCheck, { id: I }>;
}

describe('integration: posture against the demo tenant over HTTP', () => {
  let tenant: DemoTenant;
  let graph: GraphClient;
  const exchange = (fetch?: typeof globalThis.fetch) =>
    createExchangeAdminApi({
      baseUrl: tenant.url,
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
      ...(fetch ? { fetch } : {}),
    });

  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    graph = createGraphClient({ baseUrl: tenant.url, credential: { kind: 'static', token: DEMO_GRAPH_TOKEN } });
  });
  after(async () => {
    await tenant.close();
  });

  it('the seeded posture: failing checks first by impact, each verdict from what the tenant serves', async () => {
    const storage = createMemoryStorage();
    const job = { id: 'j1', scope: { kind: 'all' }, state: 'done', startedAt: 1, finishedAt: 2 } as SweepJob;
    await storage.put(jobKey('j1'), job, { overwrite: true });
    const finding = (what: string, domains: string[]) => ({
      severity: 'high',
      what,
      ruleId: null,
      ruleName: null,
      enabled: true,
      target: 'x',
      domains,
    });
    await storage.put(
      chunkKey('j1', 0, 0),
      {
        page: 0,
        rows: [
          {
            id: 'a',
            upn: 'a@x',
            status: 'ok',
            severity: 'high',
            findings: [finding('forward-external', ['evil.example'])],
          },
          {
            id: 'b',
            upn: 'b@x',
            status: 'ok',
            severity: 'high',
            findings: [finding('mailbox-forward-external', ['x.org'])],
          },
          { id: 'c', upn: 'c@x', status: 'ok', severity: 'high', findings: [finding('forward-internal', [])] },
          { id: 'd', upn: 'd@x', status: 'ok', severity: 'none' },
        ],
      },
      { overwrite: true },
    );
    const report = await createPostureChecker({
      client: graph,
      exchange: exchange(),
      storage,
      vipGroupId: DEMO_VIP_GROUP_ID,
      clock: systemClock,
    }).checkPosture();

    const verdicts = report.checks.map((c) => `${c.id}:${c.verdict}`);
    assert.deepEqual(verdicts, [
      'legacy-auth:fail',
      'auto-forwarding:fail',
      'user-consent:fail',
      'admin-sspr:fail',
      'smtp-pop-imap:fail',
      'mailbox-audit:fail',
      'advanced-audit:fail',
      'sspr:fail',
      'secure-score:fail',
      'mfa-all:pass',
    ]);

    const mfa = find(report, 'mfa-all');
    assert.equal(mfa.verdict, 'pass');
    assert.deepEqual(mfa.policies, ['Require MFA for all users']);
    assert.ok(
      mfa.exclusions.some((e) => e.kind === 'group' && e.name !== null && e.name !== e.id),
      'exclusion named',
    );

    const legacy = find(report, 'legacy-auth');
    assert.deepEqual(legacy.reportOnly, ['Block legacy authentication']);

    const fwd = find(report, 'auto-forwarding');
    assert.deepEqual(fwd.policies.find((p) => p.mode === 'On')?.name, 'Finance partners');
    assert.deepEqual(fwd.lastSweep, { finishedAt: 2, mailboxes: 4, externalForwarders: 2 });

    const consent = find(report, 'user-consent');
    assert.deepEqual([consent.userConsent, consent.adminConsentWorkflow], ['low-risk', false]);

    const admins = find(report, 'admin-sspr');
    assert.ok(admins.caught.some((a) => a.name === 'admin.sspr@example.com' && a.reason === 'admin-sspr-off'));

    const smtp = find(report, 'smtp-pop-imap');
    assert.equal(smtp.smtpAuthDisabled, false);
    assert.deepEqual(smtp.popImap?.map((m) => m.name).sort(), ['isaiahl@example.com', 'mfatest1@example.com']);

    const audit = find(report, 'mailbox-audit');
    assert.deepEqual(audit.mailboxesOff?.map((m) => m.name).sort(), [
      'forwarder@example.com',
      'quiet.user@example.com',
    ]);

    const licences = find(report, 'advanced-audit');
    assert.ok(
      typeof licences.vip === 'object' && licences.vip?.unlicensed.some((u) => u.name === 'noaudit@example.com'),
    );

    const sspr = find(report, 'sspr');
    assert.ok(sspr.enabled > 0 && sspr.registered < 0.9 * sspr.enabled, JSON.stringify(sspr));

    const score = find(report, 'secure-score');
    assert.deepEqual([score.current, score.max], [46.5, 83]);
    assert.deepEqual(
      score.controls.map((c) => c.id),
      ['BlockLegacyAuthentication', 'MFARegistrationV2', 'AdminMFAV2', 'SelfServicePasswordReset'],
    );
  });

  it("the InvokeCommand proxy refused: checks 6 and 8 can't tell, naming the Exchange permission; 7 still reads", async () => {
    tenant.state.exchangeProxyDisabled = true;
    try {
      const report = await createPostureChecker({
        client: graph,
        exchange: exchange(),
        clock: systemClock,
      }).checkPosture();
      const fwd = find(report, 'auto-forwarding');
      assert.equal(fwd.verdict, 'cant-tell');
      assert.equal(fwd.need?.kind, 'permission');
      assert.match(fwd.need?.kind === 'permission' ? fwd.need.name : '', /Exchange\.ManageAsApp/);
      // SMTP AUTH and POP/IMAP come only from the proxy too.
      assert.equal(find(report, 'smtp-pop-imap').verdict, 'cant-tell');
      // Mailbox auditing comes from the documented v2.0 endpoints and still fails on the seeded mailboxes.
      assert.equal(find(report, 'mailbox-audit').verdict, 'fail');
      assert.equal(find(report, 'advanced-audit').vip, 'not-configured');
    } finally {
      tenant.state.exchangeProxyDisabled = false;
    }
  });

  it("without EXCHANGE_ADMIN_ENABLED the Exchange checks can't tell and say so; Graph 403s name the declared permission", async () => {
    const refusing = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      fetch: (input, init) =>
        String(input).includes('/security/')
          ? Promise.resolve(
              new Response(
                JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } }),
                {
                  status: 403,
                  headers: { 'content-type': 'application/json' },
                },
              ),
            )
          : fetch(input, init),
    });
    const report = await createPostureChecker({ client: refusing, clock: systemClock }).checkPosture();
    for (const id of ['auto-forwarding', 'mailbox-audit', 'smtp-pop-imap'] as const)
      assert.deepEqual(find(report, id).need, { kind: 'setting', name: 'EXCHANGE_ADMIN_ENABLED' });
    const score = find(report, 'secure-score');
    assert.equal(score.verdict, 'cant-tell');
    assert.deepEqual(score.need, { kind: 'permission', name: 'SecurityEvents.Read.All' });
  });
});
