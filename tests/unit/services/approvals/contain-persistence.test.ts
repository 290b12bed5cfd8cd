import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import { planSteps, stepForItem } from '../../../../services/approvals/plan';
import { reconcile } from '../../../../services/approvals/reconcile';
import { requestHash } from '../../../../services/approvals/request-hash';
import type { PlannedStep, TargetView } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import { persistenceKey, type PersistenceItem } from '../../../../services/identity/persistence';
import { ManualClock, SkippingClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, STARTED } from './fakes';
import { fakeDelegates, fakePersistence, FLAGGED } from './persistence-fakes';

const TARGET: TargetView = record([]).target;
const flaggedSource = (items: PersistenceItem[] = FLAGGED) => ({ flagged: () => Promise.resolve(items) });
const METHODS = [
  {
    id: 'm-old',
    typeSegment: 'microsoftAuthenticatorMethods',
    odataType: '#a',
    createdDateTime: '2025-01-01T00:00:00Z',
  },
  {
    id: 'm-new',
    typeSegment: 'phoneMethods',
    odataType: '#microsoft.graph.phoneAuthenticationMethod',
    createdDateTime: '2026-11-22T11:00:00Z',
  },
];

function setup() {
  const t = fakeTenant();
  t.methods.push(...METHODS.map((m) => ({ ...m })));
  const p = fakePersistence();
  const d = fakeDelegates();
  const run = (steps: PlannedStep[], overrides = {}) =>
    executeRequest(
      record(steps, overrides),
      {
        tenant: t.tenant,
        secrets: noSecrets,
        policy,
        clock: new ManualClock(STARTED),
        persistence: p.port,
        delegates: d.port,
      },
      noHooks,
    );
  return { t, p, d, run };
}

describe('approvals/contain: persistence steps (plan)', () => {
  it('contain lists every flagged item as its own step after the account steps, each carrying the item', async () => {
    const { t } = setup();
    const plan = await planSteps(t.tenant, TARGET, { action: 'contain', target: 'u1' }, { flagged: flaggedSource() });
    assert.equal(plan.kind, 'ready');
    if (plan.kind !== 'ready') return;
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      [
        'revoke',
        'disable',
        'reset-password',
        'revoke-grant',
        'remove-app-role',
        'remove-delegate',
        'disable-device',
        'remove-method',
        'remove-app-credential',
      ],
    );
    assert.deepEqual(
      plan.steps.slice(3).map((s) => s.item),
      FLAGGED,
    );
    assert.deepEqual(plan.steps[7], {
      kind: 'remove-method',
      methodId: 'm-new',
      methodType: 'phoneMethods',
      item: FLAGGED[4],
    });
  });

  it('picked keys give exactly those items, in the order picked; a key no longer flagged refuses the whole request', async () => {
    const { t } = setup();
    const keys = [persistenceKey(FLAGGED[3] as PersistenceItem), persistenceKey(FLAGGED[0] as PersistenceItem)];
    const plan = await planSteps(
      t.tenant,
      TARGET,
      { action: 'contain', target: 'u1', items: keys },
      { flagged: flaggedSource() },
    );
    assert.equal(plan.kind, 'ready');
    if (plan.kind === 'ready')
      assert.deepEqual(
        plan.steps.slice(3).map((s) => s.item),
        [FLAGGED[3], FLAGGED[0]],
      );
    const stale = await planSteps(
      t.tenant,
      TARGET,
      { action: 'contain', target: 'u1', items: [...keys, 'grant:gone'] },
      { flagged: flaggedSource() },
    );
    assert.deepEqual(stale.kind === 'items-stale' ? stale.keys : stale.kind, ['grant:gone']);
    const none = await planSteps(
      t.tenant,
      TARGET,
      { action: 'contain', target: 'u1', items: [] },
      { flagged: flaggedSource() },
    );
    assert.equal(none.kind, 'items-stale');
  });

  it('a flagged-items read that fails leaves the account steps and says the persistence was not checked', async () => {
    const { t } = setup();
    const failing = { flagged: () => Promise.reject(new CodedError('graph_forbidden', '403')) };
    const plan = await planSteps(t.tenant, TARGET, { action: 'contain', target: 'u1' }, { flagged: failing });
    assert.equal(plan.kind, 'ready');
    if (plan.kind !== 'ready') return;
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      ['revoke', 'disable', 'reset-password'],
    );
    assert.deepEqual(plan.warnings, ['persistence-not-checked']);
  });

  it('the approval hash covers every field of each item', () => {
    const base = {
      id: 'a1',
      action: 'contain' as const,
      targetId: 'u1',
      requester: { aadObjectId: 'r' },
      expiresAt: 1,
    };
    const steps = FLAGGED.map(stepForItem);
    const hash = requestHash({ ...base, steps });
    const widened = FLAGGED.map((i) => (i.kind === 'grant' ? { ...i, scopes: [...i.scopes, 'Mail.Send'] } : i));
    assert.notEqual(requestHash({ ...base, steps: widened.map(stepForItem) }), hash);
    const otherDelegate = FLAGGED.map((i) => (i.kind === 'delegate' ? { ...i, right: 'SendAs' as const } : i));
    assert.notEqual(requestHash({ ...base, steps: otherDelegate.map(stepForItem) }), hash);
    assert.notEqual(requestHash({ ...base, steps: steps.slice(1) }), hash);
    // Steps without items hash as before (stored requests stay valid).
    assert.equal(
      requestHash({ ...base, steps: [{ kind: 'revoke' }] }),
      requestHash({ ...base, steps: [{ kind: 'revoke', item: undefined }] }),
    );
  });

  it('single actions: revoke-grant finds only the user own grant (else its app role assignment), disable-device only their device, remove-delegate every right', async () => {
    const { t, p, d } = setup();
    const sources = { persistence: p.port, delegates: d.port, flagged: flaggedSource() };
    const grant = await planSteps(t.tenant, TARGET, { action: 'revoke-grant', target: 'u1', itemId: 'g1' }, sources);
    assert.deepEqual(grant.kind === 'ready' ? grant.steps : grant.kind, [stepForItem(FLAGGED[0] as PersistenceItem)]);
    const other = await planSteps(
      t.tenant,
      TARGET,
      { action: 'revoke-grant', target: 'u1', itemId: 'g-other' },
      sources,
    );
    assert.equal(other.kind, 'item-not-found');
    const role = await planSteps(t.tenant, TARGET, { action: 'revoke-grant', target: 'u1', itemId: 'ara1' }, sources);
    assert.deepEqual(role.kind === 'ready' ? role.steps.map((s) => s.kind) : role.kind, ['remove-app-role']);
    const device = await planSteps(
      t.tenant,
      TARGET,
      { action: 'disable-device', target: 'u1', itemId: 'd-else' },
      sources,
    );
    assert.equal(device.kind, 'item-not-found');
    const own = await planSteps(t.tenant, TARGET, { action: 'disable-device', target: 'u1', itemId: 'd1' }, sources);
    assert.deepEqual(own.kind === 'ready' ? own.steps : own.kind, [
      { kind: 'disable-device', item: { kind: 'device', id: 'd1', name: 'DESKTOP-EVIL' } },
    ]);
    const delegate = await planSteps(
      t.tenant,
      TARGET,
      { action: 'remove-delegate', target: 'u1', itemId: 'ATTACKER@evil.example' },
      sources,
    );
    assert.deepEqual(delegate.kind === 'ready' ? delegate.steps.map((s) => s.item) : delegate.kind, [
      { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' },
      { kind: 'delegate', delegate: 'attacker@evil.example', right: 'SendAs' },
    ]);
    const noExchange = await planSteps(
      t.tenant,
      TARGET,
      { action: 'remove-delegate', target: 'u1', itemId: 'x@y.z' },
      {},
    );
    assert.equal(noExchange.kind, 'exchange-not-enabled');
  });
});

describe('approvals/contain: persistence steps (execute)', () => {
  it('removes each item once, verifies it by reading back and keeps its before-state', async () => {
    const { t, p, d, run } = setup();
    const out = await run(FLAGGED.map(stepForItem));
    assert.equal(out.state, 'done');
    assert.deepEqual(p.writes, [
      'delete-grant=g1',
      'delete-assignment=ara1',
      'device=d1:false',
      'remove-password=app1:k-new',
    ]);
    assert.deepEqual(d.writes, ['remove-delegate=attacker@evil.example:FullAccess']);
    assert.deepEqual(t.writes, ['delete=m-new']);
    for (const r of out.results) assert.deepEqual(r.reasons, ['applied', 'verified'], r.step.kind);
    assert.deepEqual(
      out.results.map((r) => r.before?.item?.kind),
      ['grant', 'app-role-assignment', 'delegate', 'device', 'method', 'app-credential'],
    );
    assert.deepEqual(out.results[0]?.before?.item, {
      kind: 'grant',
      clientId: 'sp-backup',
      consentType: 'Principal',
      principalId: 'u1',
      resourceId: 'sp-graph',
      scope: 'Mail.ReadWrite offline_access',
    });
    assert.equal(p.grants.has('g1'), false);
    assert.equal(p.devices.get('d1')?.accountEnabled, false);
    assert.deepEqual(
      p.apps.get('app1')?.passwordCredentials.map((c) => c.keyId),
      ['k-old'],
    );
    // Run again: everything is already gone, nothing is written.
    const again = await run(FLAGGED.map(stepForItem));
    assert.deepEqual(p.writes.length, 4);
    assert.deepEqual(d.writes.length, 1);
    assert.deepEqual(t.writes, ['delete=m-new']);
    assert.equal(again.results[3]?.reasons.join(), 'already-in-state');
  });

  it('a certificate is removed by PATCHing the keys to keep (removeKey needs a proof the bot cannot sign)', async () => {
    const { p, run } = setup();
    const item: PersistenceItem = {
      kind: 'app-credential',
      appObjectId: 'app1',
      keyId: 'c-new',
      credential: 'key',
      app: 'Owned App',
    };
    const out = await run([stepForItem(item)]);
    assert.equal(out.state, 'done');
    assert.deepEqual(p.writes, ['set-keys=app1:c-old']);
  });

  it('never deletes the user last sign-in method besides the password', async () => {
    const { t, run } = setup();
    t.methods.splice(0, 1); // only the flagged phone is left
    const out = await run([stepForItem(FLAGGED[4] as PersistenceItem)]);
    assert.deepEqual(t.writes, []);
    assert.deepEqual(out.results[0]?.reasons, ['last-method-kept']);
    assert.equal(out.results[0]?.ok, false);
    assert.deepEqual(out.results[0]?.requestIds, [], 'no Graph request was made');
  });

  it('an id that now names another user grant, a device not the user own, or an app the user no longer owns is not touched', async () => {
    const { p, run } = setup();
    const out = await run(
      [
        stepForItem({ kind: 'grant', id: 'g-other', app: 'x', clientId: 'sp-backup', scopes: [] }),
        stepForItem({ kind: 'device', id: 'd-else', name: 'Other' }),
        stepForItem({ kind: 'app-credential', appObjectId: 'app1', keyId: 'k-new', credential: 'password', app: 'x' }),
      ],
      {},
    );
    assert.deepEqual(
      out.results.map((r) => r.reasons.join()),
      ['item-changed', 'item-changed', 'applied,verified'],
    );
    assert.deepEqual(p.writes, ['remove-password=app1:k-new']);
    const { p: p2, run: run2 } = (() => {
      const s = setup();
      s.p.port.listOwnedApplications = () => Promise.resolve([]);
      return s;
    })();
    const notOwned = await run2([stepForItem(FLAGGED[5] as PersistenceItem)]);
    assert.deepEqual(notOwned.results[0]?.reasons, ['item-changed']);
    assert.deepEqual(p2.writes, []);
  });

  it('a non-Windows device and a delegate without the Exchange admin API are refused without a write', async () => {
    const t = fakeTenant();
    const p = fakePersistence();
    const out = await executeRequest(
      record([
        stepForItem({ kind: 'device', id: 'd-ios', name: 'iPhone' }),
        stepForItem(FLAGGED[2] as PersistenceItem),
      ]),
      { tenant: t.tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), persistence: p.port },
      noHooks,
    );
    assert.deepEqual(
      out.results.map((r) => r.reasons.join()),
      ['device-not-windows', 'exchange-not-enabled'],
    );
    assert.equal(out.state, 'failed');
    assert.deepEqual(p.writes, []);
  });

  it('a delete whose answer is lost is confirmed by reading back and never sent twice', async () => {
    const base = fakePersistence();
    let calls = 0;
    const p = fakePersistence({
      deleteGrant: async (id) => {
        calls++;
        await base.port.deleteGrant(id);
        throw new CodedError('graph_outcome_unknown', 'timeout', { status: 504, requestId: 'req-lost' });
      },
      getGrant: (id) => base.port.getGrant(id),
    });
    const t = fakeTenant();
    const clock = new SkippingClock();
    const out = await executeRequest(
      record([stepForItem(FLAGGED[0] as PersistenceItem)]),
      { tenant: t.tenant, secrets: noSecrets, policy, clock, persistence: p.port, random: () => 0 },
      noHooks,
    );
    assert.equal(calls, 1);
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read']);
  });

  it('enable-device undoes disable-device: one write, read back; an enabled device is not written again', async () => {
    const { p, run } = setup();
    const item = { kind: 'device' as const, id: 'd1', name: 'DESKTOP-EVIL' };
    await run([stepForItem(item)]);
    const undo = await run([{ kind: 'enable-device', item }]);
    assert.deepEqual(undo.results[0]?.reasons, ['applied', 'verified']);
    assert.equal(undo.results[0]?.before?.item?.kind === 'device' && undo.results[0].before.item.accountEnabled, false);
    assert.equal(p.devices.get('d1')?.accountEnabled, true);
    const again = await run([{ kind: 'enable-device', item }]);
    assert.deepEqual(again.results[0]?.reasons, ['already-in-state']);
    assert.deepEqual(p.writes, ['device=d1:false', 'device=d1:true']);
  });

  it('dry run reads and keeps the before-state but writes nothing', async () => {
    const { p, d, t, run } = setup();
    const out = await run(FLAGGED.map(stepForItem), { dryRun: true });
    assert.deepEqual([...p.writes, ...d.writes, ...t.writes], []);
    assert.ok(out.results.every((r) => r.reasons.join() === 'dry-run' && r.before?.item));
  });

  it('reconcile judges an interrupted persistence step by reading only', async () => {
    const { t, p, d } = setup();
    await p.port.deleteGrant('g1');
    const results = await reconcile(
      record([stepForItem(FLAGGED[0] as PersistenceItem), stepForItem(FLAGGED[3] as PersistenceItem)]),
      t.tenant,
      { persistence: p.port, delegates: d.port },
    );
    assert.deepEqual(
      results.map((r) => r.reasons.join()),
      ['reconciled-applied', 'reconciled-not-applied'],
    );
    assert.deepEqual(p.writes, ['delete-grant=g1']);
  });
});
