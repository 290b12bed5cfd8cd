import assert from 'node:assert/strict';
import { approvalRequestCard } from '../../../../cards/approval-request.card';
import { executeRequest } from '../../../../services/approvals/executor';
import { planSteps, stepForItem } from '../../../../services/approvals/plan';
import type { MethodView } from '../../../../services/approvals/ports';
import { reconcile } from '../../../../services/approvals/reconcile';
import { restorableMethod } from '../../../../services/approvals/restore-steps';
import type { ApprovalRecord, PlannedStep, TargetView } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import type { PersistenceItem } from '../../../../services/identity/persistence';
import { ManualClock, SkippingClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, STARTED } from './fakes';
import { fakeDelegates, fakePersistence, FLAGGED, GRANT_BEFORE } from './persistence-fakes';

const TARGET: TargetView = record([]).target;
const PHONE_TYPE = '#microsoft.graph.phoneAuthenticationMethod';
const GRANT = FLAGGED[0] as PersistenceItem;
const ASSIGNMENT = FLAGGED[1] as PersistenceItem;
const PHONE: PersistenceItem = {
  kind: 'method',
  id: 'phone-mobile',
  methodType: 'phoneMethods',
  label: '+40 721555501',
};
const METHODS: MethodView[] = [
  {
    id: 'm-old',
    typeSegment: 'microsoftAuthenticatorMethods',
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    createdDateTime: '2025-01-01T00:00:00Z',
  },
  {
    id: 'phone-mobile',
    typeSegment: 'phoneMethods',
    odataType: '#microsoft.graph.phoneAuthenticationMethod',
    createdDateTime: null,
    phoneNumber: '+40 721555501',
    phoneType: 'mobile',
  },
];

function setup() {
  const t = fakeTenant();
  t.methods.push(...METHODS.map((m) => ({ ...m })));
  const p = fakePersistence({}, t.methods);
  const history = new Map<string, ApprovalRecord>();
  const run = async (steps: PlannedStep[], id: string, overrides: Partial<ApprovalRecord> = {}) => {
    const out = await executeRequest(
      record(steps, { id, ...overrides }),
      { tenant: t.tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), persistence: p.port },
      noHooks,
    );
    const done = record(steps, {
      id,
      ...overrides,
      state: 'done',
      execution: { startedAt: STARTED, finishedAt: STARTED, results: out.results },
    });
    history.set(id, done);
    return done;
  };
  const plan = (action: 'restore-grant' | 'restore-app-role' | 'restore-method', from: string, itemId: string) =>
    planSteps(
      t.tenant,
      TARGET,
      { action, target: 'u1', itemId, fromRequest: from },
      { persistence: p.port, history: { get: (id) => Promise.resolve(history.get(id) ?? null) } },
    );
  return { t, p, run, plan };
}

describe('approvals/undo: restore-grant, restore-app-role, restore-method', () => {
  it('restore-grant re-creates the revoked grant from the removing request before-state, once, read back', async () => {
    const { p, run, plan } = setup();
    await run([stepForItem(GRANT)], 'contain-1');
    assert.ok(!(await p.port.listUserGrants('u1')).some((g) => g.clientId === 'sp-backup'), 'revoked');
    const planned = await plan('restore-grant', 'contain-1', 'g1');
    assert.equal(planned.kind, 'ready');
    if (planned.kind !== 'ready') return;
    const [step] = planned.steps;
    assert.equal(step?.kind, 'restore-grant');
    assert.equal(step?.undoOf, 'contain-1');
    assert.deepEqual(step?.restore, {
      kind: 'grant',
      clientId: 'sp-backup',
      consentType: 'Principal',
      principalId: 'u1',
      resourceId: 'sp-graph',
      scope: 'Mail.ReadWrite offline_access',
    });
    const undo = await run(planned.steps, 'undo-1');
    assert.deepEqual(undo.execution?.results[0]?.reasons, ['applied', 'verified']);
    const back = (await p.port.listUserGrants('u1')).filter((g) => g.clientId === 'sp-backup');
    assert.deepEqual(
      back.map((g) => [g.resourceId, g.scope, g.consentType]),
      [['sp-graph', 'Mail.ReadWrite offline_access', 'Principal']],
    );
    // Undoing again finds the grant there: nothing is written.
    const again = await run(planned.steps, 'undo-2');
    assert.deepEqual(again.execution?.results[0]?.reasons, ['already-in-state']);
    assert.deepEqual(p.writes, ['delete-grant=g1', 'create-grant=sp-backup:Mail.ReadWrite offline_access']);
  });

  it('restore-app-role assigns the same app role again; restore-method registers the same phone number again', async () => {
    const { p, t, run, plan } = setup();
    await run([stepForItem(ASSIGNMENT), stepForItem(PHONE)], 'contain-1');
    assert.equal(p.assignments.length, 0);
    assert.ok(!t.methods.some((m) => m.typeSegment === 'phoneMethods'));
    const role = await plan('restore-app-role', 'contain-1', 'ara1');
    const phone = await plan('restore-method', 'contain-1', 'phone-mobile');
    assert.ok(role.kind === 'ready' && phone.kind === 'ready');
    const out = await run([...role.steps, ...phone.steps], 'undo-1');
    assert.deepEqual(
      out.execution?.results.map((r) => r.reasons.join('+')),
      ['applied+verified', 'applied+verified'],
    );
    assert.deepEqual(
      p.assignments.map((a) => [a.principalId, a.resourceId, a.appRoleId]),
      [['u1', 'sp-backup', 'role-1']],
    );
    const phoneBack = t.methods.find((m) => m.typeSegment === 'phoneMethods');
    assert.equal(phoneBack?.phoneNumber, '+40 721555501');
    assert.equal(phoneBack?.phoneType, 'mobile');
  });

  it('refuses an undo the named request does not back: other request, other user, dry run, not removed, authenticator', async () => {
    const { run, plan } = setup();
    await run([stepForItem(GRANT)], 'contain-1');
    await run([stepForItem(ASSIGNMENT)], 'dry', { dryRun: true });
    await run([{ kind: 'remove-method', methodId: 'm-old', methodType: 'microsoftAuthenticatorMethods' }], 'auth');
    assert.equal((await plan('restore-grant', 'nope', 'g1')).kind, 'undo-not-found');
    assert.equal((await plan('restore-grant', 'contain-1', 'g-other')).kind, 'undo-not-found');
    assert.equal((await plan('restore-app-role', 'contain-1', 'g1')).kind, 'undo-not-found', 'a grant is no role');
    assert.equal((await plan('restore-app-role', 'dry', 'ara1')).kind, 'undo-not-found', 'a dry run removed nothing');
    assert.equal((await plan('restore-method', 'auth', 'm-old')).kind, 'undo-not-found', 'Graph cannot re-create it');
    assert.equal(
      restorableMethod({
        kind: 'method',
        odataType: PHONE_TYPE,
        createdDateTime: null,
        phoneNumber: '+1 55XXXXXX34',
        phoneType: 'mobile',
      }),
      null,
      'a masked number',
    );
    assert.equal(
      restorableMethod({
        kind: 'method',
        odataType: PHONE_TYPE,
        createdDateTime: null,
        phoneNumber: '+1 5555551234',
        phoneType: 'mobile',
      }),
      'phone',
    );
    const other = await planSteps(
      fakeTenant().tenant,
      { ...TARGET, id: 'u2' },
      { action: 'restore-grant', target: 'u2', itemId: 'g1', fromRequest: 'contain-1' },
      { history: { get: () => Promise.resolve(null) } },
    );
    assert.equal(other.kind, 'undo-not-found');
  });

  it('a phone slot taken by another number meanwhile is not overwritten (item-changed, no write)', async () => {
    const { p, t, run, plan } = setup();
    await run([stepForItem(PHONE)], 'contain-1');
    const planned = await plan('restore-method', 'contain-1', 'phone-mobile');
    assert.equal(planned.kind, 'ready');
    if (planned.kind !== 'ready') return;
    t.methods.push({
      id: 'phone-mobile',
      typeSegment: 'phoneMethods',
      odataType: '#microsoft.graph.phoneAuthenticationMethod',
      createdDateTime: null,
      phoneNumber: '+1 5550100',
      phoneType: 'mobile',
    });
    const out = await run(planned.steps, 'undo-1');
    assert.deepEqual(out.execution?.results[0]?.reasons, ['item-changed']);
    assert.ok(!p.writes.some((w) => w.startsWith('create-phone')));
  });

  it('a create whose answer is lost is confirmed by reading back, never sent twice; reconcile reads only', async () => {
    const base = fakePersistence();
    let calls = 0;
    const p = fakePersistence({
      createGrant: async (grant) => {
        calls++;
        await base.port.createGrant(grant);
        throw new CodedError('graph_outcome_unknown', 'timeout', { status: 504, requestId: 'req-lost' });
      },
      listUserGrants: (u) => base.port.listUserGrants(u),
    });
    await base.port.deleteGrant('g1');
    const step: PlannedStep = {
      kind: 'restore-grant',
      item: GRANT,
      undoOf: 'contain-1',
      restore: GRANT_BEFORE,
    };
    const t = fakeTenant();
    const out = await executeRequest(
      record([step]),
      {
        tenant: t.tenant,
        secrets: noSecrets,
        policy,
        clock: new SkippingClock(),
        persistence: p.port,
        random: () => 0,
      },
      noHooks,
    );
    assert.equal(calls, 1);
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read']);
    const judged = await reconcile(record([step]), t.tenant, { persistence: base.port });
    assert.deepEqual(judged[0]?.reasons, ['reconciled-applied']);
  });
});

describe('approvals/undo: restore-delegate', () => {
  it('gives back every right the request removed from that delegate, once each, read back; one Undo line', async () => {
    const t = fakeTenant();
    const d = fakeDelegates();
    const history = new Map<string, ApprovalRecord>();
    const deps = { tenant: t.tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), delegates: d.port };
    const removal = await planSteps(
      t.tenant,
      TARGET,
      { action: 'remove-delegate', target: 'u1', itemId: 'attacker@evil.example' },
      { delegates: d.port },
    );
    assert.ok(removal.kind === 'ready');
    assert.equal(removal.steps.length, 2, 'FullAccess and SendAs');
    const out = await executeRequest(record(removal.steps, { id: 'rd-1' }), deps, noHooks);
    const done = record(removal.steps, {
      id: 'rd-1',
      state: 'done',
      execution: { startedAt: STARTED, results: out.results },
    });
    history.set('rd-1', done);
    assert.equal(d.held.filter((h) => h.delegate === 'attacker@evil.example').length, 0);
    const card = JSON.stringify(approvalRequestCard(done, STARTED));
    assert.equal(card.split('restore-delegate u1@example.com rd-1 attacker@evil.example <justification>').length, 2);
    const sources = { delegates: d.port, history: { get: (id: string) => Promise.resolve(history.get(id) ?? null) } };
    const input = { action: 'restore-delegate' as const, target: 'u1', fromRequest: 'rd-1' };
    const undo = await planSteps(t.tenant, TARGET, { ...input, itemId: 'ATTACKER@evil.example' }, sources);
    assert.ok(undo.kind === 'ready');
    const back = await executeRequest(record(undo.steps, { id: 'undo' }), deps, noHooks);
    assert.deepEqual(
      back.results.map((r) => r.reasons.join('+')),
      ['applied+verified', 'applied+verified'],
    );
    assert.deepEqual(
      d.held.filter((h) => h.delegate === 'attacker@evil.example').map((h) => h.right),
      ['FullAccess', 'SendAs'],
    );
    const again = await executeRequest(record(undo.steps, { id: 'undo-2' }), deps, noHooks);
    assert.deepEqual(
      again.results.map((r) => r.reasons.join('+')),
      ['already-in-state', 'already-in-state'],
    );
    assert.equal(d.writes.filter((w) => w.startsWith('restore-delegate')).length, 2);
    const noExchange = await planSteps(
      t.tenant,
      TARGET,
      { ...input, itemId: 'attacker@evil.example' },
      {
        history: sources.history,
      },
    );
    assert.equal(noExchange.kind, 'exchange-not-enabled');
    const manager = await planSteps(t.tenant, TARGET, { ...input, itemId: 'manager@example.com' }, sources);
    assert.equal(manager.kind, 'undo-not-found', 'that request did not remove the manager');
  });
});

describe('approval card: Undo lines', () => {
  it('names the exact undo command for each undoable step and says what Graph cannot undo', async () => {
    const t = fakeTenant();
    t.methods.push(...METHODS.map((m) => ({ ...m })));
    const p = fakePersistence({}, t.methods);
    const secret: PersistenceItem = {
      kind: 'app-credential',
      appObjectId: 'app1',
      keyId: 'k-new',
      credential: 'password',
      app: 'Owned App',
    };
    const device: PersistenceItem = { kind: 'device', id: 'd1', name: 'DESKTOP-EVIL' };
    const steps = [GRANT, ASSIGNMENT, device, PHONE, secret].map(stepForItem);
    const out = await executeRequest(
      record(steps, { id: 'req-9' }),
      { tenant: t.tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), persistence: p.port },
      noHooks,
    );
    assert.ok(out.results.every((r) => r.ok));
    const card = JSON.stringify(
      approvalRequestCard(
        record(steps, {
          id: 'req-9',
          state: 'done',
          execution: { startedAt: STARTED, finishedAt: STARTED, results: out.results },
        }),
        STARTED,
      ),
    );
    assert.ok(card.includes('restore-grant u1@example.com req-9 g1 <justification>'), card);
    assert.ok(card.includes('restore-app-role u1@example.com req-9 ara1 <justification>'));
    assert.ok(card.includes('enable-device u1@example.com d1 <justification>'));
    assert.ok(card.includes('restore-method u1@example.com req-9 phone-mobile <justification>'));
    assert.match(card, /Step 5 cannot be undone: [^}]*\},\{[^}]*"text":"the client secret is gone/);
    const authOut = await executeRequest(
      record([{ kind: 'remove-method', methodId: 'm-old', methodType: 'microsoftAuthenticatorMethods' }], {
        id: 'req-10',
      }),
      { tenant: t.tenant, secrets: noSecrets, policy, clock: new ManualClock(STARTED), persistence: p.port },
      noHooks,
    );
    const authCard = JSON.stringify(
      approvalRequestCard(
        record(
          authOut.results.map((r) => r.step),
          {
            id: 'req-10',
            state: 'done',
            execution: { startedAt: STARTED, finishedAt: STARTED, results: authOut.results },
          },
        ),
        STARTED,
      ),
    );
    assert.match(
      authCard,
      /Step 1 cannot be undone: [^}]*\},\{[^}]*"text":"Graph cannot re-create an authenticator app/,
    );
    assert.ok(!authCard.includes('restore-method'));
  });
});
