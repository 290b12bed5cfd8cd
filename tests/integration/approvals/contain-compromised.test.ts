import assert from 'node:assert/strict';
import { COMPROMISED_IDS, COMPROMISED_UPN } from '../../../demo/seed/scenario-compromised';
import { methodsOf, rulesOf } from '../../../demo/state';
import { FULL_ACCESS_DELEGATE_UPN } from '../../../demo/seed/scenarios-exchange';
import { persistenceKey } from '../../../services/identity/persistence';
import { compromisedSources } from './compromised-sources';
import { replyText, startHarness, type Harness } from './harness';

/**
 * `contain compromised@example.com` end to end on the seeded demo user: the items come from the real investigation
 * (bot/main.ts wires it the same way), the approval lists them, and after approval each is removed once and read back.
 */
describe('integration: contain compromised@example.com with the investigation flagged items', function () {
  this.timeout(60_000);
  let h: Harness;
  const { flagged, delegates, mobileDevices } = compromisedSources(() => h.tenant.url);
  after(async () => {
    await h?.close();
  });

  it('lists the attacker app grant, FullAccess delegate, device and phone on the approval, removes each once after approval, verified', async () => {
    h = await startHarness({ tenant: { timeFactor: 0.01 }, flagged, delegates, mobileDevices });
    const state = h.tenant.state;
    const user = state.users.get(COMPROMISED_IDS.user);
    assert.ok(user);
    const phoneBefore = methodsOf(state, user).filter((m) => String(m['@odata.type']).includes('phone'));
    assert.equal(phoneBefore.length, 1, 'the seed has the attacker phone');
    await h.say('alex', 'approvals here', 'group');
    assert.match(replyText(await h.say('alex', `contain ${COMPROMISED_UPN} phished, consent and device`)), /went to/);
    const [request] = await h.service.pending();
    const keys = (request?.steps ?? []).flatMap((s) => (s.item ? [persistenceKey(s.item)] : []));
    assert.ok(keys.includes(`grant:${COMPROMISED_IDS.mailBackupGrant}`), keys.join());
    assert.ok(keys.includes(`device:${COMPROMISED_IDS.attackerDevice}`), keys.join());
    assert.ok(
      keys.some((k) => k.startsWith('method:')),
      keys.join(),
    );
    assert.ok(keys.includes(`delegate:FullAccess:${FULL_ACCESS_DELEGATE_UPN}`), keys.join());
    assert.ok(!keys.some((k) => k.startsWith('delegate:SendOnBehalf')), 'the manager is expected, not flagged');
    assert.ok(!keys.includes(`grant:${COMPROMISED_IDS.benignGrant}`), 'the old verified app is not flagged');
    assert.ok(!keys.includes(`device:${COMPROMISED_IDS.laptop}`), "the user's own laptop is not flagged");
    const card = JSON.stringify(h.messenger.sent.at(-1)?.message);
    assert.ok(card.includes('Mail Backup Pro'));
    assert.ok(card.includes('DESKTOP-7Q2K9XB'));

    const data = h.lastCardData();
    await h.click('megan', 'approval.approve', data);
    await h.worker.runOnce();
    await h.worker.idle();
    const done = await h.service.get(data.requestId);
    const results = done?.execution?.results ?? [];
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => `${r.step.kind}:${r.reasons.join('+')}`),
      [],
      'every step succeeded',
    );
    for (const r of results.filter((x) => x.step.item)) assert.ok(r.reasons.includes('verified'), r.step.kind);
    assert.ok(!state.permissionGrants.some((g) => g.id === COMPROMISED_IDS.mailBackupGrant));
    assert.ok(state.permissionGrants.some((g) => g.id === COMPROMISED_IDS.benignGrant));
    assert.equal(state.devices.get(COMPROMISED_IDS.attackerDevice)?.accountEnabled, false);
    assert.notEqual(state.devices.get(COMPROMISED_IDS.laptop)?.accountEnabled, false);
    assert.equal(methodsOf(state, user).filter((m) => String(m['@odata.type']).includes('phone')).length, 0);
    assert.equal(rulesOf(state, user).find((r) => r.id === COMPROMISED_IDS.forwardingRule)?.isEnabled, false);
    assert.equal(h.writes(`/oauth2PermissionGrants/${COMPROMISED_IDS.mailBackupGrant}`), 1);
    assert.equal(h.writes(`/devices/${COMPROMISED_IDS.attackerDevice}`), 1);
    const fullAccess = { kind: 'delegate', delegate: FULL_ACCESS_DELEGATE_UPN, right: 'FullAccess' } as const;
    assert.equal(await delegates.holds(COMPROMISED_UPN, fullAccess), false, 'the FullAccess delegate is gone');
  });
});
