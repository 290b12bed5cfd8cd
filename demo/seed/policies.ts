import { DEMO_PROTECTED_GROUP_ID } from '../constants';
import type { DemoState } from '../state';
import { ROLE_TEMPLATE } from './directory';
import { DAY, isoAgo } from './make-user';

function methodConfig(type: string, id: string, state: 'enabled' | 'disabled'): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${type}AuthenticationMethodConfiguration`,
    id,
    state,
    excludeTargets: [],
    includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
  };
}

/** Authorization policy (admin SSPR off), authentication methods policy and two Conditional Access policies. */
export function seedPolicies(state: DemoState, t0: number): void {
  state.ssprScope = 'all';
  state.authorizationPolicy = {
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    description: 'Used to manage authorization related settings across the company.',
    allowInvitesFrom: 'everyone',
    allowedToSignUpEmailBasedSubscriptions: true,
    // SSPR for administrators is off while SSPR for users is on for All: the "More information required" loop.
    allowedToUseSSPR: false,
    allowEmailVerifiedUsersToJoinOrganization: false,
    blockMsolPowerShell: true,
    guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
    defaultUserRolePermissions: {
      allowedToCreateApps: false,
      allowedToCreateSecurityGroups: false,
      allowedToCreateTenants: false,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
    },
  };
  state.authenticationMethodsPolicy = {
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant.',
    lastModifiedDateTime: isoAgo(t0, 30 * DAY),
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: 'default',
        excludeTargets: [],
        includeTargets: [
          { id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
        ],
      },
    },
    authenticationMethodConfigurations: [
      methodConfig('microsoftAuthenticator', 'MicrosoftAuthenticator', 'enabled'),
      methodConfig('fido2', 'Fido2', 'enabled'),
      methodConfig('sms', 'Sms', 'enabled'),
      methodConfig('voice', 'Voice', 'disabled'),
      methodConfig('email', 'Email', 'enabled'),
      methodConfig('temporaryAccessPass', 'TemporaryAccessPass', 'enabled'),
      methodConfig('softwareOath', 'SoftwareOath', 'enabled'),
      methodConfig('x509Certificate', 'X509Certificate', 'disabled'),
    ],
  };
  const base = {
    createdDateTime: isoAgo(t0, 200 * DAY),
    modifiedDateTime: isoAgo(t0, 20 * DAY),
    sessionControls: null,
  };
  state.conditionalAccessPolicies = [
    {
      id: 'ca000001-0000-4000-8000-000000000001',
      displayName: 'Require MFA for all users',
      state: 'enabled',
      ...base,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
        users: {
          includeUsers: ['All'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [DEMO_PROTECTED_GROUP_ID],
          includeRoles: [],
          excludeRoles: [],
        },
      },
      grantControls: {
        operator: 'OR',
        builtInControls: ['mfa'],
        customAuthenticationFactors: [],
        termsOfUse: [],
        authenticationStrength: null,
      },
    },
    {
      id: 'ca000002-0000-4000-8000-000000000002',
      displayName: 'Admins require phishing-resistant MFA',
      state: 'enabled',
      ...base,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
        users: {
          includeUsers: [],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [DEMO_PROTECTED_GROUP_ID],
          includeRoles: [ROLE_TEMPLATE.globalAdministrator, ROLE_TEMPLATE.securityAdministrator],
          excludeRoles: [],
        },
      },
      grantControls: {
        operator: 'OR',
        builtInControls: [],
        customAuthenticationFactors: [],
        termsOfUse: [],
        authenticationStrength: {
          id: '00000000-0000-0000-0000-000000000004',
          displayName: 'Phishing-resistant MFA',
          description:
            'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
          policyType: 'builtIn',
          requirementsSatisfied: 'mfa',
          allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
        },
      },
    },
  ];
}
