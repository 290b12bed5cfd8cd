import assert from 'node:assert/strict';
import { summarizeUser, type UserProfileInput } from '../../../../services/identity/user-summary';

const AUDIT_PLAN = { servicePlanId: '2f442157-a11c-46b9-ae5b-6e39ff4e5849', servicePlanName: 'M365_ADVANCED_AUDITING' };

function profile(
  overrides: Partial<UserProfileInput['user']> = {},
  extra: Partial<UserProfileInput> = {},
): UserProfileInput {
  return {
    user: {
      id: 'id-1',
      userPrincipalName: 'alice@example.com',
      accountEnabled: true,
      userType: 'Member',
      ...overrides,
    },
    directoryRoles: [],
    licenses: [],
    ...extra,
  };
}

describe('services/identity/user-summary', () => {
  it('explains a synced user whose UPN differs from the primary SMTP', () => {
    const s = summarizeUser(
      profile({
        userPrincipalName: 'upntest@example.net',
        onPremisesSyncEnabled: true,
        proxyAddresses: [
          'SMTP:upntest@example.com',
          'smtp:upntest@example.net',
          'smtp:upntest@example.onmicrosoft.com',
          'SIP:upntest@example.com',
          'smtp:ut@example.com',
        ],
      }),
    );
    assert.equal(s.source, 'synced');
    assert.equal(s.primarySmtp, 'upntest@example.com');
    assert.equal(s.upnMatchesPrimarySmtp, false);
    assert.deepEqual(
      s.proxies.map((p) => p.kind),
      ['primary', 'upn', 'routing', 'other', 'alias'],
    );
  });

  const auditing: [string, UserProfileInput['licenses'], string][] = [
    [
      'provisioned',
      [{ skuPartNumber: 'SPE_E5', servicePlans: [{ ...AUDIT_PLAN, provisioningStatus: 'Success' }] }],
      'provisioned',
    ],
    [
      'by name only',
      [
        {
          skuPartNumber: 'X',
          servicePlans: [{ servicePlanName: 'M365_ADVANCED_AUDITING', provisioningStatus: 'Success' }],
        },
      ],
      'provisioned',
    ],
    [
      'disabled plan',
      [{ skuPartNumber: 'SPE_E5', servicePlans: [{ ...AUDIT_PLAN, provisioningStatus: 'Disabled' }] }],
      'not-provisioned',
    ],
    [
      'other plans only',
      [
        {
          skuPartNumber: 'SPE_E3',
          servicePlans: [
            { servicePlanId: 'x', servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Success' },
          ],
        },
      ],
      'not-licensed',
    ],
    ['no licences', [], 'not-licensed'],
  ];
  for (const [name, licenses, state] of auditing) {
    it(`advanced auditing: ${name} -> ${state}`, () => {
      assert.equal(summarizeUser(profile({}, { licenses })).advancedAuditing.state, state);
    });
  }

  it('lists admin roles, guest type, disabled state and cloud source', () => {
    const s = summarizeUser(
      profile(
        { accountEnabled: false, userType: 'Guest', onPremisesSyncEnabled: null },
        { directoryRoles: [{ displayName: 'Global Administrator' }] },
      ),
    );
    assert.deepEqual(s.adminRoles, ['Global Administrator']);
    assert.equal(s.userType, 'guest');
    assert.equal(s.enabled, false);
    assert.equal(s.source, 'cloud');
  });

  it('falls back to mail for the primary SMTP when there are no proxies', () => {
    const s = summarizeUser(profile({ mail: 'alice@example.com', proxyAddresses: [] }));
    assert.equal(s.primarySmtp, 'alice@example.com');
    assert.equal(s.upnMatchesPrimarySmtp, true);
  });
});
