import assert from 'node:assert/strict';
import { createApprovalService } from '../../../services/approvals/approval-service';
import { createApprovalStore } from '../../../services/approvals/approval-store';
import { CARD_GRACE_MS } from '../../../services/approvals/card-recovery';
import type { ApprovalRecord } from '../../../services/approvals/types';
import { GROUP, startHarness, USERS, type Harness } from './harness';

/** Stores a request the way the revoke command does, as instance `instance`, and posts no card (its turn died). */
async function storedWithoutCard(h: Harness, instance: string): Promise<ApprovalRecord> {
  await h.say('alex', 'approvals here', 'group');
  const service = createApprovalService({
    store: createApprovalStore(h.storage),
    tenant: h.deps.tenant as never,
    audit: h.audit,
    clock: h.clock,
    policy: { allowAdminTargets: false, passwordWriteback: false, ttlMs: 30 * 60_000, dryRun: false },
    instance,
  });
  const plan = await h.service.prepare({ action: 'revoke', target: 'risky@example.com' });
  assert.equal(plan.kind, 'ready');
  if (plan.kind !== 'ready') throw new Error('unreachable');
  return service.create({
    plan,
    action: 'revoke',
    justification: 'phishing',
    requester: { aadObjectId: USERS.alex.aadObjectId, name: 'Alex Wilber' },
    origin: GROUP,
    correlationId: 'c',
  });
}

const cardsOf = (h: Harness, id: string) => h.messenger.sent.filter((s) => JSON.stringify(s.message).includes(id));

// Issue 10 item 14: a request stored without its card after a crash gets its card, once.
describe('integration: a pending request stored without its card', function () {
  this.timeout(20_000);
  let h: Harness;
  afterEach(() => h?.close());

  it('whose instance is gone (crashed) gets its card at the next pass, once, and can be approved from it', async () => {
    h = await startHarness();
    const stored = await storedWithoutCard(h, 'crashed-instance');
    await h.worker.runOnce();
    await h.worker.idle();
    const cards = cardsOf(h, stored.id);
    assert.equal(cards.length, 1);
    assert.equal(cards[0]?.to.conversationId, GROUP.conversationId);
    const saved = await h.service.get(stored.id);
    assert.equal(saved?.card?.activityId, cards[0]?.activityId);
    assert.equal(saved?.claim, undefined);
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(cardsOf(h, stored.id).length, 1, 'posted once');
    await h.click('megan', 'approval.approve', h.lastCardData());
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 1);
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /done/);
  });

  it('whose instance is alive is left to that instance, then posted once the grace period has passed', async () => {
    h = await startHarness();
    const stored = await storedWithoutCard(h, 'harness');
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(cardsOf(h, stored.id).length, 0, 'its own turn may still be posting it');
    h.clock.advance(CARD_GRACE_MS);
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(cardsOf(h, stored.id).length, 1);
  });

  it('two instances recovering at once post it once (the recovery claim is a conditional write)', async () => {
    h = await startHarness();
    const stored = await storedWithoutCard(h, 'crashed-instance');
    const gated = h.gate((key) => key === `approvals/request/${stored.id}`, 2);
    await Promise.all([h.worker.runOnce(), gated.otherWorker.runOnce()]);
    await Promise.all([h.worker.idle(), gated.otherWorker.idle()]);
    assert.equal(cardsOf(h, stored.id).length, 1);
  });
});
