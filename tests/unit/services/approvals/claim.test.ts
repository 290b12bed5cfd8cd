import assert from 'node:assert/strict';
import { createApprovalStore, type ApprovalStore } from '../../../../services/approvals/approval-store';
import { claimLapsed, claimRequest, type HeldClaim } from '../../../../services/approvals/claim';
import type { ApprovalRecord } from '../../../../services/approvals/types';
import { CodedError, isCodedError } from '../../../../services/errors';
import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { record, STARTED } from './fakes';

const TTL = 30_000;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Retry waits (no signal) pass at once and are recorded; the renewal loop's sleep (with a signal) waits for advance(). */
class RetryClock extends ManualClock {
  readonly retryWaits: number[] = [];
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal) return super.sleep(ms, signal);
    this.retryWaits.push(ms);
    return Promise.resolve();
  }
}

/** An approval store whose replace can be made to fail; counts the replaces that reached storage. */
function setup() {
  const clock = new RetryClock(STARTED);
  const inner = createApprovalStore(createMemoryStorage(createMemoryStore()));
  const failures: Error[] = [];
  let replaces = 0;
  const store: ApprovalStore = {
    ...inner,
    replace: (next, version) => {
      const failure = failures.shift();
      if (failure) return Promise.reject(failure);
      replaces++;
      return inner.replace(next, version);
    },
  };
  const approved = async (): Promise<{ value: ApprovalRecord; version: string }> => {
    const entry = record([{ kind: 'revoke' }], {
      state: 'approved',
      decision: { kind: 'approved', by: { aadObjectId: 'approver', name: 'Megan' }, at: STARTED },
      expiresAt: STARTED + 3_600_000,
    });
    delete entry.execution;
    const created = await inner.create(entry);
    assert.ok(created.ok);
    return { value: entry, version: created.item.version };
  };
  const stored = async (): Promise<ApprovalRecord | undefined> => (await inner.get('a1'))?.value;
  const claim = async (owner = 'w1'): Promise<HeldClaim> => {
    const { value, version } = await approved();
    const held = await claimRequest({ store, clock, owner, ttlMs: TTL }, value, version);
    assert.ok(held);
    return held;
  };
  const unavailable = (): CodedError => new CodedError('storage_unavailable', 'busy (test)');
  return { clock, inner, store, failures, replaces: () => replaces, approved, stored, claim, unavailable };
}

async function lostClaim(work: Promise<unknown>): Promise<CodedError> {
  const error = await work.then(
    () => assert.fail('expected approval_claim_lost'),
    (e: unknown) => e,
  );
  assert.ok(isCodedError(error, 'approval_claim_lost'), String(error));
  assert.equal(error.details.approvalId, 'a1');
  return error;
}

describe('approvals/claim: one worker holds an approved request, fenced before every write', () => {
  it('claimLapsed: a claim lapses at its expiry, not a millisecond before; no claim counts as lapsed', () => {
    const r = record([{ kind: 'revoke' }], { claim: { owner: 'w', expiresAt: STARTED + TTL } });
    assert.equal(claimLapsed(r, STARTED + TTL - 1), false);
    assert.equal(claimLapsed(r, STARTED + TTL), true);
    assert.equal(claimLapsed(record([{ kind: 'revoke' }]), STARTED), true);
  });

  it('the claim is stored as executing, owned, with its expiry and an empty execution started now', async () => {
    const s = setup();
    const held = await s.claim('worker-a');
    const stored = await s.stored();
    assert.equal(stored?.state, 'executing');
    assert.deepEqual(stored?.claim, { owner: 'worker-a', expiresAt: STARTED + TTL });
    assert.deepEqual(stored?.execution, { startedAt: STARTED, results: [] });
    assert.deepEqual(held.record, stored);
    held.release();
  });

  it('of two claims on the same version only the first wins; the loser gets null and writes nothing', async () => {
    const s = setup();
    const { value, version } = await s.approved();
    const a = await claimRequest({ store: s.store, clock: s.clock, owner: 'a', ttlMs: TTL }, value, version);
    const b = await claimRequest({ store: s.store, clock: s.clock, owner: 'b', ttlMs: TTL }, value, version);
    assert.ok(a);
    assert.equal(b, null);
    assert.equal((await s.stored())?.claim?.owner, 'a');
    a.release();
  });

  it('fence and save renew the claim from the time of the write; save stores the change', async () => {
    const s = setup();
    const held = await s.claim();
    s.clock.advance(1_000);
    await held.fence();
    assert.equal((await s.stored())?.claim?.expiresAt, STARTED + 1_000 + TTL);
    await held.save((r) => ({ ...r, justification: 'progress' }));
    const stored = await s.stored();
    assert.equal(stored?.justification, 'progress');
    assert.equal(held.record.justification, 'progress');
    held.release();
  });

  it('the claim is renewed in the background every third of its lifetime until released', async () => {
    const s = setup();
    const held = await s.claim();
    s.clock.advance(TTL / 3);
    await flush();
    assert.equal((await s.stored())?.claim?.expiresAt, STARTED + TTL / 3 + TTL);
    s.clock.advance(TTL / 3);
    await flush();
    assert.equal((await s.stored())?.claim?.expiresAt, STARTED + (2 * TTL) / 3 + TTL);
    held.release();
    const writes = s.replaces();
    s.clock.advance(TTL);
    await flush();
    assert.equal(s.replaces(), writes, 'no renewal after release');
  });

  it('a claim that lapsed (the process stalled) is lost: the fence throws before the write and keeps throwing', async () => {
    const s = setup();
    const held = await s.claim();
    held.release();
    s.clock.advance(TTL);
    const error = await lostClaim(held.fence());
    assert.match(error.message, /lease lapsed/);
    const writes = s.replaces();
    await lostClaim(held.save((r) => r));
    assert.equal(s.replaces(), writes, 'nothing is written once the claim is lost');
    assert.equal(await held.finish({ ...held.record, state: 'done' }), false);
    assert.equal((await s.stored())?.state, 'executing', 'the outcome is left to whoever settles it by reading');
  });

  it('a record changed by another worker loses the claim: no further write is attempted, finish is refused', async () => {
    const s = setup();
    const held = await s.claim();
    const other = await s.inner.get('a1');
    assert.ok(other);
    assert.ok(
      (await s.inner.replace({ ...other.value, claim: { owner: 'w2', expiresAt: STARTED + TTL } }, other.version)).ok,
    );
    const error = await lostClaim(held.fence());
    assert.match(error.message, /changed by another worker/);
    const writes = s.replaces();
    await lostClaim(held.fence());
    assert.equal(s.replaces(), writes, 'a lost claim does not try again');
    assert.equal(await held.finish({ ...held.record, state: 'done' }), false);
    assert.equal(s.replaces(), writes);
    assert.equal((await s.stored())?.claim?.owner, 'w2');
  });

  it('the background renewal that finds the claim lapsed stops the execution at its next fence', async () => {
    const s = setup();
    const held = await s.claim();
    s.clock.advance(TTL + TTL / 3);
    await flush();
    await lostClaim(held.fence());
    held.release();
  });

  it('a briefly unavailable store is retried (500 ms, then 1 s) while the claim lives; the write then lands', async () => {
    const s = setup();
    const held = await s.claim();
    s.failures.push(s.unavailable(), s.unavailable());
    await held.fence();
    assert.deepEqual(s.clock.retryWaits, [500, 1_000]);
    assert.equal((await s.stored())?.claim?.expiresAt, STARTED + TTL);
    held.release();
  });

  it('a store still unavailable after three attempts surfaces storage_unavailable', async () => {
    const s = setup();
    const held = await s.claim();
    s.failures.push(s.unavailable(), s.unavailable(), s.unavailable(), s.unavailable());
    await assert.rejects(held.fence(), (e: unknown) => isCodedError(e, 'storage_unavailable'));
    assert.deepEqual(s.clock.retryWaits, [500, 1_000]);
    assert.equal(s.failures.length, 1, 'no fourth attempt');
    held.release();
  });

  it('other storage errors, and unavailability within a second of expiry, are not retried', async () => {
    const s = setup();
    const held = await s.claim();
    s.failures.push(new CodedError('internal', 'disk full (test)'));
    await assert.rejects(held.fence(), (e: unknown) => isCodedError(e, 'internal'));
    assert.deepEqual(s.clock.retryWaits, []);
    held.release();

    const t = setup();
    const late = await t.claim();
    late.release();
    t.clock.advance(TTL - 1_000);
    t.failures.push(t.unavailable(), t.unavailable());
    await assert.rejects(late.fence(), (e: unknown) => isCodedError(e, 'storage_unavailable'));
    assert.deepEqual(t.clock.retryWaits, []);

    const u = setup();
    const early = await u.claim();
    early.release();
    u.clock.advance(TTL - 1_001);
    u.failures.push(u.unavailable());
    await early.fence();
    assert.deepEqual(u.clock.retryWaits, [500]);
  });

  it('finish stores the terminal record without a claim and stops the renewal', async () => {
    const s = setup();
    const held = await s.claim();
    assert.equal(await held.finish({ ...held.record, state: 'done' }), true);
    const stored = await s.stored();
    assert.equal(stored?.state, 'done');
    assert.equal(stored?.claim, undefined);
    assert.equal(held.record.claim, undefined);
    const writes = s.replaces();
    s.clock.advance(TTL);
    await flush();
    assert.equal(s.replaces(), writes, 'a finished claim is not renewed');
  });

  it('finish is refused when another worker changed the record in between', async () => {
    const s = setup();
    const held = await s.claim();
    held.release();
    const other = await s.inner.get('a1');
    assert.ok(other);
    assert.ok((await s.inner.replace({ ...other.value, state: 'failed' }, other.version)).ok);
    assert.equal(await held.finish({ ...held.record, state: 'done' }), false);
    assert.equal((await s.stored())?.state, 'failed');
  });
});
