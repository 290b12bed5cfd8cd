import assert from 'node:assert/strict';
import { acquireLease, readLease, releaseLease, renewLease } from '../../../../services/storage/lease';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';

describe('services/storage/lease', () => {
  it('gives the lease to one of two racing instances', async () => {
    const store = createMemoryStore();
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      acquireLease(createMemoryStorage(store), 'lease/poller', 'a', 30_000, clock),
      acquireLease(createMemoryStorage(store), 'lease/poller', 'b', 30_000, clock),
    ]);
    assert.equal([a, b].filter(Boolean).length, 1);
  });

  it('lets another owner take it only after it expires, and then the old holder cannot renew', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock();
    const a = await acquireLease(storage, 'l', 'a', 10_000, clock);
    assert.ok(a);
    assert.equal(await acquireLease(storage, 'l', 'b', 10_000, clock), null);
    clock.advance(10_001);
    const b = await acquireLease(storage, 'l', 'b', 10_000, clock);
    assert.ok(b);
    assert.equal(await renewLease(storage, a, 10_000, clock), null);
    assert.equal((await readLease(storage, 'l', clock))?.owner, 'b');
  });

  it('renews and releases', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock();
    const a = await acquireLease(storage, 'l', 'a', 10_000, clock);
    assert.ok(a);
    clock.advance(9_000);
    const renewed = await renewLease(storage, a, 10_000, clock);
    assert.ok(renewed);
    clock.advance(9_000);
    assert.equal(await acquireLease(storage, 'l', 'b', 10_000, clock), null);
    await releaseLease(storage, renewed);
    assert.ok(await acquireLease(storage, 'l', 'b', 10_000, clock));
  });
});
