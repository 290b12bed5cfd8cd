import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import type { MethodView } from '../../../../services/approvals/ports';
import type { ApprovalRecord, PlannedStep, StepResult } from '../../../../services/approvals/types';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import { ManualClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, recordingSecrets, STARTED, type Target } from './fakes';

// Each step kind of an approved request (services/approvals/steps.ts): what is written, what is read back, and
// what the result says — the card and the audit trail are made from these results.
async function run(
  step: PlannedStep,
  options: {
    state?: Partial<Target>;
    methods?: MethodView[];
    rule?: boolean | null;
    record?: Partial<ApprovalRecord>;
    sessionsMove?: boolean;
    secrets?: ReturnType<typeof recordingSecrets>;
  } = {},
): Promise<{ result: StepResult | undefined; writes: string[] }> {
  const base = fakeTenant({}, options.state);
  base.methods.push(...(options.methods ?? []));
  const tenant = {
    ...base.tenant,
    getRule: (user: string, id: string) =>
      options.rule === undefined
        ? base.tenant.getRule(user, id)
        : Promise.resolve(
            options.rule === null || id !== 'r1'
              ? null
              : messageRuleSchema.parse({ id: 'r1', displayName: 'fwd', isEnabled: options.rule, actions: {} }),
          ),
    ...(options.sessionsMove === false
      ? { revokeSessions: () => Promise.resolve(void base.writes.push('revoke')).then(() => ({ requestId: 'req-r' })) }
      : {}),
  };
  const out = await executeRequest(
    record([step], options.record),
    { tenant, secrets: options.secrets ?? noSecrets, policy, clock: new ManualClock(STARTED) },
    noHooks,
  );
  return { result: out.results[0], writes: base.writes };
}

const phone: MethodView = {
  id: 'm1',
  typeSegment: 'phoneMethods',
  odataType: '#microsoft.graph.phoneAuthenticationMethod',
  createdDateTime: null,
};
const tap: MethodView = {
  id: 't1',
  typeSegment: 'temporaryAccessPassMethods',
  odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  createdDateTime: null,
};

describe('approvals/steps: each step kind', () => {
  it('revoke: written and verified by the moved sessionsValidFrom; the before-state is kept', async () => {
    const { result, writes } = await run({ kind: 'revoke' });
    assert.deepEqual(writes, ['revoke']);
    assert.deepEqual(result?.reasons, ['applied', 'verified']);
    assert.equal(result?.ok, true);
    assert.deepEqual(result?.requestIds, ['req-revoke']);
    assert.deepEqual(result?.before, { sessionsValidFrom: '2026-11-01T00:00:00Z' });
  });

  it('revoke: a write Graph accepted whose effect cannot be read back is not-verified, not ok', async () => {
    const { result } = await run({ kind: 'revoke' }, { sessionsMove: false });
    assert.deepEqual([result?.ok, result?.reasons], [false, ['applied', 'not-verified']]);
  });

  it('enable: a disabled account is enabled; an enabled one is left alone (already-in-state, no write)', async () => {
    const on = await run({ kind: 'enable' }, { state: { accountEnabled: false } });
    assert.deepEqual(on.writes, ['enabled=true']);
    assert.deepEqual([on.result?.ok, on.result?.reasons], [true, ['applied', 'verified']]);
    assert.deepEqual(on.result?.before, { accountEnabled: false });
    const already = await run({ kind: 'enable' }, { state: { accountEnabled: true } });
    assert.deepEqual(already.writes, []);
    assert.deepEqual(already.result, {
      step: { kind: 'enable' },
      ok: true,
      reasons: ['already-in-state'],
      requestIds: [],
      before: { accountEnabled: true },
    });
  });

  it('remove-method: deletes that method and reads it gone; a method already gone is not written', async () => {
    const step: PlannedStep = { kind: 'remove-method', methodId: 'm1', methodType: 'phoneMethods' };
    const removed = await run(step, { methods: [phone] });
    assert.deepEqual(removed.writes, ['delete=m1']);
    assert.deepEqual([removed.result?.ok, removed.result?.reasons], [true, ['applied', 'verified']]);
    const gone = await run(step, { methods: [{ ...phone, id: 'm2' }] });
    assert.deepEqual(gone.writes, []);
    assert.deepEqual(gone.result, { step, ok: true, reasons: ['method-missing', 'already-in-state'], requestIds: [] });
    const dry = await run(step, { methods: [phone], record: { dryRun: true } });
    assert.deepEqual(dry.writes, []);
    assert.deepEqual(dry.result?.reasons, ['dry-run']);
  });

  it('disable-rule: an enabled rule is disabled; a disabled one is left; a vanished rule is rule-missing (not ok)', async () => {
    const step: PlannedStep = { kind: 'disable-rule', ruleId: 'r1' };
    const off = await run(step, { rule: true });
    assert.deepEqual(off.writes, ['rule=false']);
    assert.deepEqual(off.result?.before, { ruleEnabled: true });
    const already = await run(step, { rule: false });
    assert.deepEqual(already.writes, []);
    assert.deepEqual(already.result, {
      step,
      ok: true,
      reasons: ['already-in-state'],
      requestIds: [],
      before: { ruleEnabled: false },
    });
    const missing = await run(step, { rule: null });
    assert.deepEqual(missing.writes, []);
    assert.deepEqual(missing.result, { step, ok: false, reasons: ['rule-missing'], requestIds: [] });
    const dry = await run(step, { rule: true, record: { dryRun: true } });
    assert.deepEqual(dry.writes, []);
    assert.deepEqual(dry.result, {
      step,
      ok: true,
      reasons: ['dry-run'],
      requestIds: [],
      before: { ruleEnabled: true },
    });
  });

  it('tap: a user who already has a TAP gets none (tap-exists, not ok, no write); otherwise one TAP, delivered', async () => {
    const secrets = recordingSecrets();
    const exists = await run({ kind: 'tap' }, { methods: [tap], secrets });
    assert.deepEqual(exists.writes, []);
    assert.deepEqual(exists.result, { step: { kind: 'tap' }, ok: false, reasons: ['tap-exists'], requestIds: [] });
    assert.equal(secrets.sent.length, 0);
    const created = await run({ kind: 'tap' }, { methods: [phone], secrets });
    assert.deepEqual(created.writes, ['tap']);
    assert.deepEqual(
      [created.result?.ok, created.result?.reasons, created.result?.requestIds],
      [true, ['applied', 'delivered'], ['req-tap']],
    );
    assert.deepEqual(
      secrets.sent.map((m) => [m.kind, m.targetUpn]),
      [['tap', 'u1@example.com']],
    );
  });

  it('dry runs write nothing for revoke, disable, reset-password and tap', async () => {
    for (const step of [
      { kind: 'revoke' },
      { kind: 'disable' },
      { kind: 'reset-password' },
      { kind: 'tap' },
    ] as const) {
      const { result, writes } = await run(step, { record: { dryRun: true }, secrets: recordingSecrets() });
      assert.deepEqual(writes, [], step.kind);
      assert.deepEqual([result?.ok, result?.reasons], [true, ['dry-run']], step.kind);
    }
  });
});
