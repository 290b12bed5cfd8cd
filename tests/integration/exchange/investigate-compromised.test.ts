import assert from 'node:assert/strict';
import { investigationCard } from '../../../cards/investigation.card';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../../demo/constants';
import { managersOf } from '../../../demo/managers';
import { ATTACKER_DOMAIN, COMPROMISED_UPN, FULL_ACCESS_DELEGATE_UPN } from '../../../demo/seed/scenarios-exchange';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { findUser } from '../../../demo/state';
import { systemClock } from '../../../services/clock';
import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import { createExchangeInvestigator, exchangeTimelineEvents } from '../../../services/exchange/investigation';
import { createGraphManagerSource } from '../../../services/exchange/manager';
import type { Upn } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createInvestigator } from '../../../services/identity/investigation';
import { createPolicyCache } from '../../../services/identity/mfa-evidence';
import { createExchangeAdminReader } from '../../../services/mailbox/exchange-admin';
import { checkForwarding } from '../../../services/mailbox/forwarding-check';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';
import { recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';

describe('integration: investigate compromised@example.com with the Exchange sections', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];
  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  function investigator(exchangeEnabled: boolean) {
    const { client, users } = withUsers(recordingGraphClient(tenant.url, sent, { limits: scaledLimits(5) }));
    const api = createExchangeAdminApi({
      baseUrl: tenant.url,
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
    });
    return createInvestigator({
      client,
      users,
      audit: createGraphAuditEvidenceSource(client),
      clock: systemClock,
      policies: createPolicyCache(60_000),
      auditDays: 30,
      forwarding: {
        checkForwarding: (ref) =>
          checkForwarding({ graph: client, users, exchange: createExchangeAdminReader(api) }, ref),
      },
      exchange: createExchangeInvestigator({
        ...(exchangeEnabled ? { api } : {}),
        managers: createGraphManagerSource(client),
      }),
    });
  }

  it('shows the delegate, the rogue phone and the new outside domain, each after the risky sign-in, on the card', async () => {
    const inv = await investigator(true).investigate({ kind: 'upn', upn: COMPROMISED_UPN as Upn });
    assert.ok(
      sent.some((r) => /^GET \/v1\.0\/users\/[^/]+\/manager$/.test(r)),
      sent.join(),
    );
    const ex = inv.exchange;
    assert.ok(ex.delegates.kind === 'read');
    assert.deepEqual(
      ex.delegates.value.findings.map((f) => [f.right, f.trustee, f.severity, f.isManager]),
      [
        ['FullAccess', FULL_ACCESS_DELEGATE_UPN, 'high', false],
        ['SendOnBehalf', PLAYGROUND_USERS[1].upn.split('@')[0], null, true],
      ],
    );
    assert.ok(ex.mobileDevices.kind === 'read' && ex.mobileDevices.value[0]?.severity === 'high');
    assert.ok(ex.outboundMail.kind === 'read' && ex.outboundMail.value.domains[0]?.domain === ATTACKER_DOMAIN);
    assert.equal(ex.outboundMail.value.domains[0].suspicious, true);
    const suspicious = exchangeTimelineEvents(ex).filter((e) => e.suspicious);
    assert.equal(suspicious.length, 3);
    // On the investigation's one timeline, after the risky sign-in; the delegate is among the flagged items for contain.
    const timeline = inv.timeline.events;
    const first = inv.timeline.firstSuspicious;
    assert.ok(first !== null && timeline[first]?.section === 'sign-ins', JSON.stringify(timeline[first ?? 0]));
    const at = (section: string) => timeline.findIndex((e) => e.section === section && e.suspicious);
    assert.ok(
      at('delegates') > first && at('mail-sent') > at('delegates'),
      JSON.stringify(timeline.map((e) => e.section)),
    );
    assert.ok(
      inv.flagged.some(
        (i) => i.kind === 'delegate' && i.delegate === FULL_ACCESS_DELEGATE_UPN && i.right === 'FullAccess',
      ),
    );

    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    const lines = visibleLines(card);
    assert.ok(lines.includes('Mailbox delegates'));
    assert.ok(
      lines.some((l) => l.startsWith(`⚠️ FullAccess — ${FULL_ACCESS_DELEGATE_UPN}`)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.startsWith('✅ SendOnBehalf — meganb')));
    assert.ok(lines.some((l) => /⚠️ .*SM-G991B.*after the suspicious sign-in/.test(l)));
    assert.ok(lines.some((l) => l.startsWith(`⚠️ ${ATTACKER_DOMAIN} — 3 messages to 2 recipients`)));
    assert.ok(textRuns(card).includes(FULL_ACCESS_DELEGATE_UPN));
    assert.ok(!markdownSurfaces(card).join('\n').includes(ATTACKER_DOMAIN), 'domains stay out of markdown');
  });

  it('without a manager, "not the manager" applies to the manager too; with the API off, all three say so', async () => {
    const user = findUser(tenant.state, COMPROMISED_UPN);
    assert.ok(user);
    const saved = managersOf(tenant.state).get(user.id);
    managersOf(tenant.state).delete(user.id);
    try {
      const inv = await investigator(true).investigate({ kind: 'upn', upn: COMPROMISED_UPN as Upn });
      assert.ok(inv.exchange.delegates.kind === 'read');
      const megan = inv.exchange.delegates.value.findings.find((f) => f.right === 'SendOnBehalf');
      assert.deepEqual(megan?.reasons, ['not-manager']);
    } finally {
      if (saved) managersOf(tenant.state).set(user.id, saved);
    }
    const off = await investigator(false).investigate({ kind: 'upn', upn: COMPROMISED_UPN as Upn });
    const card = investigationCard(off, Date.now());
    assert.equal(markdownSurfaces(card).filter((s) => /Not checked: .*EXCHANGE_ADMIN_ENABLED/.test(s)).length, 3);
    assert.ok(off.signIns.kind === 'read', 'the rest of the investigation is there');
  });
});
