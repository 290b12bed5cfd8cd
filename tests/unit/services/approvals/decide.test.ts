import assert from 'node:assert/strict';
import { decide, type DecisionOutcome } from '../../../../services/approvals/decide';
import { requestHash } from '../../../../services/approvals/request-hash';
import { checkTarget } from '../../../../services/approvals/target-check';
import type { ApprovalRecord, StepKind, TargetView } from '../../../../services/approvals/types';

const T0 = Date.parse('2026-11-22T12:00:00Z');
const REQUESTER = { aadObjectId: 'AAAA-requester', name: 'Alex' };
const APPROVER = { aadObjectId: 'bbbb-approver', name: 'Megan' };

const target: TargetView = {
  id: '5eed0000-0000-4000-8000-000000000303',
  upn: 'risky@example.com',
  displayName: 'Rita',
  accountEnabled: true,
  synced: false,
  guest: false,
  adminRoles: [],
  protectedMember: false,
};

function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  const base = {
    id: '8f0c8f57-64c2-4cf4-9f33-1b2f3c4d5e6f',
    action: 'revoke' as const,
    steps: [{ kind: 'revoke' as const }],
  };
  const expiresAt = T0 + 30 * 60_000;
  return {
    ...base,
    target,
    justification: 'phish',
    requester: REQUESTER,
    createdAt: T0,
    expiresAt,
    hash: requestHash({ ...base, targetId: target.id, requester: REQUESTER, expiresAt }),
    dryRun: false,
    warnings: [],
    state: 'pending',
    ...overrides,
  };
}

describe('approvals/decide (pure decision rule)', () => {
  const r = record();
  const cases: {
    name: string;
    rec: ApprovalRecord | undefined;
    input: Partial<Parameters<typeof decide>[1]>;
    kind: DecisionOutcome['kind'];
    state?: string;
  }[] = [
    { name: 'approver approves in time', rec: r, input: {}, kind: 'write', state: 'approved' },
    { name: 'approver rejects', rec: r, input: { decision: 'reject' }, kind: 'write', state: 'rejected' },
    {
      name: 'requester approves own request (case-insensitive id)',
      rec: r,
      input: { by: { aadObjectId: 'aaaa-REQUESTER', name: null } },
      kind: 'self-decision',
    },
    {
      name: 'requester rejects own request',
      rec: r,
      input: { decision: 'reject', by: REQUESTER },
      kind: 'self-decision',
    },
    { name: 'altered hash', rec: r, input: { hash: '0'.repeat(64) }, kind: 'stale' },
    { name: 'at the expiry instant', rec: r, input: { now: r.expiresAt }, kind: 'expired', state: 'expired' },
    { name: 'already approved', rec: record({ state: 'approved' }), input: {}, kind: 'already-decided' },
    { name: 'already rejected', rec: record({ state: 'rejected' }), input: {}, kind: 'already-decided' },
    { name: 'done', rec: record({ state: 'done' }), input: {}, kind: 'already-decided' },
    { name: 'expired earlier', rec: record({ state: 'expired' }), input: {}, kind: 'expired' },
    { name: 'unknown request', rec: undefined, input: {}, kind: 'not-found' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = decide(c.rec, { decision: 'approve', hash: r.hash, by: APPROVER, now: T0 + 60_000, ...c.input });
      assert.equal(out.kind, c.kind);
      if (c.state && (out.kind === 'write' || out.kind === 'expired')) assert.equal(out.next?.state, c.state);
      if (out.kind === 'write') assert.deepEqual(out.next.decision?.by, APPROVER);
    });
  }
});

describe('approvals/request-hash', () => {
  const base = {
    id: 'x',
    action: 'revoke' as const,
    targetId: 'T',
    steps: [{ kind: 'revoke' as const }],
    requester: REQUESTER,
    expiresAt: 1,
  };
  it('binds action, target, steps, requester and expiry', () => {
    const h = requestHash(base);
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(requestHash({ ...base, targetId: 't' }), h, 'object ids compare case-insensitively');
    for (const changed of [
      { ...base, action: 'disable' as const },
      { ...base, targetId: 'other' },
      { ...base, steps: [{ kind: 'disable-rule' as const, ruleId: 'r1' }] },
      { ...base, requester: { aadObjectId: 'someone-else' } },
      { ...base, expiresAt: 2 },
      { ...base, id: 'y' },
    ])
      assert.notEqual(requestHash(changed), h, JSON.stringify(changed));
  });
});

describe('approvals/target-check (table)', () => {
  const policy = { allowAdminTargets: false, passwordWriteback: false };
  const rows: {
    name: string;
    t: Partial<TargetView>;
    steps: StepKind[];
    p?: Partial<typeof policy>;
    refusals: string[];
    warnings: string[];
  }[] = [
    { name: 'plain user', t: {}, steps: ['revoke'], refusals: [], warnings: [] },
    {
      name: 'active admin',
      t: { adminRoles: ['Global Administrator'] },
      steps: ['revoke'],
      refusals: ['admin'],
      warnings: [],
    },
    {
      name: 'eligible admin',
      t: { adminRoles: ['eligible: x'] },
      steps: ['disable'],
      refusals: ['admin'],
      warnings: [],
    },
    {
      name: 'admin allowed',
      t: { adminRoles: ['x'] },
      steps: ['revoke'],
      p: { allowAdminTargets: true },
      refusals: [],
      warnings: ['admin-allowed'],
    },
    {
      name: 'protected even when admins allowed',
      t: { protectedMember: true },
      steps: ['revoke'],
      p: { allowAdminTargets: true },
      refusals: ['protected'],
      warnings: [],
    },
    {
      name: 'synced password without writeback',
      t: { synced: true },
      steps: ['reset-password'],
      refusals: ['synced-password'],
      warnings: ['synced-mastered-on-premises'],
    },
    {
      name: 'synced password with writeback',
      t: { synced: true },
      steps: ['reset-password'],
      p: { passwordWriteback: true },
      refusals: [],
      warnings: ['synced-mastered-on-premises'],
    },
    {
      name: 'synced block',
      t: { synced: true },
      steps: ['disable'],
      refusals: [],
      warnings: ['synced-mastered-on-premises'],
    },
    { name: 'synced revoke', t: { synced: true }, steps: ['revoke'], refusals: [], warnings: [] },
    { name: 'guest revoke', t: { guest: true }, steps: ['revoke'], refusals: [], warnings: ['guest-revoke-no-effect'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const v = checkTarget({ ...target, ...row.t }, row.steps, { ...policy, ...row.p });
      assert.deepEqual(v.refusals, row.refusals);
      assert.deepEqual(v.warnings, row.warnings);
    });
  }
});
