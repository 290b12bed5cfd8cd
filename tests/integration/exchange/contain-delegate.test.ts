import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { exchangeSim } from '../../../demo/exchange/state';
import { COMPROMISED_UPN, FULL_ACCESS_DELEGATE_UPN } from '../../../demo/seed/scenarios-exchange';
import type { FlaggedPersistenceSource, MailboxDelegatePort } from '../../../services/approvals/ports';
import { systemClock } from '../../../services/clock';
import { createExchangeAdminApi, type ExchangeAdminApi } from '../../../services/exchange/admin-api';
import { createExchangeInvestigator } from '../../../services/exchange/investigation';
import { createGraphManagerSource } from '../../../services/exchange/manager';
import { createDelegatePort, type DelegatePort } from '../../../services/exchange/remove-delegate';
import { CodedError } from '../../../services/errors';
import type { UserId } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createInvestigator, type Investigator } from '../../../services/identity/investigation';
import { createPolicyCache } from '../../../services/identity/mfa-evidence';
import { persistenceKey } from '../../../services/identity/persistence';
import { recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';
import { replyText, startHarness, type Harness } from '../approvals/harness';

/**
 * `contain compromised@example.com` with the Exchange side wired as bot/main.ts wires it: the investigation's
 * Exchange sections flag the FullAccess delegate, the approval lists it, and the executor removes it through the
 * InvokeCommand proxy once, verified by reading the permissions back; the manager's SendOnBehalf stays.
 */
describe('integration: contain removes the flagged mailbox delegate through the Exchange admin API', function () {
  this.timeout(60_000);
  let h: Harness;
  let api: ExchangeAdminApi | null = null;
  let investigator: Investigator | null = null;
  const exchange = (): ExchangeAdminApi =>
    (api ??= createExchangeAdminApi({
      baseUrl: h.tenant.url,
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
    }));
  let port: DelegatePort | null = null;
  const delegates: MailboxDelegatePort = {
    holds: (mailbox, item) => (port ??= createDelegatePort(exchange())).holds(mailbox, item),
    remove: (mailbox, item) => (port ??= createDelegatePort(exchange())).remove(mailbox, item),
    restore: (mailbox, item) => (port ??= createDelegatePort(exchange())).restore(mailbox, item),
  };
  const flagged: FlaggedPersistenceSource = {
    flagged: async (target) => {
      investigator ??= (() => {
        const { client, users } = withUsers(recordingGraphClient(h.tenant.url, [], { limits: scaledLimits(5) }));
        return createInvestigator({
          client,
          users,
          audit: createGraphAuditEvidenceSource(client),
          clock: systemClock,
          policies: createPolicyCache(60_000),
          auditDays: 30,
          forwarding: { checkForwarding: () => Promise.reject(new CodedError('graph_unavailable', 'not read here')) },
          exchange: createExchangeInvestigator({ api: exchange(), managers: createGraphManagerSource(client) }),
        });
      })();
      return (await investigator.investigate({ kind: 'id', id: target.id as UserId })).flagged;
    },
  };
  after(async () => {
    await h?.close();
  });

  it('lists the delegate on the approval, removes it once after approval, verified; the manager keeps SendOnBehalf', async () => {
    h = await startHarness({ tenant: { timeFactor: 0.01 }, flagged, delegates });
    const sim = exchangeSim(h.tenant.state);
    const held = () => sim.mailboxPermissions.filter((p) => p.user === FULL_ACCESS_DELEGATE_UPN).length;
    assert.equal(held(), 1, 'seeded');
    await h.say('alex', 'approvals here', 'group');
    assert.match(replyText(await h.say('alex', `contain ${COMPROMISED_UPN} phished, delegate added`)), /went to/);
    const [request] = await h.service.pending();
    const keys = (request?.steps ?? []).flatMap((s) => (s.item ? [persistenceKey(s.item)] : []));
    const key = `delegate:FullAccess:${FULL_ACCESS_DELEGATE_UPN}`;
    assert.ok(keys.includes(key), keys.join());
    assert.ok(!keys.some((k) => k.startsWith('delegate:SendOnBehalf')), "the manager's right is not flagged");
    assert.ok(JSON.stringify(h.messenger.sent.at(-1)?.message).includes(FULL_ACCESS_DELEGATE_UPN));

    const data = h.lastCardData();
    await h.click('megan', 'approval.approve', data);
    await h.worker.runOnce();
    await h.worker.idle();
    const done = await h.service.get(data.requestId);
    const result = done?.execution?.results.find((r) => r.step.item && persistenceKey(r.step.item) === key);
    assert.ok(result, JSON.stringify(done?.execution?.results.map((r) => r.step.kind)));
    assert.deepEqual([result.ok, result.reasons.includes('verified')], [true, true], result.reasons.join());
    assert.equal(held(), 0, 'removed in Exchange');
    const removals = h.tenant.state.writes.filter((w) => w.path.startsWith('InvokeCommand Remove-MailboxPermission'));
    assert.equal(removals.length, 1, 'one write');
    const user = h.tenant.state.upnIndex.get(COMPROMISED_UPN);
    assert.deepEqual(sim.sendOnBehalf.get(user ?? ''), ['meganb']);

    // Investigated again: nothing left to contain, but the grant is still on the timeline (from the audit record).
    const again = await investigator?.investigate({ kind: 'id', id: (user ?? '') as UserId });
    assert.ok(again);
    assert.ok(!again.flagged.some((i) => persistenceKey(i) === key), 'no longer flagged');
    const grant = again.timeline.events.find((e) => e.what === 'Mailbox FullAccess granted (no longer held)');
    assert.ok(grant, again.timeline.events.map((e) => e.what).join('; '));
    assert.match(grant.detail ?? '', new RegExp(FULL_ACCESS_DELEGATE_UPN.replace('.', '\\.')));
    assert.equal(grant.suspicious, true);
  });
});
