import assert from 'node:assert/strict';
import { userRegistrationDetailsSchema, type DirectoryAudit } from '../../../../services/graph/schemas';
import { FLOW, ssprRecord, T0 } from './sspr-records';
import { classifySsprRecord, groupSsprAttempts, summarizeSspr } from '../../../../services/identity/sspr';

describe('services/identity/sspr', () => {
  describe('classifySsprRecord', () => {
    const cases: [string, string | null, string, string | null][] = [
      [FLOW, 'User submitted their user ID', 'submitted-user-id', null],
      [FLOW, 'User was presented with verification options', 'presented-options', null],
      [FLOW, 'User started the mobile SMS verification option', 'started-method', null],
      [FLOW, 'User completed the email verification option', 'completed-method', null],
      [FLOW, 'User cancelled before passing the required authentication methods', 'cancelled', null],
      [FLOW, 'User successfully reset password', 'reset', null],
      ['Reset password (self-service)', 'Successfully completed reset.', 'reset', null],
      // The Sentinel query matches this one with a trailing space; we trim.
      [
        FLOW,
        "  User's account has insufficient authentication methods defined. Add authentication info to resolve this ",
        'contact-admin',
        'insufficient-methods',
      ],
      [
        FLOW,
        'Password reset is not enabled for this user. Enable password reset under the configure tab to resolve this',
        'contact-admin',
        'not-enabled',
      ],
      [FLOW, 'User does not have a license. Add a license to resolve this', 'contact-admin', 'no-licence'],
      [
        FLOW,
        'This user is not a member of the password reset users group. Add this user to that group to resolve this.',
        'contact-admin',
        'not-in-group',
      ],
      [
        FLOW,
        "User's password is managed on-premises. You can enable Password Writeback to resolve this",
        'on-premises',
        null,
      ],
      ['Blocked from self-service password reset', 'User has been blocked for 24 hours', 'blocked', null],
      [FLOW, 'Something new Microsoft added', 'other', null],
      [FLOW, null, 'other', null],
    ];
    for (const [activity, reason, kind, family] of cases) {
      it(`${reason ?? '(no reason)'} → ${kind}`, () => {
        const c = classifySsprRecord(activity, reason);
        assert.equal(c.kind, kind);
        assert.equal(c.contactAdmin, family);
      });
    }
  });

  describe('groupSsprAttempts', () => {
    it('groups by correlationId, orders steps and attempts, and finds the contact-admin outcome (the sspr.user trail)', () => {
      const attempts = groupSsprAttempts([
        ssprRecord(
          "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
          {
            at: T0 + 4_000,
            result: 'failure',
          },
        ),
        ssprRecord('User submitted their user ID', { at: T0 }),
        ssprRecord('User submitted their user ID', {
          at: T0 - 86_400_000,
          correlationId: 'corr-0',
          ip: '198.51.100.9',
        }),
        ssprRecord('User successfully reset password', { at: T0 - 86_300_000, correlationId: 'corr-0' }),
      ]);
      assert.deepEqual(
        attempts.map((a) => [a.correlationId, a.outcome, a.contactAdmin, a.submittedUserId]),
        [
          ['corr-1', 'contact-admin', 'insufficient-methods', true],
          ['corr-0', 'reset', null, true],
        ],
      );
      assert.deepEqual(
        attempts[0]?.steps.map((s) => s.kind),
        ['submitted-user-id', 'contact-admin'],
      );
      assert.deepEqual(attempts[0]?.ipAddresses, ['203.0.113.45']);
      assert.equal(attempts[0]?.start, new Date(T0).toISOString());
    });

    const outcomes: [string, DirectoryAudit[], string][] = [
      [
        'cancelled',
        [
          ssprRecord('User submitted their user ID'),
          ssprRecord('User cancelled before passing the required authentication methods'),
        ],
        'cancelled',
      ],
      ['unfinished', [ssprRecord('User submitted their user ID')], 'unfinished'],
      ['unknown failure', [ssprRecord('Odd', { result: 'failure' })], 'failed'],
      ['blocked', [ssprRecord('x', { activity: 'Blocked from self-service password reset' })], 'blocked'],
    ];
    for (const [name, records, outcome] of outcomes) {
      it(`outcome: ${name}`, () => assert.equal(groupSsprAttempts(records)[0]?.outcome, outcome));
    }

    it('ignores records of other services and keeps records without a correlationId apart', () => {
      const attempts = groupSsprAttempts([
        ssprRecord('User registered Authenticator App', { service: 'Authentication Methods' }),
        ssprRecord('User submitted their user ID', { correlationId: null }),
        ssprRecord('User submitted their user ID', { correlationId: null }),
      ]);
      assert.equal(attempts.length, 2);
    });
  });

  describe('summarizeSspr status', () => {
    const row = (flags: Record<string, boolean>) =>
      userRegistrationDetailsSchema.parse({ id: 'u1', userPrincipalName: 'a@example.com', ...flags });
    const cases: [string, ReturnType<typeof row> | null, string][] = [
      ['no report row', null, 'unknown'],
      ['not enabled', row({ isSsprEnabled: false }), 'not-enabled'],
      ['enabled, not registered (sspr.user)', row({ isSsprEnabled: true }), 'not-registered'],
      ['registered, not capable', row({ isSsprEnabled: true, isSsprRegistered: true }), 'registered-not-capable'],
      ['capable', row({ isSsprEnabled: true, isSsprRegistered: true, isSsprCapable: true }), 'capable'],
    ];
    for (const [name, registration, kind] of cases) {
      it(name, () => assert.equal(summarizeSspr(registration, []).status.kind, kind));
    }
  });
});
