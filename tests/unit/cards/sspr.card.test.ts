import assert from 'node:assert/strict';
import { ssprCard } from '../../../cards/sspr.card';
import { userRegistrationDetailsSchema } from '../../../services/graph/schemas';
import { summarizeSspr } from '../../../services/identity/sspr';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';
import { ssprRecord, T0 } from '../services/identity/sspr-records';

const NOW = T0 + 3600_000;
const EVIL = '[Reset your password](https://example.org/reset)\n**Approved by CISO** \u202Egnp.exe';

describe('cards/sspr.card', () => {
  const report = summarizeSspr(
    userRegistrationDetailsSchema.parse({
      id: 'u1',
      userPrincipalName: 'sspr.user@example.com',
      isSsprEnabled: true,
      methodsRegistered: [EVIL],
    }),
    [
      ssprRecord('User submitted their user ID', { at: T0, ip: EVIL }),
      ssprRecord(
        "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
        { at: T0 + 4_000, result: 'failure' },
      ),
      ssprRecord(EVIL, { at: T0 - 90_000_000, correlationId: 'c-evil' }),
    ],
  );
  const card = ssprCard({ displayName: EVIL, userPrincipalName: 'sspr.user@example.com' }, report, NOW);
  const json = JSON.stringify(card);

  it('is a valid Adaptive Card', () => assert.deepEqual(cardProblems(card), []));

  it('renders names, methods, reasons and IPs literally', () => {
    const surfaces = markdownSurfaces(card).join('\n');
    assert.ok(!surfaces.includes('Reset your password'));
    assert.ok(!surfaces.includes('sspr.user@example.com'));
    assert.ok(textRuns(card).some((r) => r.includes('[Reset your password](https://example.org/reset) **Approved')));
  });

  it('shows the status, each attempt with its steps, IP and outcome, and the next steps', () => {
    assert.match(json, /Enabled but not registered/);
    assert.match(json, /SSPR attempts: 2 in the last 30 days/);
    assert.match(json, /Failed → told to contact an admin/);
    assert.match(json, /not enough authentication methods registered/);
    assert.match(json, /User submitted their user ID/);
    assert.match(json, /Verify the user out of band/);
    assert.match(json, /"command":"tap","args":"sspr.user@example.com"/);
  });

  it('says so when there are no attempts', () => {
    const quiet = JSON.stringify(
      ssprCard({ displayName: null, userPrincipalName: 'q@example.com' }, summarizeSspr(null, []), NOW),
    );
    assert.match(quiet, /No SSPR attempts in the audit log/);
    assert.match(quiet, /Can't tell: the registration report has no row/);
    assert.doesNotMatch(quiet, /reset-password/);
  });
});
