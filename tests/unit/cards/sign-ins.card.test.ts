import assert from 'node:assert/strict';
import { signInsCard, SIGN_INS_SHOWN } from '../../../cards/sign-ins.card';
import { riskyUserSchema, signInSchema } from '../../../services/graph/schemas';
import { summarizeSignIns } from '../../../services/identity/sign-ins';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const EVIL = '[Reset your password](https://example.org/reset)\n\n**Approved by CISO** \u202Egnp.exe';

function signIn(id: string, hoursAgo: number, extra: Record<string, unknown> = {}) {
  return signInSchema.parse({
    id,
    createdDateTime: new Date(NOW - hoursAgo * 3600_000).toISOString(),
    appDisplayName: 'OfficeHome',
    ipAddress: '198.51.100.24',
    clientAppUsed: 'Browser',
    status: { errorCode: 0 },
    location: { city: 'Seattle', countryOrRegion: 'US' },
    deviceDetail: { browser: 'Edge 124.0.0', operatingSystem: 'Windows 10' },
    ...extra,
  });
}

describe('cards/sign-ins.card', () => {
  const signIns = [
    signIn('lagos', 1, {
      location: { city: EVIL, countryOrRegion: 'NG' },
      appDisplayName: EVIL,
      deviceDetail: { browser: EVIL, operatingSystem: 'Linux' },
      ipAddress: '203.0.113.201',
      riskLevelDuringSignIn: 'high',
      riskEventTypes: ['unfamiliarFeatures'],
      authenticationDetails: [
        { authenticationMethod: 'Password', succeeded: true },
        { authenticationMethod: EVIL, succeeded: true },
      ],
    }),
    signIn('fail', 1.5, { status: { errorCode: 50126, failureReason: EVIL } }),
    ...Array.from({ length: 12 }, (_, i) => signIn(`s${i}`, 2 + i)),
  ];
  const risky = riskyUserSchema.parse({ id: 'u1', riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' });
  const summary = summarizeSignIns(signIns, risky, NOW);
  const card = signInsCard(
    { user: { displayName: EVIL, userPrincipalName: 'risky@example.com' }, risk: { kind: 'read', riskyUser: risky } },
    summary,
    NOW,
  );
  const json = JSON.stringify(card);

  it('is a valid Adaptive Card', () => assert.deepEqual(cardProblems(card), []));

  it('renders untrusted strings (names, apps, user agents, locations, reasons, MFA method) literally', () => {
    const surfaces = markdownSurfaces(card).join('\n');
    for (const needle of ['Reset your password', 'risky@example.com', '203.0.113.201', 'OfficeHome']) {
      assert.ok(!surfaces.includes(needle), `${needle} found in a markdown surface`);
    }
    const runs = textRuns(card);
    assert.ok(runs.some((r) => r.startsWith('[Reset your password](https://example.org/reset)  **Approved by CISO**')));
    assert.ok(
      runs.every((r) => !/[\n\u202e]/.test(r)),
      'no newlines or bidi controls',
    );
  });

  it('states the verdict, the new country, the risk, the explained error and the MFA method', () => {
    assert.match(json, /Worth a look/);
    assert.match(json, /Sign-in from a new country: /);
    assert.match(json, /"text":"NG"/);
    assert.match(json, /atRisk, high risk/);
    assert.match(visibleLines(card).join('\n'), /Wrong user name or password \(50126\)/);
    assert.match(json, /"text":"MFA: "/);
  });

  it(`lists at most ${SIGN_INS_SHOWN} sign-ins but counts them all`, () => {
    assert.match(json, new RegExp(`Newest ${SIGN_INS_SHOWN} sign-ins`));
    assert.match(json, /14 read: 13 succeeded, 1 failed/);
  });

  it('names the missing permission when Identity Protection cannot be read', () => {
    const c = JSON.stringify(
      signInsCard(
        {
          user: { displayName: null, userPrincipalName: 'a@example.com' },
          risk: { kind: 'unavailable', permission: 'IdentityRiskyUser.Read.All' },
        },
        summarizeSignIns([], null, NOW),
        NOW,
      ),
    );
    assert.match(c, /Can't tell: the bot cannot read Identity Protection/);
    assert.match(c, /IdentityRiskyUser\.Read\.All/);
    assert.match(c, /No sign-ins in the log/);
  });
});
