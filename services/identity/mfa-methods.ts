/** Authentication-method facts the MFA verdict needs: family, label, report names, which count for MFA. Pure. */
import type { AuthenticationMethod, UserRegistrationDetails } from '../graph/schemas';
import type { MethodFamily } from './mfa-trail';

/** Families that can satisfy MFA on their own (a TAP is temporary; email and password cannot). */
export const MFA_FAMILIES: ReadonlySet<MethodFamily> = new Set([
  'authenticator',
  'phone',
  'fido2',
  'softwareOath',
  'windowsHello',
  'platformCredential',
]);

// A key pair is listed only after the device proved possession during registration, so listing is the evidence.
export const VERIFIED_ON_CREATION: ReadonlySet<MethodFamily> = new Set(['fido2', 'windowsHello', 'platformCredential']);

const KIND_FAMILY: Readonly<Record<AuthenticationMethod['kind'], MethodFamily>> = {
  password: 'password',
  microsoftAuthenticator: 'authenticator',
  phone: 'phone',
  fido2: 'fido2',
  softwareOath: 'softwareOath',
  temporaryAccessPass: 'temporaryAccessPass',
  windowsHelloForBusiness: 'windowsHello',
  email: 'email',
  platformCredential: 'platformCredential',
  unknown: 'unknown',
};

export function familyOfMethod(method: AuthenticationMethod): MethodFamily {
  return KIND_FAMILY[method.kind];
}

/** The device name, number or address that tells two methods of a kind apart (untrusted). */
export function labelOfMethod(method: AuthenticationMethod): string | null {
  switch (method.kind) {
    case 'microsoftAuthenticator':
    case 'fido2':
    case 'windowsHelloForBusiness':
    case 'platformCredential':
      return method.displayName;
    case 'phone':
      return method.phoneNumber;
    case 'email':
      return method.emailAddress;
    default:
      return null;
  }
}

// methodsRegistered is an open set (graph-api.md §2); these are the names seen in the docs and public code.
const REPORT_NAMES: Readonly<Record<MethodFamily, readonly string[]>> = {
  authenticator: ['microsoftAuthenticatorPush', 'microsoftAuthenticatorPasswordless'],
  phone: ['mobilePhone', 'alternateMobilePhone', 'officePhone'],
  fido2: ['fido2', 'fido2SecurityKey', 'passKeyDeviceBound', 'passKeyDeviceBoundAuthenticator'],
  softwareOath: ['softwareOneTimePasscode'],
  windowsHello: ['windowsHelloForBusiness'],
  platformCredential: ['macOsSecureEnclaveKey'],
  email: ['email'],
  temporaryAccessPass: ['temporaryAccessPass'],
  password: [],
  unknown: [],
};

/** Whether the registration report lists the family as registered. */
export function reportCounts(report: UserRegistrationDetails | null, family: MethodFamily): boolean {
  if (!report) return false;
  const names = new Set(REPORT_NAMES[family].map((n) => n.toLowerCase()));
  return report.methodsRegistered.some((m) => names.has(m.toLowerCase()));
}

/** When the method was created, for the kinds Graph dates. */
export function createdAtOf(method: AuthenticationMethod): string | null {
  switch (method.kind) {
    case 'password':
    case 'microsoftAuthenticator':
    case 'fido2':
    case 'temporaryAccessPass':
    case 'windowsHelloForBusiness':
    case 'platformCredential':
      return method.createdDateTime ?? null;
    default:
      return null;
  }
}
