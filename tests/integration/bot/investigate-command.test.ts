import assert from 'node:assert/strict';
import { investigationCard } from '../../../cards/investigation.card';
import { DEMO_GRAPH_TOKEN } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createGraphClient } from '../../../services/graph';
import type { Upn } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createInvestigator } from '../../../services/identity/investigation';
import { createPolicyCache } from '../../../services/identity/mfa-evidence';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';

describe('integration: investigate against the demo tenant', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];
  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  // Shared like the bot's: CA policies and riskyUsers share Identity Protection's 1 request/s, so the policies are cached.
  const policies = createPolicyCache(60_000);
  function investigator(fetchImpl: typeof fetch = fetch) {
    const client = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      limits: {
        reports: { requests: 5, windowMs: 100 },
        identityProtection: { requests: 1, windowMs: 10 },
        windowMarginMs: 5,
      },
      fetch: (input, init) => {
        sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        return fetchImpl(input, init);
      },
    });
    return createInvestigator({
      client,
      audit: createGraphAuditEvidenceSource(client),
      clock: systemClock,
      policies,
      auditDays: 30,
    });
  }

  it('shows the risky user: MFA, risk, new country, password and sessions, in one batch plus the audit read', async () => {
    await investigator().investigate({ kind: 'upn', upn: 'nomfa@example.com' as Upn });
    sent.length = 0;
    const inv = await investigator().investigate({ kind: 'upn', upn: 'risky@example.com' as Upn });
    // One $batch; the audit read may be repeated only if the tenant throttled it (its windows are 100 ms here).
    assert.equal(sent.filter((r) => r === 'POST /v1.0/$batch').length, 1, sent.join());
    assert.ok(
      sent.every((r) => r === 'POST /v1.0/$batch' || r === 'GET /v1.0/auditLogs/directoryAudits'),
      sent.join(),
    );
    assert.equal(inv.mfa.verdict.kind, 'usable');
    assert.ok(inv.signIns.kind === 'read');
    assert.ok(inv.signIns.value.risk.kind === 'risky' && inv.signIns.value.risk.open);
    assert.deepEqual(inv.signIns.value.newCountries, ['NG']);
    assert.ok(inv.profile.lastPasswordChange && inv.profile.sessionsValidFrom);
    assert.equal(inv.forwarding.kind, 'not-checked');
    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    assert.ok(textRuns(card).some((t) => t.includes('Lagos')));
    assert.ok(markdownSurfaces(card).some((s) => /Not checked yet/.test(s)));
    const actions = (card.actions ?? []).map((a) => (a.data as { command: string; args: string }).command);
    assert.deepEqual(actions, ['revoke', 'disable', 'contain', 'mfa']);
  });

  it("lists mfatest1's security-info changes only when they are inside the 7-day window", async () => {
    const inv = await investigator().investigate({ kind: 'upn', upn: 'mfatest1@example.com' as Upn });
    assert.deepEqual(
      inv.recentChanges.map((e) => e.kind),
      ['started', 'strong-auth-update', 'registered', 'registered-all'],
    );
    const card = investigationCard(inv, Date.now());
    assert.ok(textRuns(card).includes('User registered security info'));
  });

  it('shows sign-ins without risk when Identity Protection is refused, naming the permission', async () => {
    const refuseRisk: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!(input instanceof Request ? input.url : input.toString()).endsWith('/$batch')) return res;
      const body = (await res.json()) as { responses: { id: string; status: number; body: unknown }[] };
      for (const r of body.responses) {
        if (r.id === 'risky') {
          r.status = 403;
          r.body = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } };
        }
      }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const inv = await investigator(refuseRisk).investigate({ kind: 'upn', upn: 'risky@example.com' as Upn });
    assert.equal(inv.riskUnavailable, 'IdentityRiskyUser.Read.All');
    assert.ok(inv.signIns.kind === 'read' && inv.signIns.value.total > 0);
  });
});
