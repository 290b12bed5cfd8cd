import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../../demo/constants';
import { exchangeSim } from '../../../demo/exchange/state';
import {
  ATTACKER_DOMAIN,
  COMPROMISED_UPN,
  COMPROMISE_SIGN_IN_AGO,
  FULL_ACCESS_DELEGATE_UPN,
  ROGUE_DEVICE_ID,
} from '../../../demo/seed/scenarios-exchange';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import {
  createExchangeInvestigator,
  exchangePersistence,
  exchangeTimelineEvents,
  judgeExchange,
  type ManagerSource,
} from '../../../services/exchange/investigation';
import type { Upn } from '../../../services/ids';

const DAY = 24 * 3600_000;
const megan = PLAYGROUND_USERS[1];

describe('integration: the Exchange sections of investigate against the demo tenant', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
  });
  after(async () => {
    await tenant.close();
  });

  const api = () =>
    createExchangeAdminApi({
      baseUrl: tenant.url,
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
    });
  const managers: ManagerSource = { manager: () => Promise.resolve({ id: megan.aadObjectId, upn: megan.upn }) };
  const ref = { kind: 'upn' as const, upn: COMPROMISED_UPN as Upn };
  const window = () => ({ from: Date.now() - 7 * DAY, to: Date.now() });
  const signIn = () => Date.now() - COMPROMISE_SIGN_IN_AGO;

  it('flags the FullAccess delegate (new account, added after the sign-in), not the manager; the rogue phone; the new domain', async () => {
    const reads = await createExchangeInvestigator({ api: api(), managers }).gather(ref, window());
    const inv = judgeExchange(reads, { suspiciousSince: signIn() });

    assert.ok(inv.delegates.kind === 'read');
    const [attacker, manager, ...rest] = inv.delegates.value.findings;
    assert.equal(rest.length, 0);
    assert.equal(attacker?.trustee, FULL_ACCESS_DELEGATE_UPN);
    assert.equal(attacker.right, 'FullAccess');
    assert.equal(attacker.severity, 'high');
    assert.deepEqual(attacker.reasons, ['added-in-window', 'new-account', 'not-manager']);
    assert.equal(attacker.addedBy, COMPROMISED_UPN);
    assert.ok(attacker.addedAt && Date.parse(attacker.addedAt) > signIn());
    assert.equal(manager?.right, 'SendOnBehalf');
    assert.equal(manager.isManager, true);
    assert.equal(manager.severity, null);
    // The flagged delegate and the rogue ActiveSync phone (contain blocks it); not the manager, not the own iPhone.
    assert.deepEqual(exchangePersistence(inv), [
      { kind: 'delegate', delegate: FULL_ACCESS_DELEGATE_UPN, right: 'FullAccess' },
      { kind: 'mobile-device', deviceId: ROGUE_DEVICE_ID, name: 'SM-G991B (Android 13, EAS)' },
    ]);

    assert.ok(inv.mobileDevices.kind === 'read');
    const flagged = inv.mobileDevices.value.filter((d) => d.severity !== null);
    assert.deepEqual(
      flagged.map((d) => [d.deviceId, d.severity]),
      [[ROGUE_DEVICE_ID, 'high']],
    );

    assert.ok(inv.outboundMail.kind === 'read');
    const mail = inv.outboundMail.value;
    assert.deepEqual(
      mail.domains.map((d) => [d.domain, d.messages, d.recipients.length, d.suspicious]),
      [
        [ATTACKER_DOMAIN, 3, 2, true],
        ['fabrikam.com', 3, 1, false],
      ],
    );
    assert.equal(mail.total, 8);

    const events = exchangeTimelineEvents(inv);
    assert.deepEqual(
      events.filter((e) => e.suspicious).map((e) => e.section),
      ['delegates', 'devices', 'mail-sent'],
    );
    assert.equal(events.find((e) => e.section === 'delegates')?.key, `delegate:FullAccess:${FULL_ACCESS_DELEGATE_UPN}`);
  });

  it('with the admin API off, every section is "not checked: disabled" and nothing is requested', async () => {
    const reads = await createExchangeInvestigator({}).gather(ref, window());
    const inv = judgeExchange(reads, { suspiciousSince: null });
    for (const s of [inv.delegates, inv.mobileDevices, inv.outboundMail])
      assert.deepEqual(s, { kind: 'not-checked', reason: { why: 'disabled' } });
  });

  it('a refused proxy leaves each proxy section "not checked" naming the permission', async () => {
    tenant.state.exchangeProxyDisabled = true;
    try {
      const inv = judgeExchange(await createExchangeInvestigator({ api: api() }).gather(ref, window()), {
        suspiciousSince: null,
      });
      for (const s of [inv.delegates, inv.mobileDevices, inv.outboundMail]) {
        assert.ok(s.kind === 'not-checked' && s.reason.why === 'permission', JSON.stringify(s));
        assert.match(s.reason.permission, /Exchange\.ManageAsApp/);
      }
    } finally {
      tenant.state.exchangeProxyDisabled = false;
    }
  });

  it('a role without Get-MobileDevice degrades only that section; without the audit search, delegates show undated', async () => {
    const denied = exchangeSim(tenant.state).deniedCmdlets;
    denied.add('Get-MobileDevice');
    denied.add('Search-UnifiedAuditLog');
    try {
      const inv = judgeExchange(await createExchangeInvestigator({ api: api(), managers }).gather(ref, window()), {
        suspiciousSince: signIn(),
      });
      assert.ok(inv.mobileDevices.kind === 'not-checked' && inv.mobileDevices.reason.why === 'permission');
      assert.match(inv.mobileDevices.reason.permission, /Get-MobileDevice/);
      assert.ok(inv.delegates.kind === 'read');
      assert.match(inv.delegates.value.auditUnavailable ?? '', /Search-UnifiedAuditLog/);
      const attacker = inv.delegates.value.findings[0];
      assert.equal(attacker?.addedAt, null);
      assert.deepEqual(attacker.reasons, ['new-account', 'not-manager']);
      assert.equal(inv.outboundMail.kind, 'read');
    } finally {
      denied.clear();
    }
  });

  it('a user without a mailbox is "not checked: no mailbox"', async () => {
    const inv = judgeExchange(
      await createExchangeInvestigator({ api: api() }).gather(
        { kind: 'upn', upn: 'nomailbox@example.com' as Upn },
        window(),
      ),
      { suspiciousSince: null },
    );
    assert.deepEqual(inv.delegates, { kind: 'not-checked', reason: { why: 'no-mailbox' } });
  });
});
