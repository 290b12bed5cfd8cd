import assert from 'node:assert/strict';
import { decodeAuditEvent, familyOfReason } from '../../../../services/identity/mfa-trail';
import { isSecurityInfoEvent } from '../../../../services/identity/audit-evidence';
import { audit, device, deviceOnlyTrail, verifiedTrail } from './mfa-fixtures';

describe('mfa-trail: decoding security-info audit records', () => {
  it('decodes StrongAuthenticationMethod MethodType indexes and the default', () => {
    const update = decodeAuditEvent(verifiedTrail(1000)[1]!);
    assert.equal(update.kind, 'strong-auth-update');
    assert.deepEqual(update.strongAuth?.added, ['PhoneAppNotification', 'PhoneAppOTP']);
    assert.equal(update.strongAuth?.defaultAfter, 'PhoneAppNotification');
    assert.deepEqual(update.strongAuth?.familiesAfter, ['authenticator']);
    assert.equal(update.phoneApp?.added.length, 1);
    assert.equal(update.family, 'authenticator');
  });

  it('maps voice and SMS method types to phone, and reports removals', () => {
    const e = decodeAuditEvent(
      audit({
        activity: 'Update user',
        agoMs: 1,
        app: 'Azure MFA StrongAuthenticationService',
        props: [
          {
            displayName: 'StrongAuthenticationMethod',
            oldValue: [{ MethodType: 6, Default: true }],
            newValue: [
              { MethodType: 1, Default: true },
              { MethodType: 0, Default: false },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(e.strongAuth?.added, ['TwoWaySms', 'TwoWayVoiceMobile']);
    assert.deepEqual(e.strongAuth?.removed, ['PhoneAppNotification']);
    assert.deepEqual(e.strongAuth?.familiesAfter, ['phone']);
  });

  it('a device added without a StrongAuthenticationMethod is decoded as such', () => {
    const e = decodeAuditEvent(deviceOnlyTrail(1)[0]!);
    assert.equal(e.strongAuth, null);
    assert.equal(e.phoneApp?.usageOnly, false);
    assert.deepEqual(
      e.phoneApp?.added.map((d) => d.name),
      ['Pixel 8'],
    );
  });

  it('a changed LastAuthenticatedTimestamp alone is ordinary use, not a registration', () => {
    const before = device('d1', 'iPhone');
    const after = [{ ...before[0], LastAuthenticatedTimestamp: '2030-01-01T00:00:00Z' }];
    const e = decodeAuditEvent(
      audit({
        activity: 'Update user',
        agoMs: 1,
        app: 'Azure MFA StrongAuthenticationService',
        props: [{ displayName: 'StrongAuthenticationPhoneAppDetail', oldValue: before, newValue: after }],
      }),
    );
    assert.equal(e.phoneApp?.usageOnly, true);
  });

  it('accepts double-encoded values', () => {
    const raw = audit({ activity: 'Update user', agoMs: 1, app: 'Azure MFA StrongAuthenticationService' });
    const target = raw.targetResources[0]!;
    target.modifiedProperties.push({
      displayName: 'StrongAuthenticationMethod',
      oldValue: null,
      newValue: JSON.stringify(JSON.stringify([{ MethodType: 7, Default: false }])),
      oldDecoded: null,
      newDecoded: JSON.stringify([{ MethodType: 7, Default: false }]),
    });
    assert.deepEqual(decodeAuditEvent(raw).strongAuth?.added, ['PhoneAppOTP']);
  });

  it('reads the method family from result reasons', () => {
    assert.equal(familyOfReason('User registered Authenticator App with Notification and Code'), 'authenticator');
    assert.equal(familyOfReason('User registered Mobile Phone SMS'), 'phone');
    assert.equal(familyOfReason('Admin registered temporary access pass method for user'), 'temporaryAccessPass');
    assert.equal(familyOfReason('User registered FIDO2 security key'), 'fido2');
    assert.equal(familyOfReason(null), null);
  });

  it('keeps security-info, SSPR and StrongAuthenticationService records and drops the rest', () => {
    assert.ok(verifiedTrail(1).every(isSecurityInfoEvent));
    assert.ok(
      isSecurityInfoEvent(
        audit({
          activity: 'Self-service password reset flow activity progress',
          agoMs: 1,
          service: 'Self-service Password Management',
        }),
      ),
    );
    assert.equal(
      isSecurityInfoEvent(audit({ activity: 'Add member to group', agoMs: 1, service: 'Core Directory' })),
      false,
    );
  });
});
