import assert from 'node:assert/strict';
import {
  judgeConsumerAccount,
  type CredentialType,
  type LookupResult,
  type UserRealm,
} from '../../../../services/identity/consumer-account';
import { createConsumerAccountLookup, type LoginFetch } from '../../../../services/identity/consumer-account-lookup';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const ok = <T>(value: T): LookupResult<T> => ({ kind: 'ok', value });
const down: LookupResult<never> = { kind: 'failed', reason: 'timeout' };
const gct = (ifExists: number, extra: Partial<CredentialType> = {}): LookupResult<CredentialType> =>
  ok({ IfExistsResult: ifExists, ThrottleStatus: 0, EstsProperties: { DomainType: 3 }, ...extra });
const realm = (msa: number | string, ns = 'Managed'): LookupResult<UserRealm> =>
  ok({ NameSpaceType: ns, MicrosoftAccount: msa });

describe('services/identity/consumer-account', () => {
  const cases: [string, LookupResult<CredentialType>, LookupResult<UserRealm>, string, string[]?][] = [
    ['both (IfExistsResult 6): consumer@example.com', gct(6), realm(0), 'both'],
    ['personal only (5)', gct(5, { EstsProperties: { DomainType: 2 } }), realm(0, 'Unknown'), 'personal-only'],
    ['work only (0)', gct(0), realm(1), 'work-only'],
    ['nowhere (1)', gct(1, { EstsProperties: { DomainType: 1 } }), realm(1, 'Unknown'), 'neither'],
    ['userrealm alone says yes ("0" as a string)', down, realm('0'), 'both'],
    ['GetCredentialType alone says no', gct(0), down, 'work-only'],
    ['throttled (ThrottleStatus 1)', gct(0, { ThrottleStatus: 1 }), down, 'cant-tell', ['throttled']],
    ['throttled (IfExistsResult 2)', gct(2), realm(1), 'cant-tell', ['throttled']],
    [
      'federated domain answers 0 for everyone',
      gct(0, { EstsProperties: { DomainType: 4 } }),
      realm(1, 'Federated'),
      'cant-tell',
      ['federated'],
    ],
    ['federated, but userrealm says yes', gct(0, { EstsProperties: { DomainType: 4 } }), realm(0, 'Federated'), 'both'],
    ['both endpoints down', down, down, 'cant-tell', ['unreachable']],
    ['GetCredentialType down, userrealm says no', down, realm(1), 'cant-tell', ['unreachable']],
    ['error (4)', gct(4), down, 'cant-tell', ['error']],
    ['unknown (-1)', gct(-1), realm(1), 'cant-tell', ['unknown-answer']],
  ];
  for (const [name, credential, userRealm, kind, why] of cases) {
    it(name, () => {
      const check = judgeConsumerAccount('a@example.com', credential, userRealm);
      assert.equal(check.verdict.kind, kind);
      if (why) assert.deepEqual(check.verdict.kind === 'cant-tell' ? check.verdict.why : [], why);
    });
  }

  describe('createConsumerAccountLookup', () => {
    function fakeLogin(answers: { gct: () => Promise<{ status: number; body: unknown }> }) {
      const calls: { url: string; body?: string; headers: Record<string, string> }[] = [];
      const fetchImpl: LoginFetch = async (url, init) => {
        calls.push({ url, ...(init.body ? { body: init.body } : {}), headers: init.headers });
        const answer = url.includes('GetCredentialType')
          ? await answers.gct()
          : { status: 200, body: { NameSpaceType: 'Managed', MicrosoftAccount: 1 } };
        return { status: answer.status, text: () => Promise.resolve(JSON.stringify(answer.body)) };
      };
      return { calls, fetchImpl };
    }

    it('asks both endpoints without a token, then answers from the cache', async () => {
      const clock = new ManualClock();
      const { calls, fetchImpl } = fakeLogin({
        gct: () => Promise.resolve({ status: 200, body: { IfExistsResult: 6, ThrottleStatus: 0 } }),
      });
      const lookup = createConsumerAccountLookup({
        baseUrl: 'https://login.example/',
        clock,
        logger: createRecordingLogger(),
        fetch: fetchImpl,
      });
      const first = await lookup.check('Consumer@Example.com');
      assert.equal(first.verdict.kind, 'both');
      assert.equal(first.cached, false);
      assert.deepEqual(
        calls.map((c) => c.url),
        [
          'https://login.example/common/GetCredentialType',
          'https://login.example/common/userrealm?api-version=2.1&user=consumer%40example.com',
        ],
      );
      assert.deepEqual(JSON.parse(calls[0]?.body ?? '{}'), {
        username: 'consumer@example.com',
        isOtherIdpSupported: true,
      });
      assert.ok(calls.every((c) => !Object.keys(c.headers).some((h) => h.toLowerCase() === 'authorization')));
      const second = await lookup.check('consumer@example.com');
      assert.equal(second.cached, true);
      assert.equal(calls.length, 2);
      clock.advance(3600_001);
      await lookup.check('consumer@example.com');
      assert.equal(calls.length, 4, 'the cache expires');
    });

    it("does not cache can't tell, and treats a hung endpoint as a timeout", async () => {
      const clock = new ManualClock();
      let hang = true;
      const { calls, fetchImpl } = fakeLogin({
        gct: () =>
          hang
            ? new Promise(() => undefined)
            : Promise.resolve({
                status: 200,
                body: { IfExistsResult: 0, ThrottleStatus: 0, EstsProperties: { DomainType: 3 } },
              }),
      });
      const timed: LoginFetch = (url, init) =>
        Promise.race([
          fetchImpl(url, init),
          new Promise<never>((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted')))),
        ]);
      const lookup = createConsumerAccountLookup({
        baseUrl: 'https://login.example',
        clock,
        logger: createRecordingLogger(),
        fetch: timed,
        timeoutMs: 20,
      });
      const first = await lookup.check('a@example.com');
      assert.deepEqual(first.verdict, { kind: 'cant-tell', why: ['unreachable'] });
      hang = false;
      const second = await lookup.check('a@example.com');
      assert.equal(second.verdict.kind, 'work-only');
      assert.equal(second.cached, false);
      assert.equal(calls.length, 4);
    });

    it('throttled answers are asked again next time', async () => {
      const clock = new ManualClock();
      const { calls, fetchImpl } = fakeLogin({
        gct: () => Promise.resolve({ status: 200, body: { IfExistsResult: 0, ThrottleStatus: 1 } }),
      });
      const lookup = createConsumerAccountLookup({
        baseUrl: 'https://login.example',
        clock,
        logger: createRecordingLogger(),
        fetch: fetchImpl,
      });
      assert.equal((await lookup.check('a@example.com')).verdict.kind, 'cant-tell');
      await lookup.check('a@example.com');
      assert.equal(calls.length, 4);
    });
  });
});
