// The undo actions' guards (issue 10, mutation round 3): a restore is re-created only from an intact before-state of
// this user, an item already back is not written again, a slot taken by something else is not overwritten, a
// create Graph or Exchange acknowledges but does not show is reported, and reconcile judges every undo kind by
// reading. Each test here kills mutants of services/approvals/{restore-steps,steps,plan,reconcile,persistence-steps}.ts
// that survived the earlier suites.
import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import { planSteps, stepForItem } from '../../../../services/approvals/plan';
import type {
  MailboxDelegatePort,
  MethodView,
  MobileDevicePort,
  PersistencePort,
} from '../../../../services/approvals/ports';
import { reconcile } from '../../../../services/approvals/reconcile';
import { restorableMethod } from '../../../../services/approvals/restore-steps';
import type {
  ApprovalRecord,
  PersistenceBefore,
  PlannedStep,
  StepResult,
  TargetView,
} from '../../../../services/approvals/types';
import type { PersistenceItem } from '../../../../services/identity/persistence';
import { ManualClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, STARTED } from './fakes';
import { fakeDelegates, fakePersistence, FLAGGED, GRANT_BEFORE } from './persistence-fakes';

const TARGET: TargetView = record([]).target;
const GRANT = FLAGGED[0] as PersistenceItem;
const DEVICE: PersistenceItem = { kind: 'device', id: 'd1', name: 'DESKTOP-EVIL' };
const ROGUE: PersistenceItem = { kind: 'mobile-device', deviceId: 'ANDROIDROGUE', name: 'SM-G991B' };
const PHONE_TYPE = '#microsoft.graph.phoneAuthenticationMethod';
const EMAIL_TYPE = '#microsoft.graph.emailAuthenticationMethod';
const ROLE_BEFORE: PersistenceBefore = {
  kind: 'app-role-assignment',
  principalId: 'u1',
  resourceId: 'sp-backup',
  appRoleId: 'role-1',
};
const PHONE_BEFORE: PersistenceBefore = {
  kind: 'method',
  odataType: PHONE_TYPE,
  createdDateTime: null,
  phoneNumber: '+40 721555501',
  phoneType: 'mobile',
};
const AUTHENTICATOR: MethodView = {
  id: 'm-auth',
  typeSegment: 'microsoftAuthenticatorMethods',
  odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  createdDateTime: '2025-01-01T00:00:00Z',
};

interface Ports {
  persistence?: PersistencePort;
  delegates?: MailboxDelegatePort;
  mobileDevices?: MobileDevicePort;
}

function exec(steps: PlannedStep[], tenant = fakeTenant().tenant, ports: Ports = {}, dryRun = false) {
  return executeRequest(
    record(steps, { dryRun }),
    { tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), random: () => 0, ...ports },
    noHooks,
  );
}

const restoreStep = (kind: PlannedStep['kind'], restore?: PersistenceBefore): PlannedStep => ({
  kind,
  undoOf: 'contain-1',
  ...(restore ? { restore } : {}),
});

/** u1's mailbox in Exchange: one partnership listed; `blocked` is ActiveSyncBlockedDeviceIDs. */
function fakeMobile(blocked: string[] = [], overrides: Partial<MobileDevicePort> = {}) {
  const writes: string[] = [];
  const port: MobileDevicePort = {
    partnerships: () => Promise.resolve([{ deviceId: 'ANDROIDROGUE', name: 'SM-G991B', accessState: 'Allowed' }]),
    blockedIds: () => Promise.resolve([...blocked]),
    block: (_mailbox, id) => {
      writes.push(`block=${id}`);
      blocked.push(id);
      return Promise.resolve({ requestId: null });
    },
    unblock: (_mailbox, id) => {
      writes.push(`unblock=${id}`);
      blocked.splice(blocked.indexOf(id), 1);
      return Promise.resolve({ requestId: null });
    },
    ...overrides,
  };
  return { port, writes, blocked };
}

const reasons = (results: StepResult[]): string[] =>
  results.map((r) => `${r.ok ? 'ok' : 'failed'}:${r.reasons.join('+')}`);

describe('approvals/undo guards: the before-state', () => {
  it('a restore whose before-state is missing, garbled, of another user or not re-creatable is refused; nothing is written', async () => {
    const p = fakePersistence();
    const d = fakeDelegates();
    await p.port.deleteGrant('g1');
    p.assignments.splice(0);
    const out = await exec(
      [
        restoreStep('restore-grant'),
        restoreStep('restore-grant', { ...GRANT_BEFORE, principalId: 'u2' }),
        restoreStep('restore-app-role', { ...ROLE_BEFORE, principalId: 'u2' }),
        restoreStep('restore-method', { kind: 'method', odataType: AUTHENTICATOR.odataType, createdDateTime: null }),
        restoreStep('restore-method', { ...PHONE_BEFORE, phoneNumber: '+40 72XXXXXX01' }),
        restoreStep('restore-delegate', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'Owner' }),
        restoreStep('restore-grant', {
          kind: 'device',
          accountEnabled: true,
          deviceId: 'dev-1',
          operatingSystem: null,
        }),
      ],
      fakeTenant().tenant,
      { persistence: p.port, delegates: d.port },
    );
    assert.deepEqual(
      out.results.map((r) => [r.ok, r.reasons, r.requestIds]),
      Array.from({ length: 7 }, () => [false, ['item-changed'], []]),
    );
    assert.deepEqual(p.writes, ['delete-grant=g1'], 'only the setup wrote');
    assert.deepEqual(d.writes, []);
  });

  it('without the port the restore needs: a Graph undo is refused as item-changed, a delegate undo as exchange-not-enabled', async () => {
    const out = await exec([
      restoreStep('restore-grant', GRANT_BEFORE),
      restoreStep('restore-delegate', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' }),
    ]);
    assert.deepEqual(reasons(out.results), ['failed:item-changed', 'failed:exchange-not-enabled']);
  });

  it('restorableMethod: only an intact phone number (with or without extension) or email address', () => {
    const phone = (phoneNumber: string | null, phoneType: string | null = 'mobile') =>
      restorableMethod({ kind: 'method', odataType: PHONE_TYPE, createdDateTime: null, phoneNumber, phoneType });
    assert.equal(phone('+1 5555551234x123'), 'phone', 'an extension of several digits');
    assert.equal(phone('+44 2071234567'), 'phone');
    for (const garbled of ['+1 55555512XX', 'tel:+1 5555551234', '+1 5555551234xA', '5555551234', '', null])
      assert.equal(phone(garbled), null, String(garbled));
    assert.equal(phone('+1 5555551234', null), null, 'no slot to put it in');
    assert.equal(
      restorableMethod({ kind: 'method', odataType: EMAIL_TYPE, createdDateTime: null, emailAddress: 'a@b.example' }),
      'email',
    );
    assert.equal(restorableMethod({ kind: 'method', odataType: EMAIL_TYPE, createdDateTime: null }), null);
    assert.equal(
      restorableMethod({
        kind: 'method',
        odataType: `${EMAIL_TYPE}Configuration`,
        createdDateTime: null,
        emailAddress: 'a@b.example',
      }),
      null,
    );
    assert.equal(
      restorableMethod({ kind: 'method', odataType: PHONE_TYPE, createdDateTime: null, emailAddress: 'a@b.example' }),
      null,
      'a phone type carrying only an address',
    );
  });
});

describe('approvals/undo guards: what the tenant shows now', () => {
  it('an item already back writes nothing (ok, already-in-state); a dry run writes nothing either', async () => {
    const t = fakeTenant();
    t.methods.push(
      { ...AUTHENTICATOR },
      { id: 'ph', typeSegment: 'phoneMethods', ...PHONE_BEFORE, phoneNumber: '+40 7215 55501' },
    );
    const p = fakePersistence({}, t.methods);
    const d = fakeDelegates();
    const steps = [
      restoreStep('restore-grant', { ...GRANT_BEFORE, scope: ' Mail.ReadWrite  offline_access ' }),
      restoreStep('restore-app-role', ROLE_BEFORE),
      restoreStep('restore-method', PHONE_BEFORE),
      restoreStep('restore-delegate', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' }),
    ];
    const out = await exec(steps, t.tenant, { persistence: p.port, delegates: d.port });
    assert.deepEqual(
      out.results.map((r) => [r.ok, r.reasons, r.requestIds]),
      Array.from({ length: 4 }, () => [true, ['already-in-state'], []]),
    );
    // Gone again, but a dry run: it says what it would do and writes nothing.
    await p.port.deleteGrant('g1');
    const dry = await exec([steps[0] as PlannedStep], t.tenant, { persistence: p.port }, true);
    assert.deepEqual(reasons(dry.results), ['ok:dry-run']);
    assert.deepEqual(p.writes, ['delete-grant=g1']);
    assert.deepEqual(d.writes, []);
  });

  it('a grant of that app and API with other scopes, or a phone slot or email holding another value, is not overwritten', async () => {
    const t = fakeTenant();
    t.methods.push(
      { ...AUTHENTICATOR },
      { id: 'ph', typeSegment: 'phoneMethods', ...PHONE_BEFORE, phoneNumber: '+1 5550100' },
      {
        id: 'em',
        typeSegment: 'emailMethods',
        odataType: EMAIL_TYPE,
        createdDateTime: null,
        emailAddress: 'new@x.example',
      },
    );
    const p = fakePersistence({}, t.methods);
    const g1 = p.grants.get('g1');
    assert.ok(g1);
    // One scope kept, the other replaced by a different one whose letters cover it.
    p.grants.set('g1', { ...g1, scope: 'Mail.Read Tasks.ReadWrite offline_access' });
    const out = await exec(
      [
        restoreStep('restore-grant', GRANT_BEFORE),
        restoreStep('restore-method', PHONE_BEFORE),
        restoreStep('restore-method', {
          kind: 'method',
          odataType: EMAIL_TYPE,
          createdDateTime: null,
          emailAddress: 'old@x.example',
        }),
      ],
      t.tenant,
      { persistence: p.port },
    );
    assert.deepEqual(
      out.results.map((r) => [r.ok, r.reasons, r.requestIds]),
      Array.from({ length: 3 }, () => [false, ['item-changed'], []]),
    );
    assert.deepEqual(p.writes, []);
  });

  it('neighbours do not count as the item: another API of the app, another role of the API, another phone slot', async () => {
    const t = fakeTenant();
    t.methods.push(
      { ...AUTHENTICATOR },
      { id: 'office', typeSegment: 'phoneMethods', ...PHONE_BEFORE, phoneType: 'office', phoneNumber: '+40 211234567' },
    );
    const p = fakePersistence({}, t.methods);
    await p.port.deleteGrant('g1');
    p.grants.set('g-api', {
      id: 'g-api',
      clientId: 'sp-backup',
      consentType: 'Principal',
      principalId: 'u1',
      resourceId: 'sp-other',
      scope: 'Mail.ReadWrite offline_access',
    });
    p.assignments.splice(0, 1, {
      id: 'ara-other',
      principalId: 'u1',
      resourceId: 'sp-backup',
      appRoleId: 'role-2',
      resourceDisplayName: null,
    });
    const out = await exec(
      [
        restoreStep('restore-grant', GRANT_BEFORE),
        restoreStep('restore-app-role', ROLE_BEFORE),
        restoreStep('restore-method', PHONE_BEFORE),
      ],
      t.tenant,
      { persistence: p.port },
    );
    assert.deepEqual(reasons(out.results), ['ok:applied+verified', 'ok:applied+verified', 'ok:applied+verified']);
    assert.deepEqual(p.writes, [
      'delete-grant=g1',
      'create-grant=sp-backup:Mail.ReadWrite offline_access',
      'create-assignment=sp-backup:role-1',
      'create-phone=mobile:+40 721555501',
    ]);
  });

  it('a removed email method is registered again from its before-state, once, read back', async () => {
    const t = fakeTenant();
    t.methods.push(
      { ...AUTHENTICATOR },
      {
        id: 'em',
        typeSegment: 'emailMethods',
        odataType: EMAIL_TYPE,
        createdDateTime: null,
        emailAddress: 'Old@X.example',
      },
    );
    const p = fakePersistence({}, t.methods);
    const removal = await exec([{ kind: 'remove-method', methodId: 'em', methodType: 'emailMethods' }], t.tenant, {
      persistence: p.port,
    });
    assert.deepEqual(removal.results[0]?.before?.item, {
      kind: 'method',
      odataType: EMAIL_TYPE,
      createdDateTime: null,
      emailAddress: 'Old@X.example',
    });
    const done = record(
      removal.results.map((r) => r.step),
      {
        id: 'rm-1',
        state: 'done',
        execution: { startedAt: STARTED, results: removal.results },
      },
    );
    const planned = await planSteps(
      t.tenant,
      TARGET,
      { action: 'restore-method', target: 'u1', itemId: 'em', fromRequest: 'rm-1' },
      { persistence: p.port, history: { get: (id) => Promise.resolve(id === 'rm-1' ? done : null) } },
    );
    assert.deepEqual(planned, {
      kind: 'ready',
      target: TARGET,
      warnings: [],
      steps: [
        {
          kind: 'restore-method',
          restore: removal.results[0]?.before?.item,
          undoOf: 'rm-1',
          methodId: 'em',
          methodType: 'emailMethods',
        },
      ],
    });
    const back = await exec(planned.kind === 'ready' ? planned.steps : [], t.tenant, { persistence: p.port });
    assert.deepEqual(reasons(back.results), ['ok:applied+verified']);
    const again = await exec(planned.kind === 'ready' ? planned.steps : [], t.tenant, { persistence: p.port });
    assert.deepEqual(reasons(again.results), ['ok:already-in-state']);
    assert.deepEqual(p.writes, ['create-email=Old@X.example']);
    // Undone by reading: the address is back (letter case as Graph may give it).
    const judged = await reconcile(record(planned.kind === 'ready' ? planned.steps : []), t.tenant, {
      persistence: p.port,
    });
    assert.deepEqual(reasons(judged), ['ok:reconciled-applied']);
  });
});

describe('approvals/undo guards: the read-back', () => {
  it('a create or block acknowledged but not shown on reading back is reported not-verified (the step fails)', async () => {
    const t = fakeTenant();
    const p = fakePersistence({
      createGrant: () => Promise.resolve({ requestId: 'req-ack' }),
      setDeviceEnabled: () => Promise.resolve({ requestId: 'req-ack' }),
    });
    await p.port.deleteGrant('g1');
    const off = fakePersistence();
    await off.port.setDeviceEnabled('d1', false);
    const m = fakeMobile([], { block: () => Promise.resolve({ requestId: null }) });
    const out = await exec(
      [restoreStep('restore-grant', GRANT_BEFORE), stepForItem(DEVICE), stepForItem(ROGUE)],
      t.tenant,
      {
        persistence: p.port,
        mobileDevices: m.port,
      },
    );
    assert.deepEqual(reasons(out.results), [
      'failed:applied+not-verified',
      'failed:applied+not-verified',
      'failed:applied+not-verified',
    ]);
    assert.equal(out.state, 'failed');
    // The undo of disable-device: the device stays off although Graph answered 204.
    const enable = await exec([{ kind: 'enable-device', item: DEVICE }], t.tenant, {
      persistence: fakePersistence({
        getDevice: (id) => off.port.getDevice(id),
        listUserDevices: (u) => off.port.listUserDevices(u),
        setDeviceEnabled: () => Promise.resolve({ requestId: 'req-ack' }),
      }).port,
    });
    assert.deepEqual(reasons(enable.results), ['failed:applied+not-verified']);
  });

  it('a device deleted right after the write is not verified (no crash on the missing device)', async () => {
    const base = fakePersistence();
    const p = fakePersistence({
      setDeviceEnabled: async (id, enabled) => {
        const receipt = await base.port.setDeviceEnabled(id, enabled);
        base.devices.delete(id);
        return receipt;
      },
      getDevice: (id) => base.port.getDevice(id),
      listUserDevices: (u) => base.port.listUserDevices(u),
    });
    const out = await exec([stepForItem(DEVICE)], fakeTenant().tenant, { persistence: p.port });
    assert.deepEqual(reasons(out.results), ['failed:applied+not-verified']);
  });
});

describe('approvals/undo guards: enable-device and unblock-mobile-device', () => {
  it('enable-device only for a device of this user that is there; without Graph persistence or a device item, item-changed', async () => {
    const base = fakePersistence();
    // Graph lists only the target's own devices: asked for anyone else, nothing.
    const p = fakePersistence(
      { listUserDevices: (u) => (u === 'u1' ? base.port.listUserDevices(u) : Promise.resolve([])) },
      [],
    );
    await p.port.setDeviceEnabled('d1', false);
    const enable: PlannedStep = { kind: 'enable-device', item: DEVICE };
    const out = await exec(
      [
        enable,
        { kind: 'enable-device', item: GRANT },
        { kind: 'enable-device', item: { kind: 'device', id: 'gone', name: 'gone' } },
        { kind: 'enable-device' },
      ],
      fakeTenant().tenant,
      { persistence: p.port },
    );
    assert.deepEqual(reasons(out.results), [
      'ok:applied+verified',
      'failed:item-changed',
      'ok:item-missing+already-in-state',
      'failed:item-changed',
    ]);
    assert.deepEqual(
      out.results.map((r) => r.requestIds),
      [['req-device'], [], [], []],
    );
    assert.deepEqual(p.writes, ['device=d1:false', 'device=d1:true']);
    const noGraph = await exec([enable]);
    assert.deepEqual(reasons(noGraph.results), ['failed:item-changed']);
    const judged = await reconcile(record([enable]), fakeTenant().tenant, { persistence: p.port });
    assert.deepEqual(reasons(judged), ['ok:reconciled-applied']);
    await p.port.setDeviceEnabled('d1', false);
    const notYet = await reconcile(
      record([
        enable,
        { kind: 'enable-device' },
        { kind: 'enable-device', item: { kind: 'device', id: 'gone', name: 'gone' } },
      ]),
      fakeTenant().tenant,
      { persistence: p.port },
    );
    assert.deepEqual(
      reasons(notYet),
      Array.from({ length: 3 }, () => 'failed:reconciled-not-applied'),
    );
    const noGraphJudged = await reconcile(record([enable]), fakeTenant().tenant, {});
    assert.deepEqual(reasons(noGraphJudged), ['failed:reconciled-not-applied']);
  });

  it('plans enable-device and unblock-mobile-device as their own step kinds (not the removal)', async () => {
    const t = fakeTenant();
    const p = fakePersistence();
    const enable = await planSteps(
      t.tenant,
      TARGET,
      { action: 'enable-device', target: 'u1', itemId: 'D1' },
      { persistence: p.port },
    );
    assert.deepEqual(enable, {
      kind: 'ready',
      target: TARGET,
      warnings: [],
      steps: [{ kind: 'enable-device', item: DEVICE }],
    });
    // A partnership Exchange no longer lists, still blocked on the mailbox: the undo names it by its id.
    const m = fakeMobile(['OLDPHONE']);
    const unblock = await planSteps(
      t.tenant,
      TARGET,
      { action: 'unblock-mobile-device', target: 'u1', itemId: 'oldphone' },
      { mobileDevices: m.port },
    );
    assert.deepEqual(unblock, {
      kind: 'ready',
      target: TARGET,
      warnings: [],
      steps: [
        { kind: 'unblock-mobile-device', item: { kind: 'mobile-device', deviceId: 'OLDPHONE', name: 'OLDPHONE' } },
      ],
    });
    const listed = await planSteps(
      t.tenant,
      TARGET,
      { action: 'unblock-mobile-device', target: 'u1', itemId: 'androidrogue' },
      { mobileDevices: fakeMobile(['ANDROIDROGUE']).port },
    );
    assert.deepEqual(listed.kind === 'ready' ? listed.steps : null, [{ kind: 'unblock-mobile-device', item: ROGUE }]);
    // Blocking needs a listed partnership: an id only on the blocked list is not one.
    const block = await planSteps(
      t.tenant,
      TARGET,
      { action: 'block-mobile-device', target: 'u1', itemId: 'oldphone' },
      { mobileDevices: m.port },
    );
    assert.equal(block.kind, 'item-not-found');
  });

  it('unblock-mobile-device: an unlisted partnership is unblocked; without Exchange or a mobile item it is refused', async () => {
    const m = fakeMobile(['OTHER', 'OLDPHONE']);
    const old: PersistenceItem = { kind: 'mobile-device', deviceId: 'OLDPHONE', name: 'OLDPHONE' };
    const out = await exec(
      [
        { kind: 'unblock-mobile-device', item: old },
        { kind: 'unblock-mobile-device', item: DEVICE },
        { kind: 'unblock-mobile-device' },
      ],
      fakeTenant().tenant,
      { mobileDevices: m.port },
    );
    assert.deepEqual(reasons(out.results), ['ok:applied+verified', 'failed:item-changed', 'failed:item-changed']);
    assert.deepEqual(
      out.results.map((r) => r.requestIds),
      [[], [], []],
    );
    assert.deepEqual(out.results[0]?.before?.item, {
      kind: 'mobile-device',
      deviceId: 'OLDPHONE',
      blocked: true,
      accessState: null,
    });
    assert.deepEqual(m.blocked, ['OTHER']);
    const noExchange = await exec([
      { kind: 'unblock-mobile-device', item: old },
      restoreStep('restore-delegate', { kind: 'delegate', delegate: 'a@evil.example', right: 'SendAs' }),
    ]);
    assert.deepEqual(
      noExchange.results.map((r) => [r.ok, r.reasons, r.requestIds]),
      [
        [false, ['exchange-not-enabled'], []],
        [false, ['exchange-not-enabled'], []],
      ],
    );
  });

  it('another device already blocked does not make this one blocked', async () => {
    const m = fakeMobile(['IPHONEOWN']);
    const out = await exec([stepForItem(ROGUE)], fakeTenant().tenant, { mobileDevices: m.port });
    assert.deepEqual(reasons(out.results), ['ok:applied+verified']);
    assert.deepEqual(m.writes, ['block=ANDROIDROGUE']);
  });
});

describe('approvals/undo guards: reconcile reads every undo kind', () => {
  it('restore-grant, -app-role, -method, -delegate: applied when the item is there, else not; no port or before-state, not', async () => {
    const t = fakeTenant();
    t.methods.push({ ...AUTHENTICATOR });
    const p = fakePersistence({}, t.methods);
    const d = fakeDelegates();
    const steps = [
      restoreStep('restore-grant', GRANT_BEFORE),
      restoreStep('restore-app-role', ROLE_BEFORE),
      restoreStep('restore-method', PHONE_BEFORE),
      restoreStep('restore-delegate', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'SendAs' }),
    ];
    const ports = { persistence: p.port, delegates: d.port };
    // The grant, role and delegate right are there; the phone is not.
    assert.deepEqual(reasons(await reconcile(record(steps), t.tenant, ports)), [
      'ok:reconciled-applied',
      'ok:reconciled-applied',
      'failed:reconciled-not-applied',
      'ok:reconciled-applied',
    ]);
    await p.port.deleteGrant('g1');
    p.assignments.splice(0);
    await d.port.remove('u1@example.com', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'SendAs' });
    await p.port.createPhoneMethod('u1', { phoneNumber: '+40 721555501', phoneType: 'mobile' });
    assert.deepEqual(reasons(await reconcile(record(steps), t.tenant, ports)), [
      'failed:reconciled-not-applied',
      'failed:reconciled-not-applied',
      'ok:reconciled-applied',
      'failed:reconciled-not-applied',
    ]);
    await d.port.restore('u1@example.com', { kind: 'delegate', delegate: 'attacker@evil.example', right: 'SendAs' });
    const noPorts = await reconcile(record([...steps, restoreStep('restore-grant')]), t.tenant, {});
    assert.deepEqual(
      reasons(noPorts),
      Array.from({ length: 5 }, () => 'failed:reconciled-not-applied'),
    );
  });

  it('unblock-mobile-device: applied when the id is off the list (other ids may stay), not without Exchange', async () => {
    const step: PlannedStep = { kind: 'unblock-mobile-device', item: ROGUE };
    const off = await reconcile(record([step]), fakeTenant().tenant, { mobileDevices: fakeMobile(['OTHER']).port });
    assert.deepEqual(reasons(off), ['ok:reconciled-applied']);
    const on = await reconcile(record([step, { kind: 'unblock-mobile-device' }]), fakeTenant().tenant, {
      mobileDevices: fakeMobile(['androidrogue', 'OTHER']).port,
    });
    assert.deepEqual(reasons(on), ['failed:reconciled-not-applied', 'failed:reconciled-not-applied']);
    const none = await reconcile(record([step]), fakeTenant().tenant, {});
    assert.deepEqual(reasons(none), ['failed:reconciled-not-applied']);
    const wrong = await reconcile(record([{ kind: 'unblock-mobile-device', item: DEVICE }]), fakeTenant().tenant, {
      mobileDevices: fakeMobile([]).port,
    });
    assert.deepEqual(reasons(wrong), ['failed:reconciled-not-applied']);
  });
});

describe('approvals/undo guards: planning from the finished request', () => {
  const removedGrant = (result: Partial<StepResult>): ApprovalRecord =>
    record([stepForItem(GRANT)], {
      id: 'contain-1',
      state: 'done',
      execution: {
        startedAt: STARTED,
        results: [{ step: stepForItem(GRANT), ok: true, reasons: ['applied', 'verified'], requestIds: [], ...result }],
      },
    });
  const plan = (found: ApprovalRecord | null, history = true) =>
    planSteps(
      fakeTenant().tenant,
      TARGET,
      { action: 'restore-grant', target: 'u1', itemId: 'g1', fromRequest: 'contain-1' },
      history ? { history: { get: () => Promise.resolve(found) } } : {},
    );

  it('the undo needs a finished removal with its before-state: pending, unverified, before-less or no store is refused', async () => {
    const intact = removedGrant({ before: { item: GRANT_BEFORE } });
    assert.deepEqual(await plan(intact), {
      kind: 'ready',
      target: TARGET,
      warnings: [],
      steps: [{ kind: 'restore-grant', restore: GRANT_BEFORE, undoOf: 'contain-1', item: GRANT }],
    });
    const pending = record([stepForItem(GRANT)], { id: 'contain-1', state: 'approved' });
    delete (pending as { execution?: unknown }).execution;
    assert.equal((await plan(pending)).kind, 'undo-not-found', 'nothing executed yet');
    assert.equal((await plan(removedGrant({}))).kind, 'undo-not-found', 'no before-state kept');
    assert.equal(
      (await plan(removedGrant({ ok: false, reasons: ['applied', 'not-verified'], before: { item: GRANT_BEFORE } })))
        .kind,
      'undo-not-found',
      'the removal did not verify',
    );
    assert.equal((await plan(intact, false)).kind, 'undo-not-found', 'no request history to read');
  });
});
