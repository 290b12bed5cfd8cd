/**
 * `compromised@example.com`: a phished account with the attacker's persistence (issue 13). A risky sign-in from a new
 * country, then within the hour: consent to the unverified third-party app "Mail Backup Pro" (Mail.ReadWrite +
 * offline_access), a device registered from that country, a phone method added, an external forwarding rule. The
 * FullAccess delegate, the ActiveSync phone and the mail sent outside are seeded by the Exchange simulation
 * (./scenarios-exchange.ts), timed from the same sign-in.
 */
import { appendAudit, auditValue } from '../audit';
import { addUser, passwordMethod, type DemoState, type GraphObject } from '../state';
import { DAY, HOUR, isoAgo, makeUser, seedId } from './make-user';
import { authenticatorMethod, PHONE_MOBILE_ID } from './methods';
import { makeSignIn, PLACES } from './sign-ins';
import { rule } from './scenarios-mail';
import { COMPROMISE_SIGN_IN_AGO, COMPROMISED_UPN } from './scenarios-exchange';

export { COMPROMISED_UPN };

const MINUTE = 60_000;

export const COMPROMISED_IDS = {
  user: seedId(0x501),
  /** The attacker's app (client) service principal and its application id. */
  mailBackupSp: 'c0a0c0a0-0000-4000-8000-000000000501',
  mailBackupAppId: 'c0a0c0a0-0000-4000-8000-000000000502',
  mailBackupGrant: 'oGrAnT-MailBackupPro-c0mpr0m1sed0000000000000501',
  /** A benign, publisher-verified app the user consented to long ago. */
  benignSp: 'c0a0c0a0-0000-4000-8000-000000000503',
  benignGrant: 'oGrAnT-Zoom-c0mpr0m1sed000000000000000000000503',
  /** An enterprise app the user is assigned to (first-party-like, not flagged). */
  hrPortalSp: 'c0a0c0a0-0000-4000-8000-000000000504',
  hrPortalAssignment: 'aRaSsIgN-HrPortal-c0mpr0m1sed00000000000000504',
  /** Microsoft Graph's service principal in the tenant (the resource of the grants). */
  graphSp: 'c0a0c0a0-0000-4000-8000-0000000005ff',
  /** The device the attacker registered (object id and Entra device id) and the user's own laptop. */
  attackerDevice: 'de0de0de-0000-4000-8000-000000000501',
  attackerDeviceId: 'de1de1de-0000-4000-8000-000000000501',
  laptop: 'de0de0de-0000-4000-8000-000000000502',
  laptopDeviceId: 'de1de1de-0000-4000-8000-000000000502',
  forwardingRule: 'AQAAAJ5dZ501',
} as const;

/**
 * When each Graph-side event happened, as ms before the seed's t0; all follow the risky sign-in, which the Exchange
 * simulation times its own events from too (COMPROMISE_SIGN_IN_AGO: FullAccess +35 min, ActiveSync +50 min, mail).
 */
export const COMPROMISED_TIMES = {
  riskySignInAgo: COMPROMISE_SIGN_IN_AGO,
  consentAgo: COMPROMISE_SIGN_IN_AGO - 20 * MINUTE,
  deviceAgo: COMPROMISE_SIGN_IN_AGO - 40 * MINUTE,
  phoneAgo: COMPROMISE_SIGN_IN_AGO - 45 * MINUTE,
} as const;

/** The phone number the attacker registered. */
export const ATTACKER_PHONE = '+40 721555501';
export const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
/** The home tenant of the attacker's app (not Microsoft's, no verified publisher). */
export const ATTACKER_APP_TENANT = 'bad0bad0-0000-4000-8000-000000000501';

function servicePrincipal(spec: {
  id: string;
  appId: string;
  displayName: string;
  publisherName: string;
  owner: string;
  verified: string | null;
}): GraphObject {
  return {
    id: spec.id,
    appId: spec.appId,
    displayName: spec.displayName,
    appDisplayName: spec.displayName,
    publisherName: spec.publisherName,
    appOwnerOrganizationId: spec.owner,
    servicePrincipalType: 'Application',
    accountEnabled: true,
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    verifiedPublisher: spec.verified
      ? { displayName: spec.verified, verifiedPublisherId: '1234567', addedDateTime: '2021-04-01T00:00:00Z' }
      : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

function device(spec: {
  id: string;
  deviceId: string;
  name: string;
  os: string;
  version: string;
  trustType: string;
  registered: string;
  lastSignIn: string;
}): GraphObject {
  return {
    id: spec.id,
    deviceId: spec.deviceId,
    displayName: spec.name,
    operatingSystem: spec.os,
    operatingSystemVersion: spec.version,
    trustType: spec.trustType,
    profileType: spec.trustType === 'Workplace' ? 'RegisteredDevice' : null,
    registrationDateTime: spec.registered,
    approximateLastSignInDateTime: spec.lastSignIn,
    accountEnabled: true,
    isCompliant: false,
    isManaged: false,
  };
}

export function seedCompromisedScenario(state: DemoState, t0: number): void {
  const user = makeUser(t0, {
    id: COMPROMISED_IDS.user,
    upn: COMPROMISED_UPN,
    displayName: 'Casey Compromised',
    department: 'Finance',
  });
  addUser(state, user);
  const T = COMPROMISED_TIMES;
  const place = PLACES.bucharest;

  state.methods.set(user.id, [
    passwordMethod(),
    authenticatorMethod('c0c0c0c0-0000-4000-8000-000000000501', 'Pixel 8', isoAgo(t0, 240 * DAY)),
    {
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: PHONE_MOBILE_ID,
      phoneNumber: ATTACKER_PHONE,
      phoneType: 'mobile',
      smsSignInState: 'notAllowedByPolicy',
    },
  ]);

  state.signIns.set(user.id, [
    makeSignIn(user, {
      id: '5e000501-0000-4000-8000-000000000003',
      at: t0 - T.riskySignInAgo,
      place,
      risk: 'high',
      browser: 'Chrome 126.0.0',
      os: 'Windows 10',
    }),
    makeSignIn(user, {
      id: '5e000501-0000-4000-8000-000000000002',
      at: t0 - COMPROMISE_SIGN_IN_AGO - 24 * HOUR,
      place: PLACES.seattle,
      deviceId: COMPROMISED_IDS.laptopDeviceId,
    }),
    makeSignIn(user, {
      id: '5e000501-0000-4000-8000-000000000001',
      at: t0 - COMPROMISE_SIGN_IN_AGO - 48 * HOUR,
      place: PLACES.seattle,
      deviceId: COMPROMISED_IDS.laptopDeviceId,
    }),
  ]);
  state.riskyUsers.set(user.id, {
    id: user.id,
    isDeleted: false,
    isProcessing: false,
    riskLastUpdatedDateTime: isoAgo(t0, T.riskySignInAgo - 5 * MINUTE),
    riskLevel: 'high',
    riskState: 'atRisk',
    riskDetail: 'none',
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
  });

  // Apps: the attacker's (unverified, third-party, mail scopes) and two benign ones.
  state.servicePrincipals.set(
    COMPROMISED_IDS.mailBackupSp,
    servicePrincipal({
      id: COMPROMISED_IDS.mailBackupSp,
      appId: COMPROMISED_IDS.mailBackupAppId,
      displayName: 'Mail Backup Pro',
      publisherName: 'Mail Backup Pro',
      owner: ATTACKER_APP_TENANT,
      verified: null,
    }),
  );
  state.servicePrincipals.set(
    COMPROMISED_IDS.benignSp,
    servicePrincipal({
      id: COMPROMISED_IDS.benignSp,
      appId: 'c0a0c0a0-0000-4000-8000-000000000513',
      displayName: 'Zoom',
      publisherName: 'Zoom Video Communications, Inc.',
      owner: 'c0a0c0a0-0000-4000-8000-00000000a00a',
      verified: 'Zoom Video Communications, Inc.',
    }),
  );
  state.servicePrincipals.set(
    COMPROMISED_IDS.hrPortalSp,
    servicePrincipal({
      id: COMPROMISED_IDS.hrPortalSp,
      appId: 'c0a0c0a0-0000-4000-8000-000000000514',
      displayName: 'Example HR Portal',
      publisherName: 'Example Corp (demo)',
      owner: state.tenantId,
      verified: null,
    }),
  );
  state.servicePrincipals.set(
    COMPROMISED_IDS.graphSp,
    servicePrincipal({
      id: COMPROMISED_IDS.graphSp,
      appId: '00000003-0000-0000-c000-000000000000',
      displayName: 'Microsoft Graph',
      publisherName: 'Microsoft Services',
      owner: MICROSOFT_SERVICES_TENANT,
      verified: null,
    }),
  );
  state.permissionGrants.push(
    {
      id: COMPROMISED_IDS.mailBackupGrant,
      clientId: COMPROMISED_IDS.mailBackupSp,
      consentType: 'Principal',
      principalId: user.id,
      resourceId: COMPROMISED_IDS.graphSp,
      scope: 'Mail.ReadWrite offline_access User.Read',
    },
    {
      id: COMPROMISED_IDS.benignGrant,
      clientId: COMPROMISED_IDS.benignSp,
      consentType: 'Principal',
      principalId: user.id,
      resourceId: COMPROMISED_IDS.graphSp,
      scope: 'openid profile User.Read Calendars.Read',
    },
  );
  state.appRoleAssignments.push({
    id: COMPROMISED_IDS.hrPortalAssignment,
    deletedDateTime: null,
    appRoleId: '00000000-0000-0000-0000-000000000000',
    createdDateTime: isoAgo(t0, 300 * DAY),
    principalDisplayName: user.displayName,
    principalId: user.id,
    principalType: 'User',
    resourceDisplayName: 'Example HR Portal',
    resourceId: COMPROMISED_IDS.hrPortalSp,
  });
  const consent = (at: number, sp: string, scope: string, ip: string | null) =>
    appendAudit(state, {
      activityDisplayName: 'Consent to application',
      loggedByService: 'Core Directory',
      category: 'ApplicationManagement',
      operationType: 'Assign',
      at,
      initiatedBy: { kind: 'user', user, ipAddress: ip },
      target: user,
      modifiedProperties: [
        { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: auditValue('False') },
        {
          displayName: 'ConsentAction.Permissions',
          oldValue: null,
          newValue: auditValue(`[] => [[Id: x, ClientId: ${sp}, PrincipalId: ${user.id}, Scope: ${scope}]]`),
        },
      ],
    });
  // The consent record targets the app's service principal, as Entra writes it.
  const retarget = (record: GraphObject, sp: string, name: string) => {
    const targets = record.targetResources as GraphObject[];
    const first = targets[0];
    if (first) Object.assign(first, { id: sp, displayName: name, type: 'ServicePrincipal', userPrincipalName: null });
  };
  retarget(
    consent(t0 - 25 * DAY, COMPROMISED_IDS.benignSp, 'openid profile User.Read Calendars.Read', PLACES.seattle.ip),
    COMPROMISED_IDS.benignSp,
    'Zoom',
  );
  retarget(
    consent(t0 - T.consentAgo, COMPROMISED_IDS.mailBackupSp, 'Mail.ReadWrite offline_access User.Read', place.ip),
    COMPROMISED_IDS.mailBackupSp,
    'Mail Backup Pro',
  );

  // Devices: the user's own laptop (joined long ago) and the attacker's registration from the new country.
  state.devices.set(
    COMPROMISED_IDS.laptop,
    device({
      id: COMPROMISED_IDS.laptop,
      deviceId: COMPROMISED_IDS.laptopDeviceId,
      name: 'FIN-LT-0501',
      os: 'Windows',
      version: '10.0.22631.3880',
      trustType: 'AzureAd',
      registered: isoAgo(t0, 200 * DAY),
      lastSignIn: isoAgo(t0, COMPROMISE_SIGN_IN_AGO + 24 * HOUR),
    }),
  );
  state.devices.set(
    COMPROMISED_IDS.attackerDevice,
    device({
      id: COMPROMISED_IDS.attackerDevice,
      deviceId: COMPROMISED_IDS.attackerDeviceId,
      name: 'DESKTOP-7Q2K9XB',
      os: 'Windows',
      version: '10.0.19045.4529',
      trustType: 'Workplace',
      registered: isoAgo(t0, T.deviceAgo),
      lastSignIn: isoAgo(t0, T.deviceAgo - 2 * MINUTE),
      // Its registration follows the risky sign-in by 40 minutes: the investigation ties the two by time.
    }),
  );
  state.deviceLinks.push(
    { deviceObjectId: COMPROMISED_IDS.laptop, userId: user.id, relation: 'registered' },
    { deviceObjectId: COMPROMISED_IDS.laptop, userId: user.id, relation: 'owned' },
    { deviceObjectId: COMPROMISED_IDS.attackerDevice, userId: user.id, relation: 'registered' },
    { deviceObjectId: COMPROMISED_IDS.attackerDevice, userId: user.id, relation: 'owned' },
  );
  // The attacker's phone, registered as security info.
  appendAudit(state, {
    activityDisplayName: 'User registered security info',
    loggedByService: 'Authentication Methods',
    category: 'UserManagement',
    resultReason: 'User registered Mobile Phone SMS',
    operationType: 'Add',
    at: t0 - T.phoneAgo,
    initiatedBy: { kind: 'user', user, ipAddress: place.ip },
    target: user,
  });

  // The external forwarding rule.
  state.rules.set(user.id, [
    rule(
      COMPROMISED_IDS.forwardingRule,
      'Backup',
      1,
      {},
      {
        forwardTo: [{ emailAddress: { name: 'Backup', address: 'casey.backup@mail-archive.example.org' } }],
        markAsRead: true,
        stopProcessingRules: true,
      },
    ),
  ]);
}
