import { appendAudit, auditValue, includedProperties, STRONG_AUTH_SERVICE } from '../audit';
import { addUser, passwordMethod, type DemoState } from '../state';
import { ROLE_TEMPLATE, roleByTemplate } from './directory';
import { DAY, HOUR, makeUser, seedId } from './make-user';
import { authenticatorMethod, emailMethod, phoneMethod } from './methods';

export const SCENARIO_IDS = {
  mfatest1: seedId(0x101),
  mfatest2: seedId(0x102),
  nomfa: seedId(0x103),
  adminSspr: seedId(0x104),
  ssprUser: seedId(0x105),
  noSspr: seedId(0x106),
} as const;

const AUTH_METHODS = 'Authentication Methods';
const CORE = 'Core Directory';
const SSPR = 'Self-service Password Management';

function phoneAppDetail(deviceName: string, deviceId: string, at: number): unknown[] {
  return [
    {
      DeviceName: deviceName,
      DeviceToken: 'apns2-9c0f1e2d3b4a',
      DeviceTag: 'SoftwareTokenActivated',
      PhoneAppVersion: '6.8.14',
      OathTokenTimeDrift: 0,
      DeviceId: deviceId,
      Id: deviceId,
      TimeInterval: null,
      AuthenticationType: 3,
      NotificationType: 4,
      LastAuthenticatedTimestamp: new Date(at).toISOString(),
      AuthenticatorFlavor: null,
      HashFunction: null,
      TenantDeviceId: null,
      SecuredPartitionId: 0,
      SecuredKeyId: 0,
    },
  ];
}

/** MFA and SSPR scenarios: usable vs unverified Authenticator, no MFA, the admin SSPR loop, a failed SSPR. */
export function seedMfaScenarios(state: DemoState, t0: number): void {
  const ip = '198.51.100.24';
  const mfatest1 = makeUser(t0, {
    id: SCENARIO_IDS.mfatest1,
    upn: 'mfatest1@example.com',
    displayName: 'MFA Test One',
  });
  addUser(state, mfatest1);
  const reg1 = t0 - 3 * DAY;
  state.methods.set(mfatest1.id, [
    passwordMethod(),
    authenticatorMethod('a1a1a1a1-0000-4000-8000-000000000101', 'iPhone 15', new Date(reg1).toISOString()),
  ]);
  appendAudit(state, {
    activityDisplayName: 'User started security info registration',
    loggedByService: AUTH_METHODS,
    resultReason: 'User started the registration for Authenticator App with Notification and Code',
    correlationId: 'c0ee0001-0000-4000-8000-000000000101',
    at: reg1,
    initiatedBy: { kind: 'user', user: mfatest1, ipAddress: ip },
    target: mfatest1,
    operationType: 'Add',
  });
  appendAudit(state, {
    activityDisplayName: 'Update user',
    loggedByService: CORE,
    at: reg1 + 40_000,
    initiatedBy: STRONG_AUTH_SERVICE,
    target: mfatest1,
    modifiedProperties: [
      {
        displayName: 'StrongAuthenticationMethod',
        oldValue: auditValue([]),
        newValue: auditValue([
          { MethodType: 6, Default: true },
          { MethodType: 7, Default: false },
        ]),
      },
      {
        displayName: 'StrongAuthenticationPhoneAppDetail',
        oldValue: auditValue([]),
        newValue: auditValue(phoneAppDetail('iPhone 15', 'a1a1a1a1-0000-4000-8000-000000000101', reg1 + 40_000)),
      },
      includedProperties(['StrongAuthenticationMethod', 'StrongAuthenticationPhoneAppDetail']),
    ],
  });
  appendAudit(state, {
    activityDisplayName: 'User registered security info',
    loggedByService: AUTH_METHODS,
    resultReason: 'User registered Authenticator App with Notification and Code',
    correlationId: 'c0ee0001-0000-4000-8000-000000000101',
    at: reg1 + 45_000,
    initiatedBy: { kind: 'user', user: mfatest1, ipAddress: ip },
    target: mfatest1,
    operationType: 'Add',
  });
  appendAudit(state, {
    activityDisplayName: 'User registered all required security info',
    loggedByService: AUTH_METHODS,
    resultReason: 'User registered all required security info.',
    correlationId: 'c0ee0001-0000-4000-8000-000000000101',
    at: reg1 + 50_000,
    initiatedBy: { kind: 'user', user: mfatest1, ipAddress: ip },
    target: mfatest1,
    operationType: 'Add',
  });

  const mfatest2 = makeUser(t0, {
    id: SCENARIO_IDS.mfatest2,
    upn: 'mfatest2@example.com',
    displayName: 'MFA Test Two',
  });
  addUser(state, mfatest2);
  const reg2 = t0 - 2 * DAY;
  state.methods.set(mfatest2.id, [
    passwordMethod(),
    authenticatorMethod('a2a2a2a2-0000-4000-8000-000000000102', 'Pixel 8', new Date(reg2).toISOString()),
  ]);
  appendAudit(state, {
    activityDisplayName: 'Update user',
    loggedByService: CORE,
    at: reg2,
    initiatedBy: STRONG_AUTH_SERVICE,
    target: mfatest2,
    modifiedProperties: [
      {
        displayName: 'StrongAuthenticationPhoneAppDetail',
        oldValue: auditValue([]),
        newValue: auditValue(phoneAppDetail('Pixel 8', 'a2a2a2a2-0000-4000-8000-000000000102', reg2)),
      },
      includedProperties(['StrongAuthenticationPhoneAppDetail']),
    ],
  });
  // The report agrees with the audit trail: the device was added but never verified as a method.
  state.registration.set(mfatest2.id, {
    id: mfatest2.id,
    userPrincipalName: mfatest2.userPrincipalName,
    userDisplayName: mfatest2.displayName,
    userType: 'member',
    isAdmin: false,
    isSsprRegistered: false,
    isSsprEnabled: true,
    isSsprCapable: false,
    isMfaRegistered: false,
    isMfaCapable: false,
    isPasswordlessCapable: false,
    lastUpdatedDateTime: new Date(reg2).toISOString(),
    methodsRegistered: [],
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: [],
    userPreferredMethodForSecondaryAuthentication: '',
  });

  addUser(state, makeUser(t0, { id: SCENARIO_IDS.nomfa, upn: 'nomfa@example.com', displayName: 'No MFA' }));

  const admin = makeUser(t0, {
    id: SCENARIO_IDS.adminSspr,
    upn: 'admin.sspr@example.com',
    displayName: 'SSPR Admin',
    jobTitle: 'IT Administrator',
  });
  addUser(state, admin);
  roleByTemplate(state, ROLE_TEMPLATE.globalAdministrator).members.add(admin.id);
  state.methods.set(admin.id, [passwordMethod(), phoneMethod('+1 4255550104')]);

  const ssprUser = makeUser(t0, { id: SCENARIO_IDS.ssprUser, upn: 'sspr.user@example.com', displayName: 'SSPR User' });
  addUser(state, ssprUser);
  const attempt = t0 - HOUR;
  const correlationId = 'c0ee0005-0000-4000-8000-000000000105';
  const resetIp = '203.0.113.45';
  const step = (at: number, resultReason: string, result: 'success' | 'failure'): void => {
    appendAudit(state, {
      activityDisplayName: 'Self-service password reset flow activity progress',
      loggedByService: SSPR,
      resultReason,
      result,
      correlationId,
      at,
      initiatedBy: { kind: 'user', user: ssprUser, ipAddress: resetIp },
      target: ssprUser,
    });
  };
  step(attempt, 'User submitted their user ID', 'success');
  step(
    attempt + 4_000,
    "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
    'failure',
  );

  const noSspr = makeUser(t0, { id: SCENARIO_IDS.noSspr, upn: 'quiet.user@example.com', displayName: 'Quiet User' });
  addUser(state, noSspr);
  state.methods.set(noSspr.id, [
    passwordMethod(),
    authenticatorMethod('a6a6a6a6-0000-4000-8000-000000000106', 'iPhone 13', new Date(t0 - 100 * DAY).toISOString()),
    emailMethod('quiet.user.personal@example.org'),
  ]);
}
