import assert from 'node:assert/strict';
import type { MethodView, TenantPort } from '../../../../services/approvals/ports';
import { reconcile } from '../../../../services/approvals/reconcile';
import type { ApprovalRecord, PlannedStep, StepResult } from '../../../../services/approvals/types';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import { fakeTenant, record, STARTED, type Target } from './fakes';

// Settling an execution whose worker died (reliability-security.md §8 rows 23, 24): each step without a result is
// judged by reading the target, never by writing. Graph's clock may be up to a minute behind ours.
const SKEW_MS = 60_000;
const at = (ms: number): string => new Date(ms).toISOString();

const tap = (createdMs: number, id = 'tap-1'): MethodView => ({
  id,
  typeSegment: 'temporaryAccessPassMethods',
  odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  createdDateTime: at(createdMs),
});
const phone = (createdMs: number, id = 'phone-1'): MethodView => ({
  id,
  typeSegment: 'phoneMethods',
  odataType: '#microsoft.graph.phoneAuthenticationMethod',
  createdDateTime: at(createdMs),
});

/** The fake tenant with `methods` and a rule `r1` enabled or not (null: the rule is gone); counts reads and writes. */
function tenantWith(state: Partial<Target>, methods: MethodView[] = [], rule: boolean | null = true) {
  const base = fakeTenant({}, state);
  base.methods.push(...methods);
  const reads: string[] = [];
  const tenant: TenantPort = {
    ...base.tenant,
    readTarget: (id) => (reads.push(`target:${id}`), base.tenant.readTarget(id)),
    listMethods: (id) => (reads.push(`methods:${id}`), base.tenant.listMethods(id)),
    getRule: (user, id) => {
      reads.push(`rule:${user}:${id}`);
      if (rule === null || id !== 'r1') return Promise.resolve(null);
      return Promise.resolve(
        messageRuleSchema.parse({ id: 'r1', displayName: 'fwd', isEnabled: rule, actions: { forwardTo: [] } }),
      );
    },
  };
  return { tenant, writes: base.writes, reads };
}

async function judge(
  step: PlannedStep,
  state: Partial<Target>,
  options: { methods?: MethodView[]; rule?: boolean | null; record?: Partial<ApprovalRecord> } = {},
): Promise<{ result: StepResult | undefined; reads: string[] }> {
  const { tenant, writes, reads } = tenantWith(state, options.methods, options.rule);
  const results = await reconcile(record([step], options.record), tenant);
  assert.deepEqual(writes, [], 'reconcile never writes');
  assert.equal(results.length, 1);
  return { result: results[0], reads };
}

const APPLIED = { ok: true, reasons: ['reconciled-applied'], requestIds: [] };
const NOT_APPLIED = { ok: false, reasons: ['reconciled-not-applied'], requestIds: [] };
const SECRET_LOST = { ok: false, reasons: ['reconciled-applied', 'secret-lost'], requestIds: [] };

describe('approvals/reconcile: every step kind judged by reading', () => {
  it('revoke: sessions valid from within the clock skew before the start count; older ones do not', async () => {
    const step: PlannedStep = { kind: 'revoke' };
    const edge = await judge(step, { sessionsValidFrom: at(STARTED - SKEW_MS) });
    assert.deepEqual(edge.result, { step, ...APPLIED });
    const older = await judge(step, { sessionsValidFrom: at(STARTED - SKEW_MS - 1) });
    assert.deepEqual(older.result, { step, ...NOT_APPLIED });
  });

  it('revoke: a user whose sessions were never revoked (null) is not applied', async () => {
    const { result } = await judge({ kind: 'revoke' }, { sessionsValidFrom: null });
    assert.deepEqual(result?.reasons, ['reconciled-not-applied']);
  });

  it('enable: applied only when the account is enabled now', async () => {
    const step: PlannedStep = { kind: 'enable' };
    assert.deepEqual((await judge(step, { accountEnabled: true })).result, { step, ...APPLIED });
    assert.deepEqual((await judge(step, { accountEnabled: false })).result, { step, ...NOT_APPLIED });
  });

  it('disable: applied only when the account is disabled now', async () => {
    const step: PlannedStep = { kind: 'disable' };
    assert.deepEqual((await judge(step, { accountEnabled: false })).result, { step, ...APPLIED });
    assert.deepEqual((await judge(step, { accountEnabled: true })).result, { step, ...NOT_APPLIED });
  });

  it('reset-password: a change since the start is applied, but the password never reached anyone (secret lost)', async () => {
    const step: PlannedStep = { kind: 'reset-password' };
    assert.deepEqual((await judge(step, { lastPasswordChange: at(STARTED + 5) })).result, { step, ...SECRET_LOST });
    assert.deepEqual((await judge(step, { lastPasswordChange: at(STARTED - SKEW_MS - 1) })).result, {
      step,
      ...NOT_APPLIED,
    });
  });

  it('tap: a TAP created since the start is applied with its secret lost; an older TAP or another method is not', async () => {
    const step: PlannedStep = { kind: 'tap' };
    const fresh = await judge(step, {}, { methods: [phone(STARTED - 10 * SKEW_MS), tap(STARTED + 10)] });
    assert.deepEqual(fresh.result, { step, ...SECRET_LOST });
    assert.ok(fresh.reads.includes('methods:u1'));
    const old = await judge(step, {}, { methods: [tap(STARTED - SKEW_MS - 1)] });
    assert.deepEqual(old.result, { step, ...NOT_APPLIED });
    const otherKind = await judge(step, {}, { methods: [phone(STARTED + 10)] });
    assert.deepEqual(otherKind.result, { step, ...NOT_APPLIED });
    const none = await judge(step, {}, { methods: [] });
    assert.deepEqual(none.result, { step, ...NOT_APPLIED });
  });

  it('remove-method: applied when that method is gone; not while it is still listed', async () => {
    const step: PlannedStep = { kind: 'remove-method', methodId: 'phone-1', methodType: 'phoneMethods' };
    const gone = await judge(step, {}, { methods: [phone(STARTED - SKEW_MS * 10, 'phone-2')] });
    assert.deepEqual(gone.result, { step, ...APPLIED });
    const still = await judge(step, {}, { methods: [phone(STARTED - SKEW_MS * 10, 'phone-1')] });
    assert.deepEqual(still.result, { step, ...NOT_APPLIED });
  });

  it('disable-rule / enable-rule: read that rule; applied only when it is in the asked state; a vanished rule is not', async () => {
    const disable: PlannedStep = { kind: 'disable-rule', ruleId: 'r1' };
    const enable: PlannedStep = { kind: 'enable-rule', ruleId: 'r1' };
    const off = await judge(disable, {}, { rule: false });
    assert.deepEqual(off.result, { step: disable, ...APPLIED });
    assert.ok(off.reads.includes('rule:u1:r1'), off.reads.join());
    assert.deepEqual((await judge(disable, {}, { rule: true })).result, { step: disable, ...NOT_APPLIED });
    assert.deepEqual((await judge(disable, {}, { rule: null })).result, { step: disable, ...NOT_APPLIED });
    assert.deepEqual((await judge(enable, {}, { rule: true })).result, { step: enable, ...APPLIED });
    assert.deepEqual((await judge(enable, {}, { rule: false })).result, { step: enable, ...NOT_APPLIED });
    assert.deepEqual((await judge(enable, {}, { rule: null })).result, { step: enable, ...NOT_APPLIED });
  });

  it('a dry run is settled as a dry run whatever the tenant shows', async () => {
    const step: PlannedStep = { kind: 'disable' };
    const { result } = await judge(step, { accountEnabled: true }, { record: { dryRun: true } });
    assert.deepEqual(result, { step, ok: true, reasons: ['dry-run'], requestIds: [] });
  });

  it('without an execution start (claimed but never stamped) the request creation time is the start', async () => {
    const step: PlannedStep = { kind: 'revoke' };
    const base = { record: { execution: undefined, createdAt: STARTED + 10 * SKEW_MS } };
    const after = await judge(step, { sessionsValidFrom: at(STARTED + 10 * SKEW_MS) }, base);
    assert.deepEqual(after.result, { step, ...APPLIED });
    const before = await judge(step, { sessionsValidFrom: at(STARTED + 5 * SKEW_MS) }, base);
    assert.deepEqual(before.result, { step, ...NOT_APPLIED });
  });

  it('a request whose every step has a result is returned as recorded, without reading the tenant', async () => {
    const done: StepResult = { step: { kind: 'revoke' }, ok: true, reasons: ['applied'], requestIds: ['x'] };
    const { tenant, reads, writes } = tenantWith({});
    const results = await reconcile(
      record([{ kind: 'revoke' }], { execution: { startedAt: STARTED, results: [done] } }),
      tenant,
    );
    assert.deepEqual(results, [done]);
    assert.deepEqual(reads, []);
    assert.deepEqual(writes, []);
  });
});
