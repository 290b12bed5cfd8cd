import assert from 'node:assert/strict';
import { isCodedError } from '../../../../services/errors';
import { acquireLease, readLease, releaseLease, renewLease } from '../../../../services/storage/lease';
import type { Storage, StoredItem } from '../../../../services/storage/port';
import { ManualClock } from '../../../fakes/manual-clock';

/** What a contract run needs: a fresh store, optionally a second independent handle on it, and cleanup. */
export interface ContractFixture {
  storage: Storage;
  second?: () => Storage;
  cleanup: () => Promise<void>;
}

interface Doc {
  n: number;
  note?: string;
}

async function mustPut<T>(storage: Storage, key: string, value: T): Promise<StoredItem<T>> {
  const result = await storage.put(key, value, { overwrite: true });
  assert.ok(result.ok, `seeding ${key} failed`);
  return result.item;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isCodedError(err) && err.code === code);
}

/** The behaviour every Storage adapter must have; run it from each adapter's test file. */
export function runStorageContract(name: string, make: () => Promise<ContractFixture>): void {
  describe(`Storage contract: ${name}`, () => {
    let fixture: ContractFixture;
    let storage: Storage;
    const extra: Storage[] = [];

    beforeEach(async () => {
      fixture = await make();
      storage = fixture.storage;
    });

    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await storage.close();
      await fixture.cleanup();
    });

    const openSecond = (): Storage | undefined => {
      const s = fixture.second?.();
      if (s) extra.push(s);
      return s;
    };

    describe('get and put', () => {
      it('returns undefined for a key that was never written', async () => {
        assert.equal(await storage.get('nothing/here'), undefined);
      });

      it('creates with ifAbsent and reads the same value and version back', async () => {
        const result = await storage.put<Doc>('a/1', { n: 1 }, { ifAbsent: true });
        assert.ok(result.ok);
        assert.deepEqual(result.item.value, { n: 1 });
        assert.equal(typeof result.item.version, 'string');
        assert.deepEqual(await storage.get('a/1'), { key: 'a/1', value: { n: 1 }, version: result.item.version });
      });

      it('returns a conflict for ifAbsent on an existing key, with the current item, and keeps the value', async () => {
        const first = await mustPut<Doc>(storage, 'a/1', { n: 1 });
        const second = await storage.put<Doc>('a/1', { n: 2 }, { ifAbsent: true });
        assert.equal(second.ok, false);
        assert.ok(!second.ok);
        assert.equal(second.reason, 'conflict');
        assert.deepEqual(second.current, first);
        assert.deepEqual((await storage.get<Doc>('a/1'))?.value, { n: 1 });
      });

      it('updates with the version read and returns a new version', async () => {
        const first = await mustPut<Doc>(storage, 'a/1', { n: 1 });
        const updated = await storage.put<Doc>('a/1', { n: 2 }, { ifVersion: first.version });
        assert.ok(updated.ok);
        assert.notEqual(updated.item.version, first.version);
        assert.deepEqual(await storage.get('a/1'), { key: 'a/1', value: { n: 2 }, version: updated.item.version });
      });

      it('refuses a write with a stale version and leaves the value unchanged', async () => {
        const first = await mustPut<Doc>(storage, 'a/1', { n: 1 });
        const updated = await storage.put<Doc>('a/1', { n: 2 }, { ifVersion: first.version });
        assert.ok(updated.ok);
        const stale = await storage.put<Doc>('a/1', { n: 3 }, { ifVersion: first.version });
        assert.ok(!stale.ok);
        assert.equal(stale.reason, 'conflict');
        assert.deepEqual(stale.current, updated.item);
        assert.deepEqual(await storage.get('a/1'), updated.item);
      });

      it('refuses ifVersion on an absent key without creating it', async () => {
        const result = await storage.put<Doc>('a/ghost', { n: 1 }, { ifVersion: 'anything' });
        assert.deepEqual(result, { ok: false, reason: 'conflict' });
        assert.equal(await storage.get('a/ghost'), undefined);
      });

      it('overwrites whatever is there, creating or replacing, with a fresh version each time', async () => {
        const created = await storage.put<Doc>('a/1', { n: 1 }, { overwrite: true });
        const replaced = await storage.put<Doc>('a/1', { n: 2 }, { overwrite: true });
        assert.ok(created.ok && replaced.ok);
        assert.notEqual(created.item.version, replaced.item.version);
        assert.deepEqual((await storage.get<Doc>('a/1'))?.value, { n: 2 });
      });

      it('gives every write a version never seen before for that key', async () => {
        const seen = new Set<string>();
        let item = await mustPut<Doc>(storage, 'a/1', { n: 0 });
        seen.add(item.version);
        for (let n = 1; n <= 20; n++) {
          const result = await storage.put<Doc>('a/1', { n }, { ifVersion: item.version });
          assert.ok(result.ok);
          item = result.item;
          assert.ok(!seen.has(item.version), `version ${item.version} repeated`);
          seen.add(item.version);
        }
      });

      it('round-trips unicode keys and values and a large value', async () => {
        const key = 'users/ÄÖÜ-Łódź-日本-🚀';
        const big = 'x'.repeat(1_000_000);
        const value = { name: 'Zoë "quoted" \\ back\nslash', emoji: '👩‍💻🔐', rtl: 'مرحبا', nul: 'a\u0000b', big };
        await mustPut(storage, key, value);
        const read = await storage.get<typeof value>(key);
        assert.equal(read?.key, key);
        assert.deepEqual(read?.value, value);
      });

      it('stores a copy: mutating the value after put or after get does not change what is stored', async () => {
        const value = { list: [1, 2] };
        await mustPut(storage, 'a/1', value);
        value.list.push(3);
        const read = await storage.get<{ list: number[] }>('a/1');
        read?.value.list.push(4);
        assert.deepEqual((await storage.get('a/1'))?.value, { list: [1, 2] });
      });

      it('rejects a value JSON cannot represent as an internal fault and stores nothing', async () => {
        await rejectsWithCode(storage.put('a/1', undefined, { overwrite: true }), 'internal');
        await rejectsWithCode(storage.put('a/1', { big: 1n }, { overwrite: true }), 'internal');
        assert.equal(await storage.get('a/1'), undefined);
      });

      it('rejects an empty key as an internal fault', async () => {
        await rejectsWithCode(storage.put('', 1, { overwrite: true }), 'internal');
        await rejectsWithCode(storage.get(''), 'internal');
      });
    });

    describe('delete', () => {
      it('deletes unconditionally and reports whether something was deleted', async () => {
        await mustPut(storage, 'a/1', 1);
        assert.equal(await storage.delete('a/1'), true);
        assert.equal(await storage.get('a/1'), undefined);
        assert.equal(await storage.delete('a/1'), false);
      });

      it('deletes with the current version, refuses a stale one and keeps the item', async () => {
        const first = await mustPut(storage, 'a/1', 1);
        const second = await storage.put('a/1', 2, { ifVersion: first.version });
        assert.ok(second.ok);
        assert.equal(await storage.delete('a/1', { ifVersion: first.version }), false);
        assert.deepEqual(await storage.get('a/1'), second.item);
        assert.equal(await storage.delete('a/1', { ifVersion: second.item.version }), true);
        assert.equal(await storage.get('a/1'), undefined);
      });

      it('never reuses a version after delete and re-create, so an old version cannot match again', async () => {
        const versions = new Set<string>();
        for (let round = 0; round < 10; round++) {
          const created = await storage.put('a/1', round, { ifAbsent: true });
          assert.ok(created.ok);
          assert.ok(!versions.has(created.item.version), 'version reused after re-create');
          versions.add(created.item.version);
          assert.equal(await storage.delete('a/1'), true);
        }
        const recreated = await storage.put('a/1', 'new', { ifAbsent: true });
        assert.ok(recreated.ok);
        for (const old of versions) {
          const stale = await storage.put('a/1', 'stale', { ifVersion: old });
          assert.equal(stale.ok, false);
        }
        assert.equal((await storage.get('a/1'))?.value, 'new');
      });
    });

    describe('list', () => {
      const keysOf = (items: StoredItem<unknown>[]): string[] => items.map((i) => i.key);

      it('lists by prefix in key order with values and versions', async () => {
        for (const key of ['b/2', 'a/3', 'b/1', 'a/1', 'b/10', 'c', 'b']) await mustPut(storage, key, key);
        const items = await storage.list<string>('b/');
        assert.deepEqual(keysOf(items), ['b/1', 'b/10', 'b/2']);
        for (const item of items) {
          assert.equal(item.value, item.key);
          assert.equal(item.version, (await storage.get(item.key))?.version);
        }
        assert.deepEqual(keysOf(await storage.list('')), ['a/1', 'a/3', 'b', 'b/1', 'b/10', 'b/2', 'c']);
        assert.deepEqual(await storage.list('zzz'), []);
      });

      it('pages with after and limit without skipping or repeating', async () => {
        const all = Array.from({ length: 25 }, (_, i) => `p/${String(i).padStart(2, '0')}`);
        for (const key of [...all].reverse()) await mustPut(storage, key, 0);
        await mustPut(storage, 'q/00', 0);
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await storage.list('p/', { limit: 10, ...(after !== undefined && { after }) });
          assert.ok(page.length <= 10);
          if (page.length === 0) break;
          seen.push(...keysOf(page));
          after = page[page.length - 1]?.key;
        }
        assert.deepEqual(seen, all);
        assert.deepEqual(keysOf(await storage.list('p/', { limit: 3 })), ['p/00', 'p/01', 'p/02']);
        assert.deepEqual(keysOf(await storage.list('p/', { after: 'p/22' })), ['p/23', 'p/24']);
        assert.deepEqual(keysOf(await storage.list('p/', { after: 'a' })), all);
      });

      it('treats % and _ in the prefix literally', async () => {
        for (const key of ['50%/a', '50x/b', '500/c', 'a_b/1', 'axb/2', 'a_b', 'a\\b/3'])
          await mustPut(storage, key, 0);
        assert.deepEqual(keysOf(await storage.list('50%')), ['50%/a']);
        assert.deepEqual(keysOf(await storage.list('a_b/')), ['a_b/1']);
        assert.deepEqual(keysOf(await storage.list('a_')), ['a_b', 'a_b/1']);
        assert.deepEqual(keysOf(await storage.list('a\\')), ['a\\b/3']);
      });

      it('matches the prefix case-sensitively', async () => {
        for (const key of ['Alerts/1', 'alerts/2', 'ALERTS/3']) await mustPut(storage, key, 0);
        assert.deepEqual(keysOf(await storage.list('alerts/')), ['alerts/2']);
      });

      it('orders and matches non-ASCII keys by code point, including characters beyond the BMP', async () => {
        const keys = ['u/\uffff', 'u/\u{1f600}', 'u/z', 'u/é', 'u/\u{10ffff}', 'u/\u{10ffff}x', 'v/\u{10ffff}'];
        for (const key of keys) await mustPut(storage, key, 0);
        assert.deepEqual(keysOf(await storage.list('u/')), [
          'u/z',
          'u/é',
          'u/\uffff',
          'u/\u{1f600}',
          'u/\u{10ffff}',
          'u/\u{10ffff}x',
        ]);
        assert.deepEqual(keysOf(await storage.list('u/\u{10ffff}')), ['u/\u{10ffff}', 'u/\u{10ffff}x']);
        assert.deepEqual(keysOf(await storage.list('u/\u{1f600}')), ['u/\u{1f600}']);
      });

      it('rejects a limit that is not a positive integer', async () => {
        await rejectsWithCode(storage.list('a', { limit: 0 }), 'internal');
        await rejectsWithCode(storage.list('a', { limit: 1.5 }), 'internal');
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of two writers holding the same version win', async () => {
        const first = await mustPut<Doc>(storage, 'race/1', { n: 0 });
        const results = await Promise.all([
          storage.put<Doc>('race/1', { n: 1, note: 'left' }, { ifVersion: first.version }),
          storage.put<Doc>('race/1', { n: 1, note: 'right' }, { ifVersion: first.version }),
        ]);
        const winners = results.filter((r) => r.ok);
        assert.equal(winners.length, 1);
        const winner = winners[0];
        assert.ok(winner?.ok);
        assert.deepEqual(await storage.get('race/1'), winner.item);
      });

      it('lets exactly one of many concurrent ifAbsent creators win', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => storage.put('race/new', { by: i }, { ifAbsent: true })),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
      });

      it('shares data and versions with a second handle on the same store, and only one of them wins', async function () {
        const other = openSecond();
        if (!other) return this.skip();
        const first = await mustPut<Doc>(storage, 'race/2', { n: 0 });
        assert.deepEqual(await other.get('race/2'), first);
        const results = await Promise.all([
          storage.put<Doc>('race/2', { n: 1, note: 'one' }, { ifVersion: first.version }),
          other.put<Doc>('race/2', { n: 1, note: 'two' }, { ifVersion: first.version }),
        ]);
        assert.equal(results.filter((r) => r.ok).length, 1);
        const fromOther = await other.get<Doc>('race/2');
        assert.deepEqual(await storage.get('race/2'), fromOther);
        assert.equal(await other.delete('race/2', { ifVersion: first.version }), false);
        assert.ok(fromOther);
        assert.equal(await other.delete('race/2', { ifVersion: fromOther.version }), true);
        assert.equal(await storage.get('race/2'), undefined);
      });
    });

    describe('leases (services/storage/lease.ts over this adapter)', () => {
      it('gives a free lease to exactly one of several instances racing for it', async () => {
        const clock = new ManualClock();
        const handles = [storage, openSecond() ?? storage, openSecond() ?? storage];
        const results = await Promise.all(
          handles.map((s, i) => acquireLease(s, 'lease/poller', `instance-${i}`, 10_000, clock)),
        );
        const holders = results.filter((r) => r !== null);
        assert.equal(holders.length, 1);
        assert.equal((await readLease(storage, 'lease/poller', clock))?.owner, holders[0]?.owner);
      });

      it('refuses a held lease to another owner and hands it over once it lapses', async () => {
        const clock = new ManualClock();
        const other = openSecond() ?? storage;
        const a = await acquireLease(storage, 'lease/sweep', 'a', 10_000, clock);
        assert.ok(a);
        assert.equal(await acquireLease(other, 'lease/sweep', 'b', 10_000, clock), null);
        const renewed = await renewLease(storage, a, 10_000, clock);
        assert.ok(renewed);
        clock.advance(9_000);
        assert.equal(await acquireLease(other, 'lease/sweep', 'b', 10_000, clock), null, 'renewal extended it');
        clock.advance(1_001);
        assert.ok(await acquireLease(other, 'lease/sweep', 'b', 10_000, clock));
      });

      it('stops a holder that lost its lease mid-operation: it cannot renew or release the new holder', async () => {
        const clock = new ManualClock();
        const other = openSecond() ?? storage;
        const a = await acquireLease(storage, 'lease/work', 'a', 5_000, clock);
        assert.ok(a);
        // a stalls past its lease (a long GC pause, a slow page); b takes over.
        clock.advance(5_001);
        const b = await acquireLease(other, 'lease/work', 'b', 5_000, clock);
        assert.ok(b);
        assert.equal(await renewLease(storage, a, 5_000, clock), null);
        await releaseLease(storage, a);
        assert.equal((await readLease(other, 'lease/work', clock))?.owner, 'b');
        assert.ok(await renewLease(other, b, 5_000, clock));
      });
    });

    describe('lifecycle', () => {
      it('answers ping while open', async () => {
        await storage.ping();
      });

      it('throws storage_unavailable from every operation after close, and close is idempotent', async () => {
        await mustPut(storage, 'a/1', 1);
        await storage.close();
        await storage.close();
        await rejectsWithCode(storage.ping(), 'storage_unavailable');
        await rejectsWithCode(storage.get('a/1'), 'storage_unavailable');
        await rejectsWithCode(storage.put('a/1', 2, { overwrite: true }), 'storage_unavailable');
        await rejectsWithCode(storage.delete('a/1'), 'storage_unavailable');
        await rejectsWithCode(storage.list('a/'), 'storage_unavailable');
      });

      it('keeps the store usable through a second handle after the first one closes', async function () {
        const other = openSecond();
        if (!other) return this.skip();
        await mustPut(storage, 'a/1', 1);
        await storage.close();
        assert.equal((await other.get('a/1'))?.value, 1);
      });
    });
  });
}
