import assert from 'node:assert/strict';
import { executeRequest } from '../../../../services/approvals/executor';
import type { TenantPort } from '../../../../services/approvals/ports';
import type { PlannedStep } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import { SkippingClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, recordingSecrets } from './fakes';

const unknown = (status: number | null, retryAfterMs?: number): CodedError =>
  new CodedError('graph_outcome_unknown', 'lost answer', {
    ...(status === null ? { reason: 'timeout' } : { status, requestId: `req-${status}` }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

/**
 * Wraps one write of the fake tenant: the first answers are replaced by unknown-outcome errors; `applied` says
 * whether the write took effect anyway (a 504 on a POST that succeeded).
 */
function flaky<K extends keyof TenantPort>(
  base: ReturnType<typeof fakeTenant>,
  name: K,
  errors: { error: CodedError; applied: boolean }[],
): { calls: () => number } {
  const real = base.tenant[name] as (...args: unknown[]) => Promise<unknown>;
  let calls = 0;
  (base.tenant as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
    calls++;
    const next = errors.shift();
    if (!next) return real(...args);
    if (next.applied) await real(...args);
    throw next.error;
  };
  return { calls: () => calls };
}

async function run(steps: PlannedStep[], base: ReturnType<typeof fakeTenant>, secrets = noSecrets) {
  const clock = new SkippingClock();
  const fences: number[] = [];
  const out = await executeRequest(
    record(steps),
    { tenant: base.tenant, secrets, policy, clock, random: () => 0.5, generatePassword: () => 'Pw-1234-abcd!' },
    { fence: () => Promise.resolve(void fences.push(clock.now())), persist: noHooks.persist },
  );
  return { out, clock, fences };
}

// reliability-security.md §8 rows 26, 27, 28: one logical write, unknown outcomes resolved by reading.
describe('approvals/guarded writes: never replayed blind, resolved by re-reading', () => {
  it('row 28: a 504 on a POST that took effect is not sent again; the re-read confirms it', async () => {
    const base = fakeTenant();
    const revoke = flaky(base, 'revokeSessions', [{ error: unknown(504), applied: true }]);
    const { out } = await run([{ kind: 'revoke' }], base);
    assert.equal(revoke.calls(), 1, 'no second revokeSignInSessions');
    assert.deepEqual(base.writes, ['revoke']);
    assert.equal(out.state, 'done');
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read']);
    assert.deepEqual(out.results[0]?.requestIds, ['req-504']);
  });

  it('row 26: a 429 with Retry-After 3 s: waits 3 s, re-reads, sends once more, one logical action, retry recorded', async () => {
    const base = fakeTenant({}, { accountEnabled: true });
    flaky(base, 'setAccountEnabled', [{ error: unknown(429, 3_000), applied: false }]);
    const { out, clock, fences } = await run([{ kind: 'disable' }], base);
    assert.deepEqual(base.writes, ['enabled=false']);
    assert.equal(out.state, 'done');
    assert.ok(clock.sleeps.includes(3_000), `waits: ${clock.sleeps.join(',')}`);
    assert.equal(fences.length, 2, 'the claim is checked before each attempt');
    assert.ok((fences[1] ?? 0) - (fences[0] ?? 0) >= 3_000, 'the second attempt came after the Retry-After');
    assert.deepEqual(out.retries, [{ step: 'disable', reason: 'throttled', status: 429, waitMs: 3_000 }]);
  });

  it('row 27: 503 three times, then 200: succeeds on the fourth attempt, a re-read before each retry', async () => {
    const base = fakeTenant();
    const errors = [unknown(503), unknown(503), unknown(503)].map((error) => ({ error, applied: false }));
    const calls = flaky(base, 'setRuleEnabled', errors);
    let reads = 0;
    const getRule = base.tenant.getRule.bind(base.tenant);
    base.tenant.getRule = (u, r) => (reads++, getRule(u, r));
    const { out } = await run([{ kind: 'disable-rule', ruleId: 'r1' }], base);
    assert.equal(calls.calls(), 4);
    assert.deepEqual(base.writes, ['rule=false']);
    assert.equal(out.state, 'done');
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'verified']);
    // One read before (the rule's state), one re-read per unknown outcome, one verification.
    assert.equal(reads, 1 + 3 + 1);
    assert.equal(out.retries?.length, 3);
  });

  it('row 27: 503 four times: "failed, retryable", nothing changed, no fifth attempt', async () => {
    const base = fakeTenant();
    const errors = [1, 2, 3, 4].map(() => ({ error: unknown(503), applied: false }));
    const calls = flaky(base, 'setAccountEnabled', errors);
    const { out } = await run([{ kind: 'disable' }], base);
    assert.equal(calls.calls(), 4);
    assert.equal(base.user.accountEnabled, true, 'no partial state');
    assert.equal(out.state, 'failed');
    assert.deepEqual(out.results[0]?.reasons, ['not-applied-retryable']);
    assert.equal(out.results[0]?.errorCode, 'graph_outcome_unknown');
  });

  it('a password reset whose answer was lost is not sent twice: the re-read finds it, the same password is delivered', async () => {
    const base = fakeTenant();
    const secrets = recordingSecrets();
    flaky(base, 'setPassword', [{ error: unknown(null), applied: true }]);
    const { out } = await run([{ kind: 'reset-password' }], base, secrets);
    assert.deepEqual(base.writes, ['password=Pw-1234-abcd!']);
    assert.deepEqual(
      secrets.sent.map((s) => s.secret),
      ['Pw-1234-abcd!'],
    );
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read', 'delivered']);
    assert.deepEqual(out.retries?.[0], { step: 'reset-password', reason: 'timeout', status: null, waitMs: 1_500 });
  });

  it('a password reset that did not take effect is retried with the same password', async () => {
    const base = fakeTenant();
    const secrets = recordingSecrets();
    flaky(base, 'setPassword', [{ error: unknown(502), applied: false }]);
    await run([{ kind: 'reset-password' }], base, secrets);
    assert.deepEqual(base.writes, ['password=Pw-1234-abcd!']);
    assert.equal(secrets.sent.length, 1);
  });

  it('a TAP is never created twice: listed first; an existing TAP refuses, a lost answer is found by listing', async () => {
    const existing = fakeTenant();
    await existing.tenant.createTap('u1');
    existing.writes.length = 0;
    const refused = await run([{ kind: 'tap' }], existing, recordingSecrets());
    assert.deepEqual(existing.writes, []);
    assert.deepEqual(refused.out.results[0]?.reasons, ['tap-exists']);

    const base = fakeTenant();
    const secrets = recordingSecrets();
    const create = flaky(base, 'createTap', [{ error: unknown(429, 1_000), applied: true }]);
    const { out } = await run([{ kind: 'tap' }], base, secrets);
    assert.equal(create.calls(), 1, 'no second TAP');
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read', 'secret-lost']);
    assert.equal(out.results[0]?.ok, false);
    assert.deepEqual(secrets.sent, [], 'no pass we do not know is announced');
  });

  it('a lost claim stops the step before its write (the fence throws)', async () => {
    const base = fakeTenant();
    const lost = new CodedError('approval_claim_lost', 'lost');
    await assert.rejects(
      executeRequest(
        record([{ kind: 'revoke' }, { kind: 'disable' }]),
        { tenant: base.tenant, secrets: noSecrets, policy, clock: new SkippingClock() },
        { fence: () => Promise.reject(lost), persist: noHooks.persist },
      ),
      (err: unknown) => err === lost,
    );
    assert.deepEqual(base.writes, []);
  });
});
