import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { exchangeSim } from '../../../demo/exchange/state';
import { COMPROMISED_UPN, FULL_ACCESS_DELEGATE_UPN } from '../../../demo/seed/scenarios-exchange';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import {
  createDelegatePort,
  removeDelegate,
  restoreDelegate,
  type DelegateItem,
  type DelegatePort,
} from '../../../services/exchange/remove-delegate';
import { CodedError } from '../../../services/errors';
import { ManualClock } from '../../fakes/manual-clock';

const fullAccess: DelegateItem = { kind: 'delegate', delegate: FULL_ACCESS_DELEGATE_UPN, right: 'FullAccess' };
const noFence = () => Promise.resolve();

describe('integration: remove-delegate through the InvokeCommand proxy, verified by reading back', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
  });
  after(async () => {
    await tenant.close();
  });
  const port = () =>
    createDelegatePort(
      createExchangeAdminApi({
        baseUrl: tenant.url,
        tenant: DEMO_TENANT_ID,
        tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
      }),
    );
  const ctx = { fence: noFence, clock: new ManualClock() };
  const writes = () => tenant.state.writes.map((w) => w.path).filter((p) => p.startsWith('InvokeCommand'));

  it('removes the seeded FullAccess delegate once, verified; a second run is already in state; the undo restores it', async () => {
    const p = port();
    assert.equal(await p.holds(COMPROMISED_UPN, fullAccess), true);
    const first = await removeDelegate(p, COMPROMISED_UPN, fullAccess, ctx);
    assert.deepEqual(first, { reasons: ['applied', 'verified'], ok: true, before: { held: true }, requestIds: [] });
    assert.equal(await p.holds(COMPROMISED_UPN, fullAccess), false);
    assert.deepEqual(writes(), [`InvokeCommand Remove-MailboxPermission ${COMPROMISED_UPN}`]);

    const again = await removeDelegate(p, COMPROMISED_UPN, fullAccess, ctx);
    assert.deepEqual(again.reasons, ['already-in-state']);
    assert.equal(writes().length, 1, 'no second write');

    const undo = await restoreDelegate(p, COMPROMISED_UPN, fullAccess, ctx);
    assert.deepEqual(undo.reasons, ['applied', 'verified']);
    assert.equal(await p.holds(COMPROMISED_UPN, fullAccess), true);
  });

  it('SendAs and SendOnBehalf (named by alias or by address) are removed with their own cmdlets', async () => {
    const p = port();
    const sendAs: DelegateItem = { kind: 'delegate', delegate: 'adelev@example.com', right: 'SendAs' };
    await restoreDelegate(p, COMPROMISED_UPN, sendAs, ctx);
    assert.equal(await p.holds(COMPROMISED_UPN, sendAs), true);
    assert.deepEqual((await removeDelegate(p, COMPROMISED_UPN, sendAs, ctx)).reasons, ['applied', 'verified']);

    // The manager's SendOnBehalf as Exchange lists it (alias), then by address: the same holder.
    const byAlias: DelegateItem = { kind: 'delegate', delegate: 'meganb', right: 'SendOnBehalf' };
    const byAddress: DelegateItem = { kind: 'delegate', delegate: 'meganb@example.com', right: 'SendOnBehalf' };
    assert.equal(await p.holds(COMPROMISED_UPN, byAddress), true);
    assert.deepEqual((await removeDelegate(p, COMPROMISED_UPN, byAlias, ctx)).reasons, ['applied', 'verified']);
    assert.deepEqual(exchangeSim(tenant.state).sendOnBehalf.get(findId(tenant)), []);
    assert.deepEqual((await restoreDelegate(p, COMPROMISED_UPN, byAddress, ctx)).reasons, ['applied', 'verified']);
    assert.deepEqual(exchangeSim(tenant.state).sendOnBehalf.get(findId(tenant)), ['meganb']);
  });

  it('dry run reads but does not write', async () => {
    const before = writes().length;
    const r = await removeDelegate(port(), COMPROMISED_UPN, fullAccess, { ...ctx, dryRun: true });
    assert.deepEqual(r.reasons, ['dry-run']);
    assert.equal(writes().length, before);
  });

  it('a missing Exchange role is this step failing with graph_forbidden, nothing removed', async () => {
    exchangeSim(tenant.state).deniedCmdlets.add('Remove-MailboxPermission');
    try {
      const r = await removeDelegate(port(), COMPROMISED_UPN, fullAccess, ctx);
      assert.deepEqual([r.ok, r.reasons, r.errorCode], [false, ['graph-error'], 'graph_forbidden']);
      assert.equal(await port().holds(COMPROMISED_UPN, fullAccess), true);
    } finally {
      exchangeSim(tenant.state).deniedCmdlets.clear();
    }
  });
});

function findId(tenant: DemoTenant): string {
  const id = tenant.state.upnIndex.get(COMPROMISED_UPN);
  assert.ok(id);
  return id;
}

describe('remove-delegate: an unknown outcome is re-read, never blindly resent', () => {
  /** A port whose first removal times out after taking effect, or not, as scripted. */
  function scripted(appliesDespiteTimeout: boolean) {
    let held = true;
    let removals = 0;
    const port: DelegatePort = {
      holds: () => Promise.resolve(held),
      remove: () => {
        removals++;
        if (removals === 1) {
          if (appliesDespiteTimeout) held = false;
          return Promise.reject(new CodedError('graph_outcome_unknown', 'no answer', { service: 'exchange' }));
        }
        held = false;
        return Promise.resolve({ requestId: null });
      },
      restore: () => Promise.reject(new Error('not used')),
    };
    return { port, removals: () => removals };
  }

  async function run(appliesDespiteTimeout: boolean) {
    const clock = new ManualClock();
    const s = scripted(appliesDespiteTimeout);
    const pending = removeDelegate(s.port, 'u@example.com', fullAccess, { fence: noFence, clock, random: () => 0.5 });
    for (let i = 0; i < 10 && clock.sleeps.length === 0; i++) await new Promise((r) => setImmediate(r));
    clock.advance(60_000);
    return { result: await pending, removals: s.removals() };
  }

  it('a timed-out removal that took effect is confirmed by reading, not sent again', async () => {
    const { result, removals } = await run(true);
    assert.deepEqual(result.reasons, ['applied', 'confirmed-by-read']);
    assert.equal(removals, 1);
  });

  it('a timed-out removal that did not take effect is sent once more after the re-read', async () => {
    const { result, removals } = await run(false);
    assert.deepEqual(result.reasons, ['applied', 'verified']);
    assert.equal(removals, 2);
  });
});
