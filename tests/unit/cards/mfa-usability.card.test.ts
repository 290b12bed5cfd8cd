import assert from 'node:assert/strict';
import { mfaUsabilityCard, verdictHeadline } from '../../../cards/mfa-usability.card';
import { assessMfa } from '../../../services/identity/mfa-verdict';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';
import {
  authenticator,
  DAY,
  deviceOnlyTrail,
  GLOBAL_ADMIN,
  input,
  NOW,
  password,
  phishingResistantPolicy,
  phone,
  report,
  verifiedTrail,
} from '../services/identity/mfa-fixtures';

const EVIL = '[Reset your password](https://evil.example)\u202e **x**';

function buttons(card: object): { title: string; args: string; command: string }[] {
  const out: { title: string; args: string; command: string }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const r = n as Record<string, unknown>;
      if (r.type === 'Action.Execute') {
        const d = r.data as { command: string; args: string };
        out.push({ title: String(r.title), command: d.command, args: d.args });
      }
      Object.values(r).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('mfaUsabilityCard', () => {
  const mfatest2 = assessMfa(
    input({
      methods: [password, authenticator('auth-2', 2 * DAY, EVIL)],
      events: deviceOnlyTrail(2 * DAY, 'auth-2'),
      report: report({
        methodsRegistered: [],
        isMfaRegistered: false,
        lastUpdatedDateTime: new Date(NOW - 2 * DAY).toISOString(),
      }),
    }),
  );

  it('is a valid Adaptive Card with the verdict first', () => {
    const card = mfaUsabilityCard(mfatest2, NOW);
    assert.deepEqual(cardProblems(card), []);
    const first = card.body[0] as { text: string };
    assert.match(first.text, /Registered but not usable: registration was never verified/);
  });

  it('renders device names only in TextRuns, stripped of bidi controls, never as markdown', () => {
    const card = mfaUsabilityCard(mfatest2, NOW);
    assert.ok(
      markdownSurfaces(card).every((s) => !s.includes('evil.example')),
      'no untrusted text in markdown',
    );
    const run = textRuns(card).find((t) => t.includes('evil.example'));
    assert.ok(run, 'device name shown literally');
    assert.ok(!run.includes('\u202e'));
  });

  it('offers remove-method for the unusable method and a TAP, as command buttons', () => {
    const b = buttons(mfaUsabilityCard(mfatest2, NOW));
    assert.deepEqual(
      b.map((x) => [x.command, x.args]),
      [
        ['remove-method', 'u@example.com auth-2'],
        ['tap', 'u@example.com'],
      ],
    );
    assert.ok(JSON.stringify(mfaUsabilityCard(mfatest2, NOW)).includes('https://aka.ms/mysecurityinfo'));
  });

  it('says "usable, but too weak" and names the policy in a TextRun', () => {
    const a = assessMfa(
      input({
        methods: [password, phone],
        report: report({ isAdmin: true, methodsRegistered: ['mobilePhone'] }),
        roles: [GLOBAL_ADMIN],
        allowedToUseSSPR: false,
        ca: [phishingResistantPolicy],
      }),
    );
    assert.match(verdictHeadline(a).text, /Usable, but too weak for a Conditional Access policy/);
    const card = mfaUsabilityCard(a, NOW);
    assert.ok(textRuns(card).includes('Admins require phishing-resistant MFA'));
    assert.ok(markdownSurfaces(card).some((s) => s.includes('More information required')));
  });

  it('a usable verdict with audit evidence shows the trail with times and no action buttons', () => {
    const a = assessMfa(
      input({ methods: [password, authenticator('auth-1', 3 * DAY)], events: verifiedTrail(3 * DAY) }),
    );
    const card = mfaUsabilityCard(a, NOW);
    assert.match((card.body[0] as { text: string }).text, /MFA is usable/);
    assert.deepEqual(buttons(card), []);
    assert.ok(
      textRuns(card).some((t) => t.includes('StrongAuthenticationMethod: added PhoneAppNotification, PhoneAppOTP')),
    );
    assert.ok(textRuns(card).some((t) => /2025-06-27 \d\d:\d\d UTC \(3 days ago\)/.test(t)));
  });
});
