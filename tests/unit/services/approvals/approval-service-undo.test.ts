// The audit trail of an undo (issue 13 via issue 10's mutation round 3): the request record names which finished
// request it reverses and exactly what it puts back; a request naming items lists their keys; others carry neither.
// Also the requester's personal chat reference the store keeps (case-insensitive by AAD object id).
import assert from 'node:assert/strict';
import { createApprovalService } from '../../../../services/approvals/approval-service';
import { createApprovalStore } from '../../../../services/approvals/approval-store';
import { stepForItem } from '../../../../services/approvals/plan';
import { createAuditLog } from '../../../../services/audit/audit-log';
import type { PersistenceItem } from '../../../../services/identity/persistence';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { fakeTenant, record, STARTED } from './fakes';
import { FLAGGED, GRANT_BEFORE } from './persistence-fakes';

const GRANT = FLAGGED[0] as PersistenceItem;
const DEVICE = FLAGGED[3] as PersistenceItem;
const ORIGIN: ConversationRef = {
  conversationId: 'personal-r',
  conversationType: 'personal',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

function setup() {
  const clock = new ManualClock(STARTED);
  const storage = createMemoryStorage(createMemoryStore());
  const store = createApprovalStore(storage);
  const audit = createAuditLog(storage, clock);
  const ids = ['undo-1', 'plain-1', 'items-1'];
  const service = createApprovalService({
    store,
    tenant: fakeTenant().tenant,
    audit,
    clock,
    policy: { allowAdminTargets: false, passwordWriteback: false, ttlMs: 60_000, dryRun: false },
    onApproved: () => undefined,
    newId: () => ids.shift() ?? 'exhausted',
    instance: 'inst-1',
  });
  return { store, audit, service };
}

describe('approvals/service: the audit of an undo', () => {
  it('names the request it reverses and what it puts back; item requests list their keys; plain ones carry neither', async () => {
    const { store, audit, service } = setup();
    const removal = stepForItem(GRANT);
    await store.create(
      record([removal], {
        id: 'contain-1',
        state: 'done',
        execution: {
          startedAt: STARTED,
          results: [
            {
              step: removal,
              ok: true,
              reasons: ['applied', 'verified'],
              requestIds: [],
              before: { item: GRANT_BEFORE },
            },
          ],
        },
      }),
    );
    const requester = { aadObjectId: 'r', name: 'Alex' };
    const make = async (input: Parameters<typeof service.prepare>[0]) => {
      const plan = await service.prepare(input);
      assert.equal(plan.kind, 'ready', JSON.stringify(plan));
      return service.create({
        plan,
        action: input.action,
        justification: 'j',
        requester,
        origin: ORIGIN,
        correlationId: 'c',
      });
    };
    await make({ action: 'restore-grant', target: 'u1@example.com', itemId: 'g1', fromRequest: 'contain-1' });
    await make({ action: 'revoke', target: 'u1@example.com' });
    const missing = await service.prepare({
      action: 'restore-grant',
      target: 'u1@example.com',
      itemId: 'g1',
      fromRequest: 'no-such-request',
    });
    assert.equal(missing.kind, 'undo-not-found');
    const details = (await audit.list()).map((r) => r.details ?? {});
    assert.equal(details.length, 2);
    const [undo, plain] = details;
    assert.equal(undo?.approvalId, 'undo-1');
    assert.equal(undo?.items, 'grant:g1');
    assert.equal(undo?.undoes, 'contain-1');
    assert.deepEqual(JSON.parse(String(undo?.restores)), [GRANT_BEFORE]);
    assert.equal(plain?.approvalId, 'plain-1');
    for (const key of ['items', 'undoes', 'restores']) assert.ok(!(key in (plain ?? {})), key);
  });

  it('a contain naming items lists every key (steps without an item add none); no undo fields', async () => {
    const { audit, service } = setup();
    const steps = [{ kind: 'revoke' as const }, stepForItem(GRANT), stepForItem(DEVICE)];
    const plan = { kind: 'ready' as const, target: record([]).target, steps, warnings: [] };
    await service.create({
      plan,
      action: 'contain',
      justification: 'j',
      requester: { aadObjectId: 'r', name: 'Alex' },
      origin: ORIGIN,
      correlationId: 'c',
    });
    const [entry] = await audit.list();
    assert.equal(entry?.details?.items, 'grant:g1; device:d1');
    assert.ok(!('undoes' in (entry?.details ?? {})));
  });
});

describe('approvals/store: the requester personal chat', () => {
  it('is kept by AAD object id, whatever its letter case; unknown ids have none', async () => {
    const store = createApprovalStore(createMemoryStorage(createMemoryStore()));
    await store.rememberPersonalChat('AbC-1', ORIGIN);
    assert.deepEqual(await store.personalChat('abc-1'), ORIGIN);
    assert.deepEqual(await store.personalChat('ABC-1'), ORIGIN);
    assert.equal(await store.personalChat('other'), null);
    const moved = { ...ORIGIN, conversationId: 'personal-2' };
    await store.rememberPersonalChat('abc-1', moved);
    assert.deepEqual(await store.personalChat('AbC-1'), moved, 'a newer reference replaces the old one');
  });
});
