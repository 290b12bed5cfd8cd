import assert from 'node:assert/strict';
import { investigationCard } from '../../../cards/investigation.card';
import { signInSchema } from '../../../services/graph/schemas';
import type { Investigation } from '../../../services/identity/investigation';
import { assessMfa } from '../../../services/identity/mfa-verdict';
import { summarizeSignIns } from '../../../services/identity/sign-ins';
import { summarizeUser } from '../../../services/identity/user-summary';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';
import { authenticator, DAY, deviceOnlyTrail, input, NOW, password } from '../services/identity/mfa-fixtures';

const EVIL = '[Verify now](https://evil.example) **urgent**';

function investigation(overrides: Partial<Investigation> = {}): Investigation {
  const mfa = assessMfa(
    input({ methods: [password, authenticator('auth-1', DAY, EVIL)], events: deviceOnlyTrail(DAY, 'auth-1') }),
  );
  const signIn = signInSchema.parse({
    id: 's1',
    createdDateTime: new Date(NOW - 3600_000).toISOString(),
    appDisplayName: EVIL,
    ipAddress: '203.0.113.9',
    status: { errorCode: 0 },
    location: { city: EVIL, countryOrRegion: 'NG' },
  });
  return {
    profile: summarizeUser({
      user: { id: 'u1', userPrincipalName: 'u@example.com', displayName: EVIL, accountEnabled: true },
      directoryRoles: [],
      licenses: [],
    }),
    mfa,
    recentChanges: mfa.trail,
    signIns: { kind: 'read', value: summarizeSignIns([signIn], null, NOW) },
    riskUnavailable: null,
    forwarding: { kind: 'not-checked' },
    ...overrides,
  };
}

describe('investigationCard', () => {
  it('is a valid card; Graph strings (names, apps, cities, devices) appear only in TextRuns', () => {
    const card = investigationCard(investigation(), NOW);
    assert.deepEqual(cardProblems(card), []);
    assert.ok(markdownSurfaces(card).every((s) => !s.includes('evil.example')));
    assert.ok(textRuns(card).filter((t) => t.includes('evil.example')).length >= 3);
  });

  it('says rules and forwarding were not checked, and shows the unfinished registration of the last 7 days', () => {
    const card = investigationCard(investigation(), NOW);
    assert.ok(markdownSurfaces(card).some((s) => s.startsWith('⏳ Not checked yet')));
    assert.ok(markdownSurfaces(card).some((s) => /Registered but not usable/.test(s)));
    assert.ok(textRuns(card).some((t) => t.includes('Authenticator device added')));
  });

  it('names the permission when sign-ins cannot be read', () => {
    const card = investigationCard(
      investigation({ signIns: { kind: 'unavailable', permission: 'AuditLog.Read.All' } }),
      NOW,
    );
    assert.ok(markdownSurfaces(card).some((s) => s.includes('missing AuditLog.Read.All')));
  });
});
