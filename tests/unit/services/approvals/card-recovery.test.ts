import assert from 'node:assert/strict';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import { CARD_GRACE_MS, createCardRecovery, INSTANCES } from '../../../../services/approvals/card-recovery';
import type { ApprovalRecord } from '../../../../services/approvals/types';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import type { Storage } from '../../../../services/storage/port';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { record, STARTED } from './fakes';

// Issue 10 item 14: a request stored without its card (the turn died between the store and the post) gets its card,
// posted once, by the instance that stored it after a grace period, or by any instance once that one is gone.
const TTL = 30_000;
const HOUR = 60 * 60_000;
const GROUP: ConversationRef = {
  conversationId: 'group-approvals',
  conversationType: 'groupChat',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};

function setup(options: { designated?: boolean } = {}) {
  const clock = new ManualClock(STARTED);
  const storage: Storage = createMemoryStorage(createMemoryStore());
  const store: ApprovalStore = createApprovalStore(storage);
  const posts: { to: string; id: string; claimOwner: string | undefined; claimExpires: number | undefined }[] = [];
  const logger = createRecordingLogger();
  let duringPost: (() => Promise<void>) | null = null;
  const instance = (owner: string) =>
    createCardRecovery({
      storage,
      store,
      clock,
      logger,
      owner,
      ttlMs: TTL,
      notifier: {
        updated: () => Promise.resolve(),
        post: async (to, r) => {
          posts.push({ to: to.conversationId, id: r.id, claimOwner: r.claim?.owner, claimExpires: r.claim?.expiresAt });
          await duringPost?.();
          return { activityId: `activity-${posts.length}` };
        },
      },
    });
  const pending = async (
    overrides: Partial<ApprovalRecord> = {},
  ): Promise<{ value: ApprovalRecord; version: string }> => {
    const entry = record([{ kind: 'revoke' }], {
      state: 'pending',
      expiresAt: STARTED + HOUR,
      ...overrides,
    });
    delete entry.execution;
    const created = await store.create(entry);
    assert.ok(created.ok);
    return { value: entry, version: created.item.version };
  };
  const stored = async (): Promise<ApprovalRecord | undefined> => (await store.get('a1'))?.value;
  const ready = async (): Promise<void> => {
    if (options.designated !== false)
      await store.designate({ conversation: GROUP, by: { aadObjectId: 'op', name: 'Op' }, at: STARTED });
  };
  return {
    clock,
    storage,
    store,
    posts,
    logger,
    instance,
    pending,
    stored,
    ready,
    onPost: (f: () => Promise<void>) => (duringPost = f),
  };
}

describe('approvals/card-recovery: the card of a request stored without one is posted once', () => {
  it('its own request: left to the turn for the grace period, then posted and recorded on the request', async () => {
    const s = setup();
    await s.ready();
    const a = s.instance('a');
    const { value, version } = await s.pending({ createdBy: 'a' });
    s.clock.advance(CARD_GRACE_MS - 1);
    await a.recover(value, version);
    assert.deepEqual(s.posts, []);
    s.clock.advance(1);
    await a.recover(value, version);
    assert.deepEqual(s.posts, [
      { to: 'group-approvals', id: 'a1', claimOwner: 'a', claimExpires: s.clock.now() + TTL },
    ]);
    const after = await s.stored();
    assert.deepEqual(after?.card, { conversation: GROUP, activityId: 'activity-1' });
    assert.equal(after?.claim, undefined, 'the posting claim is dropped with the card recorded');
    assert.equal(after?.state, 'pending');
  });

  it("another instance's request waits while that instance's heartbeat lives, and is posted at once when it lapsed", async () => {
    const s = setup();
    await s.ready();
    const a = s.instance('a');
    const b = s.instance('b');
    await a.heartbeat();
    const beat = await s.storage.get<{ expiresAt: number }>(`${INSTANCES}a`);
    assert.equal(beat?.value.expiresAt, STARTED + TTL);
    const { value, version } = await s.pending({ createdBy: 'a' });
    s.clock.advance(TTL - 1);
    await b.recover(value, version);
    assert.deepEqual(s.posts, [], 'a live creator still owes the card');
    s.clock.advance(1);
    await b.recover(value, version);
    assert.equal(s.posts.length, 1, 'a heartbeat lapses at its expiry');
  });

  it('a creator that retired cleanly, or a request without a creator, is recovered at once', async () => {
    const s = setup();
    await s.ready();
    const a = s.instance('a');
    await a.heartbeat();
    await a.retire();
    assert.equal(await s.storage.get(`${INSTANCES}a`), undefined);
    const { value, version } = await s.pending({ createdBy: 'a' });
    await s.instance('b').recover(value, version);
    assert.equal(s.posts.length, 1);

    const t = setup();
    await t.ready();
    const orphan = await t.pending();
    await t.instance('b').recover(orphan.value, orphan.version);
    assert.equal(t.posts.length, 1);
  });

  it('nothing is posted for a request that has a card, has expired, or is being posted by a live claim', async () => {
    const s = setup();
    await s.ready();
    const b = s.instance('b');
    const withCard = await s.pending({ card: { conversation: GROUP, activityId: 'x' } });
    await b.recover(withCard.value, withCard.version);
    const expired = { ...withCard.value, card: undefined, expiresAt: STARTED };
    await b.recover(expired, withCard.version);
    const claimed = { ...expired, expiresAt: STARTED + HOUR, claim: { owner: 'c', expiresAt: STARTED + 1 } };
    await b.recover(claimed, withCard.version);
    assert.deepEqual(s.posts, []);

    const t = setup();
    await t.ready();
    const lapsed = await t.pending({ claim: { owner: 'c', expiresAt: STARTED } });
    await t.instance('b').recover(lapsed.value, lapsed.version);
    assert.equal(t.posts.length, 1, 'a claim lapses at its expiry');
  });

  it('without an approvals conversation nothing is posted or written', async () => {
    const s = setup({ designated: false });
    await s.ready();
    const { value, version } = await s.pending();
    await s.instance('b').recover(value, version);
    assert.deepEqual(s.posts, []);
    assert.deepEqual(await s.stored(), value);
  });

  it('two instances recovering the same version post once (the claim is a conditional write)', async () => {
    const s = setup();
    await s.ready();
    const { value, version } = await s.pending();
    await Promise.all([s.instance('a').recover(value, version), s.instance('b').recover(value, version)]);
    assert.equal(s.posts.length, 1);
  });

  it('a request decided while its card was being posted is not written again (its worker is not fenced out)', async () => {
    const s = setup();
    await s.ready();
    const { value, version } = await s.pending();
    s.onPost(async () => {
      const current = await s.store.get('a1');
      assert.ok(current);
      const { claim: _claim, ...rest } = current.value;
      assert.ok((await s.store.replace({ ...rest, state: 'approved' }, current.version)).ok);
    });
    await s.instance('b').recover(value, version);
    assert.equal(s.posts.length, 1);
    const after = await s.stored();
    assert.equal(after?.state, 'approved');
    assert.equal(after?.card, undefined);
  });

  it('a card recorded by someone else while posting is kept', async () => {
    const s = setup();
    await s.ready();
    const { value, version } = await s.pending();
    const theirs = { conversation: GROUP, activityId: 'theirs' };
    s.onPost(async () => {
      const current = await s.store.get('a1');
      assert.ok(current);
      assert.ok((await s.store.replace({ ...current.value, card: theirs }, current.version)).ok);
    });
    await s.instance('b').recover(value, version);
    assert.deepEqual((await s.stored())?.card, theirs);
  });

  it('prune removes heartbeats of instances gone for more than an hour and keeps the others', async () => {
    const s = setup();
    await s.instance('old').heartbeat();
    s.clock.advance(TTL + HOUR + 1);
    await s.instance('edge').heartbeat();
    await s.storage.put(`${INSTANCES}edge`, { expiresAt: s.clock.now() - HOUR }, { overwrite: true });
    await s.instance('live').heartbeat();
    await s.instance('live').prune();
    const left = (await s.storage.list(INSTANCES)).map((i) => i.key).sort();
    assert.deepEqual(left, [`${INSTANCES}edge`, `${INSTANCES}live`]);
  });
});
