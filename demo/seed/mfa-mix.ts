/**
 * The MFA mix of generated users, for `report mfa`: each user gets a profile from (seed, index) alone, and the
 * generator knows what a correct report must say about them (`mfaTruth`). Most are usable; some registered
 * Authenticator but never finished; some have only SMS, which policy turns off for them (an excluded group); some only
 * a passkey outside the passkey pilot the FIDO2 policy targets; some no method; some can't be told (method older than
 * the audit window, report disagrees); guests, disabled and unlicensed accounts are counted apart.
 */
import { appendAudit } from '../audit';
import { createRandom } from '../random';
import { passwordMethod, type DemoState, type DemoUser, type GraphObject } from '../state';
import { isAdmin } from '../membership';
import { ROLE_TEMPLATE, roleByTemplate } from './directory';
import { DAY } from './make-user';
import { authenticatorMethod, emailMethod, fido2Method, phoneMethod, softwareOathMethod } from './methods';

export const NO_SMS_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a0a1';
export const PASSKEY_PILOT_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a0a2';

/** What a correct `report mfa` says about a user: one of the four verdicts, or why they are counted apart. */
export type MfaTruth =
  'usable' | 'registered-not-usable' | 'not-registered' | 'cant-tell' | 'guest' | 'disabled' | 'unlicensed';

export type MfaProfile =
  | 'authenticator-old'
  | 'authenticator-recent'
  | 'sms-usable'
  | 'passkey-pilot'
  | 'never-verified'
  | 'sms-blocked'
  | 'fido2-not-targeted'
  | 'no-methods'
  | 'unknown-old';

const PROFILE_TRUTH: Record<MfaProfile, MfaTruth> = {
  'authenticator-old': 'usable',
  'authenticator-recent': 'usable',
  'sms-usable': 'usable',
  'passkey-pilot': 'usable',
  'never-verified': 'registered-not-usable',
  'sms-blocked': 'registered-not-usable',
  'fido2-not-targeted': 'registered-not-usable',
  'no-methods': 'not-registered',
  'unknown-old': 'cant-tell',
};

// Cumulative shares of the member profiles (the rest is authenticator-old).
const PROFILE_SHARES: [number, MfaProfile][] = [
  [0.04, 'no-methods'],
  [0.1, 'never-verified'],
  [0.15, 'sms-blocked'],
  [0.18, 'fido2-not-targeted'],
  [0.2, 'unknown-old'],
  [0.22, 'passkey-pilot'],
  [0.27, 'sms-usable'],
  [0.37, 'authenticator-recent'],
];

const AUTH_METHODS = 'Authentication Methods';

interface MixEntry {
  profile: MfaProfile;
  created: number;
  extraPhone: boolean;
  oath: boolean;
  email: boolean;
}

/** Per generated user: its profile and the truth, kept by the generator. */
export interface MfaMix {
  profiles: Map<string, MixEntry>;
  apart: Map<string, Extract<MfaTruth, 'guest' | 'disabled' | 'unlicensed'>>;
}

const MIXES = new WeakMap<DemoState, MfaMix>();

function indexOf(user: DemoUser): number {
  return parseInt(user.id.slice(24), 16);
}

/** The truth for a generated user (undefined for seeded users: the generator did not make them). */
export function mfaTruth(state: DemoState, userId: string): MfaTruth | undefined {
  const mix = MIXES.get(state);
  if (!mix) return undefined;
  const apart = mix.apart.get(userId);
  if (apart) return apart;
  const entry = mix.profiles.get(userId);
  return entry ? PROFILE_TRUTH[entry.profile] : undefined;
}

function registrationRow(state: DemoState, user: DemoUser, updated: number): GraphObject {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: 'member',
    isAdmin: isAdmin(state, user.id),
    isSsprRegistered: false,
    isSsprEnabled: true,
    isSsprCapable: false,
    isMfaRegistered: false,
    isMfaCapable: false,
    isPasswordlessCapable: false,
    lastUpdatedDateTime: new Date(updated).toISOString(),
    methodsRegistered: [],
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: [],
    userPreferredMethodForSecondaryAuthentication: '',
  };
}

function ensureGroup(state: DemoState, id: string, displayName: string, description: string): Set<string> {
  let group = state.groups.get(id);
  if (!group) {
    group = {
      id,
      displayName,
      description,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      members: new Set(),
    };
    state.groups.set(id, group);
  }
  return group.members;
}

type MethodConfig = { id?: unknown; includeTargets?: unknown; excludeTargets?: unknown };

/** SMS is turned off for the "No SMS" group; FIDO2 is enabled only for the passkey pilot (seeded passkeys join it). */
function tightenPolicy(state: DemoState, pilot: Set<string>): void {
  const configs = state.authenticationMethodsPolicy.authenticationMethodConfigurations as MethodConfig[] | undefined;
  for (const c of configs ?? []) {
    if (c.id === 'Sms')
      c.excludeTargets = [{ targetType: 'group', id: NO_SMS_GROUP_ID, isRegistrationRequired: false }];
    if (c.id === 'Fido2')
      c.includeTargets = [{ targetType: 'group', id: PASSKEY_PILOT_GROUP_ID, isRegistrationRequired: false }];
  }
  for (const [userId, methods] of state.methods) {
    if (methods.some((m) => m['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod')) pilot.add(userId);
  }
}

/**
 * Gives every generated user (already added, in `ids`) a profile: methods come lazily from `methodsFor`, audit
 * records and fixed report rows are written now. Called once by the generator.
 */
export function applyMfaMix(state: DemoState, t0: number, seed: number, ids: readonly string[]): MfaMix {
  const noSms = ensureGroup(state, NO_SMS_GROUP_ID, 'No SMS MFA', 'SMS sign-in and MFA are turned off for them');
  const pilot = ensureGroup(state, PASSKEY_PILOT_GROUP_ID, 'Passkey pilot', 'FIDO2 passkeys are enabled for them');
  tightenPolicy(state, pilot);
  const admins = roleByTemplate(state, ROLE_TEMPLATE.authenticationAdministrator).members;
  const mix: MfaMix = { profiles: new Map(), apart: new Map() };
  for (const id of ids) {
    const user = state.users.get(id);
    if (!user) continue;
    const n = indexOf(user);
    const r = createRandom((seed * 1_000_003) ^ (n * 7919) ^ 0x44);
    const kind = r();
    if (kind < 0.02) {
      user.userType = 'Guest';
      user.creationType = 'Invitation';
      user.externalUserState = 'Accepted';
      user.assignedLicenses = [];
    } else if (kind < 0.04) user.assignedLicenses = [];
    // Admins: a few, never among the first thousand (other tests take their targets from there).
    if (n >= 1000 && n % 53 === 0 && user.userType === 'Member') admins.add(user.id);
    const apart =
      user.userType === 'Guest'
        ? 'guest'
        : !user.accountEnabled
          ? 'disabled'
          : user.assignedLicenses.length === 0
            ? 'unlicensed'
            : null;
    if (apart) mix.apart.set(user.id, apart);
    const roll = r();
    const profile = PROFILE_SHARES.find(([share]) => roll < share)?.[1] ?? 'authenticator-old';
    const recent = t0 - Math.floor(2 + r() * 25) * DAY;
    const old = t0 - Math.floor(40 + r() * 600) * DAY;
    const entry: MixEntry = {
      profile,
      created: profile === 'authenticator-recent' || profile === 'never-verified' ? recent : old,
      extraPhone: r() < 0.2 && (profile === 'authenticator-old' || profile === 'authenticator-recent'),
      oath: r() < 0.05 && profile === 'authenticator-old',
      email: r() < 0.5 && profile === 'no-methods',
    };
    mix.profiles.set(user.id, entry);
    if (profile === 'sms-blocked') noSms.add(user.id);
    if (profile === 'passkey-pilot') pilot.add(user.id);
    // Guests and counted-apart users keep their profile's methods, but no audit trail or fixed rows are needed.
    if (apart) continue;
    if (profile === 'authenticator-recent' || profile === 'never-verified') {
      const ip = `198.51.100.${n % 250}`;
      const correlationId = `c0ee${n.toString(16).padStart(4, '0').slice(-4)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
      appendAudit(state, {
        activityDisplayName: 'User started security info registration',
        loggedByService: AUTH_METHODS,
        resultReason: 'User started the registration for Authenticator App with Notification and Code',
        correlationId,
        at: entry.created,
        initiatedBy: { kind: 'user', user, ipAddress: ip },
        target: user,
        operationType: 'Add',
      });
      if (profile === 'authenticator-recent') {
        appendAudit(state, {
          activityDisplayName: 'User registered security info',
          loggedByService: AUTH_METHODS,
          resultReason: 'User registered Authenticator App with Notification and Code',
          correlationId,
          at: entry.created + 45_000,
          initiatedBy: { kind: 'user', user, ipAddress: ip },
          target: user,
          operationType: 'Add',
        });
      } else {
        // The report agrees: the device is listed as a method but was never verified.
        state.registration.set(user.id, registrationRow(state, user, entry.created));
      }
    }
    // Registered long before the audit window, and the report (updated since) does not list it: can't tell.
    if (profile === 'unknown-old') state.registration.set(user.id, registrationRow(state, user, t0 - 2 * DAY));
  }
  MIXES.set(state, mix);
  return mix;
}

/** The methods of a generated user, from its profile. */
export function mixMethods(state: DemoState, user: DemoUser): GraphObject[] | null {
  const entry = MIXES.get(state)?.profiles.get(user.id);
  if (!entry) return null;
  const n = indexOf(user);
  const hex = n.toString(16).padStart(6, '0');
  const created = new Date(entry.created).toISOString();
  const phone = `+1 425555${(n % 10_000).toString().padStart(4, '0')}`;
  const list: GraphObject[] = [passwordMethod()];
  switch (entry.profile) {
    case 'authenticator-old':
    case 'authenticator-recent':
    case 'never-verified':
    case 'unknown-old':
      list.push(authenticatorMethod(`a1${hex}-0000-4000-8000-000000000001`, 'iPhone 15', created));
      break;
    case 'sms-usable':
    case 'sms-blocked':
      list.push(phoneMethod(phone));
      break;
    case 'passkey-pilot':
    case 'fido2-not-targeted':
      list.push(fido2Method(`fido-${n}`, created));
      break;
    case 'no-methods':
      break;
  }
  if (entry.extraPhone) list.push(phoneMethod(phone));
  if (entry.oath) list.push(softwareOathMethod(`oath-${n}`));
  if (entry.email) list.push(emailMethod(`${user.userPrincipalName.split('@')[0] ?? 'user'}.home@example.org`));
  return list;
}
