import { z } from 'zod';
import {
  authenticationMethodSchema,
  authenticationMethodsPolicySchema,
  authorizationPolicySchema,
  conditionalAccessPolicySchema,
  directoryAuditSchema,
  userRegistrationDetailsSchema,
  type DirectoryAudit,
} from '../../../../services/graph/schemas';
import type { MfaInput } from '../../../../services/identity/mfa-verdict';

/** Builders of Graph-shaped data for the MFA verdict tables, parsed by the production schemas. */
export const NOW = Date.parse('2025-06-30T12:00:00Z');
export const DAY = 24 * 3600_000;
export const iso = (agoMs: number): string => new Date(NOW - agoMs).toISOString();
export const USER_ID = '11111111-0000-4000-8000-000000000001';
export const GROUP = '22222222-0000-4000-8000-000000000002';
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

export function authenticator(id: string, createdAgo: number, name = 'iPhone 15'): unknown {
  return {
    '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    id,
    displayName: name,
    deviceTag: 'SoftwareTokenActivated',
    phoneAppVersion: '6.8.14',
    createdDateTime: iso(createdAgo),
  };
}
export const password = {
  '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
  id: '28c10230-6103-485e-b985-444c60001490',
};
export const phone = {
  '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
  id: '3179e48a-750b-4051-897c-87b9720928f7',
  phoneNumber: '+1 4255550100',
  phoneType: 'mobile',
};
export const fido2 = {
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
  id: 'fido-1',
  displayName: 'YubiKey 5',
  createdDateTime: iso(400 * DAY),
};
export const email = {
  '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
  id: '3ddfcfc8-9383-446f-83cc-3ab9be4be18f',
  emailAddress: 'x@example.org',
};

export function config(id: string, state: string, include: string[] = ['all_users'], exclude: string[] = []): unknown {
  return {
    id,
    state,
    includeTargets: include.map((t) => ({ id: t, targetType: 'group' })),
    excludeTargets: exclude.map((t) => ({ id: t, targetType: 'group' })),
  };
}
export const defaultConfigs = [
  config('MicrosoftAuthenticator', 'enabled'),
  config('Fido2', 'enabled'),
  config('Sms', 'enabled'),
  config('Voice', 'disabled'),
  config('Email', 'enabled'),
  config('TemporaryAccessPass', 'enabled'),
  config('SoftwareOath', 'enabled'),
];

export function report(overrides: Record<string, unknown> = {}): unknown {
  return {
    id: USER_ID,
    userPrincipalName: 'u@example.com',
    isAdmin: false,
    isMfaRegistered: true,
    isMfaCapable: true,
    isSsprEnabled: true,
    isSsprRegistered: true,
    methodsRegistered: ['microsoftAuthenticatorPush'],
    lastUpdatedDateTime: iso(DAY),
    userPreferredMethodForSecondaryAuthentication: 'push',
    systemPreferredAuthenticationMethods: ['push'],
    ...overrides,
  };
}

export function audit(spec: {
  activity: string;
  agoMs: number;
  service?: string;
  reason?: string;
  result?: string;
  app?: string;
  props?: { displayName: string; oldValue: unknown; newValue: unknown }[];
  correlationId?: string;
}): DirectoryAudit {
  return directoryAuditSchema.parse({
    id: `a-${spec.activity}-${spec.agoMs}`,
    category: 'UserManagement',
    correlationId: spec.correlationId ?? 'c-1',
    activityDisplayName: spec.activity,
    activityDateTime: iso(spec.agoMs),
    loggedByService: spec.service ?? (spec.app ? 'Core Directory' : 'Authentication Methods'),
    result: spec.result ?? 'success',
    resultReason: spec.reason ?? '',
    initiatedBy: spec.app
      ? { app: { displayName: spec.app }, user: null }
      : { user: { id: USER_ID, userPrincipalName: 'u@example.com', ipAddress: '198.51.100.24' }, app: null },
    targetResources: [
      {
        id: USER_ID,
        type: 'User',
        userPrincipalName: 'u@example.com',
        modifiedProperties: (spec.props ?? []).map((p) => ({
          displayName: p.displayName,
          oldValue: JSON.stringify(p.oldValue),
          newValue: JSON.stringify(p.newValue),
        })),
      },
    ],
  });
}

const STRONG = 'Azure MFA StrongAuthenticationService';
export const device = (id: string, name: string) => [
  { DeviceName: name, Id: id, DeviceId: id, LastAuthenticatedTimestamp: iso(0) },
];

/** The MFATest1 trail: started, StrongAuthenticationMethod + device set, registered, all registered. */
export function verifiedTrail(agoMs: number, deviceId = 'auth-1'): DirectoryAudit[] {
  return [
    audit({
      activity: 'User started security info registration',
      agoMs,
      reason: 'User started the registration for Authenticator App with Notification and Code',
    }),
    audit({
      activity: 'Update user',
      agoMs: agoMs - 40_000,
      app: STRONG,
      props: [
        {
          displayName: 'StrongAuthenticationMethod',
          oldValue: [],
          newValue: [
            { MethodType: 6, Default: true },
            { MethodType: 7, Default: false },
          ],
        },
        { displayName: 'StrongAuthenticationPhoneAppDetail', oldValue: [], newValue: device(deviceId, 'iPhone 15') },
      ],
    }),
    audit({
      activity: 'User registered security info',
      agoMs: agoMs - 45_000,
      reason: 'User registered Authenticator App with Notification and Code',
    }),
    audit({
      activity: 'User registered all required security info',
      agoMs: agoMs - 50_000,
      reason: 'User registered all required security info.',
    }),
  ];
}

/** The MFATest2 trail: only the device was added, no StrongAuthenticationMethod, no security-info records. */
export function deviceOnlyTrail(agoMs: number, deviceId = 'auth-1'): DirectoryAudit[] {
  return [
    audit({
      activity: 'Update user',
      agoMs,
      app: STRONG,
      props: [
        { displayName: 'StrongAuthenticationPhoneAppDetail', oldValue: [], newValue: device(deviceId, 'Pixel 8') },
      ],
    }),
  ];
}

export const phishingResistantPolicy = {
  id: 'ca-2',
  displayName: 'Admins require phishing-resistant MFA',
  state: 'enabled',
  conditions: {
    users: {
      includeUsers: [],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [GROUP],
      includeRoles: [GLOBAL_ADMIN],
      excludeRoles: [],
    },
  },
  grantControls: {
    operator: 'OR',
    builtInControls: [],
    authenticationStrength: {
      id: 's4',
      displayName: 'Phishing-resistant MFA',
      allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    },
  },
};

/** A complete MfaInput: a cloud member with the default policies; override any part. */
export function input(
  parts: {
    methods?: unknown[];
    report?: unknown;
    events?: DirectoryAudit[];
    coveredFromAgo?: number | null;
    configs?: unknown[];
    groups?: string[];
    roles?: string[];
    userType?: string;
    synced?: boolean;
    allowedToUseSSPR?: boolean;
    ca?: unknown[];
  } = {},
): MfaInput {
  return {
    user: {
      id: USER_ID,
      userPrincipalName: 'u@example.com',
      displayName: 'U',
      userType: parts.userType ?? 'Member',
      onPremisesSyncEnabled: parts.synced ?? null,
    },
    methods: z.array(authenticationMethodSchema).parse(parts.methods ?? [password]),
    registration: parts.report === null ? null : userRegistrationDetailsSchema.parse(parts.report ?? report()),
    groupIds: parts.groups ?? [],
    roleTemplateIds: parts.roles ?? [],
    methodsPolicy: authenticationMethodsPolicySchema.parse({
      id: 'authenticationMethodsPolicy',
      authenticationMethodConfigurations: parts.configs ?? defaultConfigs,
    }),
    authorizationPolicy: authorizationPolicySchema.parse({
      id: 'authorizationPolicy',
      allowedToUseSSPR: parts.allowedToUseSSPR ?? true,
    }),
    caPolicies: z.array(conditionalAccessPolicySchema).parse(parts.ca ?? []),
    audit: {
      events: parts.events ?? [],
      coveredFrom: parts.coveredFromAgo === null ? null : iso(parts.coveredFromAgo ?? 30 * DAY),
    },
  };
}
