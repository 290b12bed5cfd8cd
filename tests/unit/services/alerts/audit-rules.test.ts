import assert from 'node:assert/strict';
import { isRegistrationStart, matchAuditEvent } from '../../../../services/alerts/audit-rules';
import { directoryAuditSchema } from '../../../../services/graph/schemas';
import { auditRecord } from './fake-audit-graph';

const at = Date.parse('2026-11-22T12:00:00Z');
const parse = (raw: Record<string, unknown>) => directoryAuditSchema.parse(raw);
const strongAuth = (oldValue: unknown, newValue: unknown) =>
  parse(
    auditRecord('s', at, 'Update user', undefined, {
      loggedByService: 'Core Directory',
      initiatedBy: { user: null, app: { displayName: 'Azure MFA StrongAuthenticationService' } },
      targetResources: [
        {
          id: 'u-1',
          userPrincipalName: 'pat@example.com',
          type: 'User',
          modifiedProperties: [
            {
              displayName: 'StrongAuthenticationPhoneAppDetail',
              oldValue: JSON.stringify(oldValue),
              newValue: JSON.stringify(newValue),
            },
          ],
        },
      ],
    }),
  );

describe('alert rules over directory audit records (exact activity names, graph-api.md §3)', () => {
  const cases: [string, Record<string, unknown>, string | null, string | null][] = [
    ['user registered', {}, 'security-info-changed', 'medium'],
    ['admin deleted', { activityDisplayName: 'Admin deleted security info' }, 'security-info-changed', 'high'],
    [
      'user changed default',
      { activityDisplayName: 'User changed default security info' },
      'security-info-changed',
      'medium',
    ],
    ['failed registration', { result: 'failure' }, null, null],
    [
      'SSPR insufficient methods (trailing space as Sentinel sees it)',
      {
        activityDisplayName: 'Self-service password reset flow activity progress',
        loggedByService: 'Self-service Password Management',
        result: 'failure',
        resultReason:
          "User's account has insufficient authentication methods defined. Add authentication info to resolve this ",
      },
      'sspr-contact-admin',
      'medium',
    ],
    [
      'SSPR step that is not a failure',
      {
        activityDisplayName: 'Self-service password reset flow activity progress',
        loggedByService: 'Self-service Password Management',
        resultReason: 'User submitted their user ID',
      },
      null,
      null,
    ],
    [
      'consent',
      { activityDisplayName: 'Consent to application', loggedByService: 'Core Directory' },
      'consent-granted',
      'high',
    ],
    [
      'role member',
      { activityDisplayName: 'Add member to role', loggedByService: 'Core Directory' },
      'privileged-role-member',
      'high',
    ],
    [
      'PIM eligible',
      { activityDisplayName: 'Add eligible member to role in PIM completed (permanent)' },
      'privileged-role-member',
      'high',
    ],
    [
      'CA deleted',
      { activityDisplayName: 'Delete conditional access policy', category: 'Policy' },
      'conditional-access-changed',
      'high',
    ],
    ['federation', { activityDisplayName: 'Set federation settings on domain' }, 'domain-changed', 'high'],
    [
      'admin reset',
      { activityDisplayName: 'Reset password (by admin)', loggedByService: 'Self-service Password Management' },
      'admin-password-reset',
      'info',
    ],
    ['sessions revoked', { activityDisplayName: 'Invalidate all refresh tokens for user' }, 'sessions-revoked', 'info'],
    ['case-insensitive', { activityDisplayName: 'user REGISTERED security info' }, 'security-info-changed', 'medium'],
    ['unrelated', { activityDisplayName: 'Add group' }, null, null],
  ];
  for (const [name, patch, rule, severity] of cases) {
    it(`${name} → ${rule ?? 'no alert'}`, () => {
      const alert = matchAuditEvent(parse(auditRecord('e1', at, 'User registered security info', undefined, patch)));
      assert.equal(alert?.rule ?? null, rule);
      assert.equal(alert?.severity ?? null, severity);
    });
  }

  it('alert ids are stable per rule and record, and carry who/when/where', () => {
    const raw = auditRecord('e1', at, 'User registered security info');
    const a = matchAuditEvent(parse(raw));
    const b = matchAuditEvent(parse({ ...raw }));
    assert.ok(a && b);
    assert.equal(a.id, b.id);
    assert.equal(a.subject.upn, 'pat@example.com');
    assert.equal(a.ip, '203.0.113.9');
    assert.equal(a.occurredAt, new Date(at).toISOString());
  });

  it('a StrongAuthenticationService update starts a registration only when a new device id appears', () => {
    const device = (id: string, stamp: string) => ({ Id: id, DeviceName: 'Pixel', LastAuthenticatedTimestamp: stamp });
    assert.equal(isRegistrationStart(strongAuth([], [device('d1', 'a')])), true);
    // Ordinary Authenticator use rewrites the timestamp: not a registration.
    assert.equal(isRegistrationStart(strongAuth([device('d1', 'a')], [device('d1', 'b')])), false);
    assert.equal(isRegistrationStart(strongAuth([device('d1', 'a')], [device('d1', 'a'), device('d2', 'b')])), true);
    assert.equal(isRegistrationStart(parse(auditRecord('x', at, 'User started security info registration'))), true);
  });
});
