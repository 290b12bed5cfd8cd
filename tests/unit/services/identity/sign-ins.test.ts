import assert from 'node:assert/strict';
import { signInSchema, riskyUserSchema, type RiskyUser, type SignIn } from '../../../../services/graph/schemas';
import { explainSignInError } from '../../../../services/identity/sign-in-errors';
import { mfaMethodOf, summarizeSignIns } from '../../../../services/identity/sign-ins';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3600_000;

function signIn(id: string, hoursAgo: number, country: string | null, extra: Record<string, unknown> = {}): SignIn {
  return signInSchema.parse({
    id,
    createdDateTime: new Date(NOW - hoursAgo * HOUR).toISOString(),
    appDisplayName: 'OfficeHome',
    ipAddress: '198.51.100.24',
    clientAppUsed: 'Browser',
    status: { errorCode: 0, failureReason: null },
    location: country === null ? null : { city: 'Somewhere', countryOrRegion: country },
    riskLevelDuringSignIn: 'none',
    ...extra,
  });
}

function failed(id: string, hoursAgo: number, country: string, code = 50126): SignIn {
  return signIn(id, hoursAgo, country, { status: { errorCode: code, failureReason: 'Invalid username or password.' } });
}

function risky(level: string, state: string): RiskyUser {
  return riskyUserSchema.parse({ id: 'u1', riskLevel: level, riskState: state, riskDetail: 'none' });
}

describe('services/identity/sign-ins', () => {
  describe('summarizeSignIns: verdict table', () => {
    const cases: {
      name: string;
      signIns: SignIn[];
      risky: RiskyUser | null;
      verdict: 'attention' | 'normal' | 'none';
      concerns: string[];
      usual: string[];
      fresh: string[];
    }[] = [
      { name: 'no sign-ins, not risky', signIns: [], risky: null, verdict: 'none', concerns: [], usual: [], fresh: [] },
      {
        name: 'no sign-ins but an open risk',
        signIns: [],
        risky: risky('high', 'atRisk'),
        verdict: 'attention',
        concerns: ['user-at-risk'],
        usual: [],
        fresh: [],
      },
      {
        name: 'one country, all fine',
        signIns: [signIn('a', 1, 'US'), signIn('b', 5, 'US'), signIn('c', 30, 'US')],
        risky: null,
        verdict: 'normal',
        concerns: [],
        usual: ['US'],
        fresh: [],
      },
      {
        // The seeded risky@example.com: Seattle 2 h ago, Lagos 1 h ago with high sign-in risk, user atRisk/high.
        name: 'risky demo user: Seattle then Lagos',
        signIns: [signIn('lagos', 1, 'NG', { riskLevelDuringSignIn: 'high' }), signIn('seattle', 2, 'US')],
        risky: risky('high', 'atRisk'),
        verdict: 'attention',
        concerns: ['user-at-risk', 'risky-sign-in', 'new-country'],
        usual: ['US'],
        fresh: ['NG'],
      },
      {
        name: 'remediated risk is history, not a concern',
        signIns: [signIn('a', 1, 'US')],
        risky: risky('none', 'remediated'),
        verdict: 'normal',
        concerns: [],
        usual: ['US'],
        fresh: [],
      },
      {
        name: 'a country with two successes is usual even if newer than the baseline',
        signIns: [signIn('a', 1, 'GB'), signIn('b', 2, 'GB'), signIn('c', 50, 'US')],
        risky: null,
        verdict: 'normal',
        concerns: [],
        usual: ['GB', 'US'],
        fresh: [],
      },
      {
        name: 'failures from a country never succeeded from are new',
        signIns: [failed('f1', 1, 'NL'), signIn('a', 3, 'US')],
        risky: null,
        verdict: 'attention',
        concerns: ['new-country'],
        usual: ['US'],
        fresh: ['NL'],
      },
      {
        name: 'a burst of failures in 24 h',
        signIns: [1, 2, 3, 4, 5].map((h) => failed(`f${h}`, h, 'US')).concat(signIn('ok', 30, 'US')),
        risky: null,
        verdict: 'attention',
        concerns: ['failure-burst'],
        usual: ['US'],
        fresh: [],
      },
      {
        name: 'MFA interrupts are neither failures nor concerns',
        signIns: [signIn('i', 1, 'US', { status: { errorCode: 50074 } }), signIn('a', 2, 'US')],
        risky: null,
        verdict: 'normal',
        concerns: [],
        usual: ['US'],
        fresh: [],
      },
      {
        name: 'no location at all',
        signIns: [signIn('a', 1, null)],
        risky: null,
        verdict: 'normal',
        concerns: [],
        usual: [],
        fresh: [],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const s = summarizeSignIns(c.signIns, c.risky, NOW);
        assert.equal(s.verdict, c.verdict);
        assert.deepEqual([...new Set(s.concerns.map((x) => x.kind))], c.concerns);
        assert.deepEqual(s.usualCountries, c.usual);
        assert.deepEqual(s.newCountries, c.fresh);
      });
    }
  });

  it('sorts newest first, counts results and explains errors', () => {
    const s = summarizeSignIns(
      [
        failed('old', 10, 'US', 500121),
        signIn('new', 1, 'US'),
        signIn('mid', 5, 'US', { status: { errorCode: 50076 } }),
      ],
      null,
      NOW,
    );
    assert.deepEqual(
      s.signIns.map((v) => v.id),
      ['new', 'mid', 'old'],
    );
    assert.equal(s.successes, 1);
    assert.equal(s.failures, 1);
    assert.equal(s.interrupted, 1);
    assert.equal(s.lastSuccess?.id, 'new');
    assert.match(s.signIns[2]?.explanation ?? '', /MFA failed/);
    assert.equal(s.signIns[2]?.failureReason, 'Invalid username or password.');
    assert.equal(s.signIns[0]?.failureReason, null);
  });

  it('marks only sign-ins from new countries', () => {
    const s = summarizeSignIns([signIn('lagos', 1, 'NG'), signIn('seattle', 2, 'US')], null, NOW);
    assert.deepEqual(
      s.signIns.map((v) => [v.id, v.newCountry]),
      [
        ['lagos', true],
        ['seattle', false],
      ],
    );
  });

  it('ignores failures older than 24 h for the burst', () => {
    const s = summarizeSignIns(
      [1, 2, 3, 4].map((h) => failed(`f${h}`, h, 'US')).concat(failed('old', 30, 'US')),
      null,
      NOW,
    );
    assert.ok(!s.concerns.some((c) => c.kind === 'failure-burst'));
  });

  describe('mfaMethodOf', () => {
    const cases: { name: string; extra: Record<string, unknown>; expected: string | null }[] = [
      { name: 'no details', extra: {}, expected: null },
      {
        name: 'password then Authenticator',
        extra: {
          authenticationDetails: [
            { authenticationMethod: 'Password', succeeded: true },
            { authenticationMethod: 'Mobile app notification', succeeded: true },
          ],
        },
        expected: 'Mobile app notification',
      },
      {
        name: 'a failed second factor is not the method used',
        extra: {
          authenticationDetails: [
            { authenticationMethod: 'Password', succeeded: true },
            { authenticationMethod: 'Text message', succeeded: false },
          ],
        },
        expected: null,
      },
      {
        name: 'previously satisfied',
        extra: { authenticationDetails: [{ authenticationMethod: 'Previously satisfied', succeeded: true }] },
        expected: 'Previously satisfied (MFA claim in the token)',
      },
      { name: "beta's mfaDetail", extra: { mfaDetail: { authMethod: 'PhoneAppOTP' } }, expected: 'PhoneAppOTP' },
      { name: 'malformed details are ignored', extra: { authenticationDetails: 'oops' }, expected: null },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(mfaMethodOf(signIn('x', 1, 'US', c.extra)), c.expected));
    }
  });

  it('explains error codes, quoting unknown ones', () => {
    assert.equal(explainSignInError(0, null).kind, 'success');
    assert.equal(explainSignInError(50126, null).kind, 'failure');
    assert.equal(explainSignInError(50074, null).kind, 'interrupted');
    assert.equal(explainSignInError(53003, null).explanation, 'Blocked by Conditional Access');
    assert.deepEqual(explainSignInError(99999, 'Weird'), { kind: 'failure', explanation: 'Error 99999' });
    assert.equal(explainSignInError(null, null).kind, 'failure');
  });
});
