import assert from 'node:assert/strict';
import { createApprovalService } from '../../../../services/approvals/approval-service';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import type { ApprovalRecord } from '../../../../services/approvals/types';
import { createAuditLog, type AuditLog } from '../../../../services/audit/audit-log';
import { isCodedError } from '../../../../services/errors';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { fakeTenant, STARTED, type Target } from './fakes';

const TTL = 30 * 60_000;
const REQUESTER = { aadObjectId: 'r', name: 'Alex' };
const APPROVER = { aadObjectId: 'a', name: 'Megan' };
const ORIGIN: ConversationRef = {
  conversationId: 'personal-r',
  conversationType: 'personal',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

function setup(options: { state?: Partial<Target>; writeback?: boolean; ids?: string[] } = {}) {
  const clock = new ManualClock(STARTED);
  const storage = createMemoryStorage(createMemoryStore());
  let store: ApprovalStore = createApprovalStore(storage);
  const audit: AuditLog = createAuditLog(storage, clock);
  const approved: string[] = [];
  const ids = options.ids ?? ['req-1', 'req-2', 'req-3'];
  let conflicts = 0;
  const service = () =>
    createApprovalService({
      store,
      tenant: fakeTenant({}, options.state).tenant,
      audit,
      clock,
      policy: { allowAdminTargets: false, passwordWriteback: options.writeback ?? false, ttlMs: TTL, dryRun: false },
      onApproved: (id) => void approved.push(id),
      newId: () => ids.shift() ?? 'exhausted',
      instance: 'inst-1',
    });
  /** Every conditional replace conflicts from now on (another instance keeps winning). */
  const alwaysConflict = (): void => {
    const inner = store;
    store = {
      ...inner,
      replace: () =>
        Promise.resolve(void conflicts++).then(() => ({ ok: false as const, reason: 'conflict' as const })),
    };
  };
  const create = async (svc = service()): Promise<ApprovalRecord> => {
    const plan = await svc.prepare({ action: 'revoke', target: 'u1@example.com' });
    assert.equal(plan.kind, 'ready');
    return svc.create({
      plan: plan,
      action: 'revoke',
      justification: 'phished',
      requester: REQUESTER,
      origin: ORIGIN,
      correlationId: 'c1',
    });
  };
  return {
    clock,
    audit,
    approved,
    service,
    create,
    alwaysConflict,
    conflicts: () => conflicts,
    store: () => store,
  };
}

describe('approvals/service: request and decide', () => {
  it('contain on a directory-synced user leaves out the password reset (no writeback) but keeps the rest', async () => {
    const kinds = async (state: Partial<Target>, writeback: boolean): Promise<string[]> => {
      const plan = await setup({ state, writeback }).service().prepare({ action: 'contain', target: 'u1@example.com' });
      assert.equal(plan.kind, 'ready');
      return plan.kind === 'ready' ? plan.steps.map((s) => s.kind) : [];
    };
    assert.deepEqual(await kinds({ synced: true }, false), ['revoke', 'disable']);
    assert.deepEqual(await kinds({ synced: true }, true), ['revoke', 'disable', 'reset-password']);
    assert.deepEqual(await kinds({ synced: false }, false), ['revoke', 'disable', 'reset-password']);
  });

  it('a new request is stored pending, open in the queue, owed its card by this instance, and audited', async () => {
    const s = setup();
    const entry = await s.create();
    assert.equal(entry.id, 'req-1');
    assert.equal(entry.state, 'pending');
    assert.equal(entry.createdBy, 'inst-1');
    assert.equal(entry.expiresAt, STARTED + TTL);
    assert.deepEqual(await s.store().openIds(), ['req-1']);
    const records = await s.audit.list();
    assert.deepEqual(
      records.map((r) => [r.action, r.outcome, r.actor.aadObjectId, r.details?.approvalId, r.details?.decidedByName]),
      [['approval.requested', 'pending', 'r', 'req-1', null]],
    );
  });

  it('an id that already exists is never overwritten', async () => {
    const s = setup({ ids: ['same', 'same'] });
    await s.create();
    await assert.rejects(s.create(), (e: unknown) => isCodedError(e, 'storage_version_conflict'));
  });

  it('an approval is stored, audited with the approver, and wakes the worker; a rejection closes the request', async () => {
    const s = setup();
    const svc = s.service();
    const one = await s.create(svc);
    const two = await s.create(svc);
    const yes = await svc.decide({
      id: one.id,
      hash: one.hash,
      decision: 'approve',
      by: APPROVER,
      correlationId: 'c2',
    });
    assert.equal(yes.kind, 'decided');
    assert.deepEqual(s.approved, ['req-1']);
    const no = await svc.decide({ id: two.id, hash: two.hash, decision: 'reject', by: APPROVER, correlationId: 'c3' });
    assert.equal(no.kind, 'decided');
    assert.deepEqual(s.approved, ['req-1'], 'a rejection runs nothing');
    assert.deepEqual(await s.store().openIds(), ['req-1'], 'the rejected request leaves the queue');
    const decided = (await s.audit.list()).filter((r) => r.action !== 'approval.requested');
    assert.deepEqual(
      decided.map((r) => [r.action, r.outcome, r.actor.aadObjectId, r.details?.decidedByName]),
      [
        ['approval.approved', 'approved', 'a', 'Megan'],
        ['approval.rejected', 'rejected', 'a', 'Megan'],
      ],
    );
  });

  it("the requester's own click is refused and audited as denied", async () => {
    const s = setup();
    const svc = s.service();
    const entry = await s.create(svc);
    const own = await svc.decide({
      id: entry.id,
      hash: entry.hash,
      decision: 'approve',
      by: REQUESTER,
      correlationId: 'c',
    });
    assert.equal(own.kind, 'self-decision');
    const last = (await s.audit.list()).at(-1);
    assert.deepEqual([last?.action, last?.outcome], ['approval.approve', 'denied-self']);
    assert.deepEqual(s.approved, []);
  });

  it('a click after expiry expires the request once: stored, audited, closed; a later click only reads', async () => {
    const s = setup();
    const svc = s.service();
    const entry = await s.create(svc);
    s.clock.advance(TTL);
    const late = await svc.decide({
      id: entry.id,
      hash: entry.hash,
      decision: 'approve',
      by: APPROVER,
      correlationId: 'c',
    });
    assert.equal(late.kind, 'expired');
    assert.equal((await svc.get(entry.id))?.state, 'expired');
    assert.deepEqual(await s.store().openIds(), []);
    const again = await svc.decide({
      id: entry.id,
      hash: entry.hash,
      decision: 'approve',
      by: APPROVER,
      correlationId: 'c',
    });
    assert.equal(again.kind, 'expired');
    assert.equal(again.kind === 'expired' ? again.record.state : null, 'expired');
    const expired = (await s.audit.list()).filter((r) => r.action === 'approval.expired');
    assert.deepEqual(
      expired.map((r) => [r.outcome, r.actor.aadObjectId]),
      [['expired', 'a']],
    );
    assert.deepEqual(s.approved, []);
  });

  it('a decision that keeps conflicting gives up after five tries, deciding nothing', async () => {
    const s = setup();
    const entry = await s.create();
    s.alwaysConflict();
    const svc = s.service();
    await assert.rejects(
      svc.decide({ id: entry.id, hash: entry.hash, decision: 'approve', by: APPROVER, correlationId: 'c' }),
      (e: unknown) => isCodedError(e, 'storage_version_conflict'),
    );
    assert.equal(s.conflicts(), 5);
    assert.deepEqual(s.approved, []);
    assert.equal((await svc.get(entry.id))?.state, 'pending');
  });

  it('get is null for an unknown id; pending lists open, undecided requests oldest first', async () => {
    const s = setup({ ids: ['c-3', 'b-2', 'a-1'] });
    const svc = s.service();
    assert.equal(await svc.get('nope'), null);
    const first = await s.create(svc);
    s.clock.advance(1_000);
    const second = await s.create(svc);
    s.clock.advance(1_000);
    const third = await s.create(svc);
    await svc.decide({ id: second.id, hash: second.hash, decision: 'reject', by: APPROVER, correlationId: 'c' });
    await s.store().markOpen(second.id);
    assert.deepEqual(
      (await svc.pending()).map((r) => r.id),
      [first.id, third.id],
    );
  });
});
