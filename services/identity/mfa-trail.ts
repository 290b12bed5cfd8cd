/** Decodes a user's security-info audit records into a typed trail the MFA verdict reads. Pure. */
import type { DirectoryAudit } from '../graph/schemas';

/** The method families the verdict reasons about (authentication-method types, grouped as users see them). */
export type MethodFamily =
  | 'authenticator'
  | 'phone'
  | 'fido2'
  | 'softwareOath'
  | 'windowsHello'
  | 'platformCredential'
  | 'email'
  | 'temporaryAccessPass'
  | 'password'
  | 'unknown';

// graph-api.md §3: StrongAuthenticationMethod.MethodType is an index into this list (the KQL in the MFA blog).
export const STRONG_AUTH_METHOD_TYPES = [
  'TwoWayVoiceMobile',
  'TwoWaySms',
  'TwoWayVoiceOffice',
  'TwoWayVoiceOtherMobile',
  'TwoWaySmsOtherMobile',
  'OneWaySms',
  'PhoneAppNotification',
  'PhoneAppOTP',
] as const;

/** A MethodType's name: from the list above, or `MethodType<n>` for an index it does not have (never Graph's text). */
export type MethodTypeName = (typeof STRONG_AUTH_METHOD_TYPES)[number] | `MethodType${number}`;

/** The family a StrongAuthenticationMethod MethodType belongs to. */
export function familyOfMethodType(index: number): MethodFamily {
  if (index === 6 || index === 7) return 'authenticator';
  if (index >= 0 && index <= 5) return 'phone';
  return 'unknown';
}

export interface StrongAuthChange {
  /** MethodType names present after the change and not before. */
  added: MethodTypeName[];
  removed: MethodTypeName[];
  /** The MethodType name marked Default after the change, if any. */
  defaultAfter: MethodTypeName | null;
  /** Families with at least one MethodType after the change. */
  familiesAfter: MethodFamily[];
}

export interface PhoneAppDevice {
  id: string | null;
  name: string | null;
}

export interface PhoneAppChange {
  added: PhoneAppDevice[];
  removed: PhoneAppDevice[];
  /** Only LastAuthenticatedTimestamp / app version moved: ordinary use, not a registration (graph-api.md §3). */
  usageOnly: boolean;
}

export type TrailKind =
  | 'started'
  | 'registered'
  | 'registered-all'
  | 'registration-canceled'
  | 'updated'
  | 'reviewed'
  | 'deleted'
  | 'default-changed'
  | 'admin-registered'
  | 'admin-deleted'
  | 'strong-auth-update'
  | 'device-registration'
  | 'sspr'
  | 'other';

/** One decoded audit record. Strings that came from Graph (reasons, IPs) are rendered untrusted by cards. */
export interface TrailEntry {
  id: string;
  at: string;
  kind: TrailKind;
  activity: string;
  succeeded: boolean;
  resultReason: string | null;
  ipAddress: string | null;
  correlationId: string | null;
  /** The method family the record is about, when it says. */
  family: MethodFamily | null;
  strongAuth: StrongAuthChange | null;
  phoneApp: PhoneAppChange | null;
}

const REASON_FAMILIES: [RegExp, MethodFamily][] = [
  [/temporary access pass/i, 'temporaryAccessPass'],
  [/authenticator/i, 'authenticator'],
  [/security key|fido|passkey/i, 'fido2'],
  [/windows hello/i, 'windowsHello'],
  [/oath|hardware token|software token/i, 'softwareOath'],
  [/phone|sms|voice|mobile/i, 'phone'],
  [/e-?mail/i, 'email'],
  [/password/i, 'password'],
];

/** The family a resultReason such as "User registered Authenticator App with Notification and Code" names. */
export function familyOfReason(reason: string | null): MethodFamily | null {
  if (!reason) return null;
  for (const [pattern, family] of REASON_FAMILIES) if (pattern.test(reason)) return family;
  return null;
}

/** Values are JSON strings; some tenants double-encode them, so a decoded string is parsed once more. */
function asArray(value: unknown): unknown[] {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      // A plain string is not a method list; treat it as empty rather than guessing.
      return [];
    }
  }
  return Array.isArray(v) ? v : [];
}

function field(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null) return undefined;
  const entries = Object.entries(record as Record<string, unknown>);
  return entries.find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

function methodTypes(value: unknown): {
  names: MethodTypeName[];
  defaultName: MethodTypeName | null;
  families: MethodFamily[];
} {
  const names: MethodTypeName[] = [];
  const families = new Set<MethodFamily>();
  let defaultName: MethodTypeName | null = null;
  for (const item of asArray(value)) {
    const type = field(item, 'MethodType');
    if (typeof type !== 'number') continue;
    const name: MethodTypeName = STRONG_AUTH_METHOD_TYPES[type] ?? `MethodType${type}`;
    names.push(name);
    families.add(familyOfMethodType(type));
    if (field(item, 'Default') === true) defaultName = name;
  }
  return { names, defaultName, families: [...families] };
}

function devices(value: unknown): PhoneAppDevice[] {
  return asArray(value).map((d) => {
    const id = field(d, 'Id') ?? field(d, 'DeviceId');
    const name = field(d, 'DeviceName');
    return { id: typeof id === 'string' ? id : null, name: typeof name === 'string' ? name : null };
  });
}

function deviceKey(d: PhoneAppDevice): string {
  return (d.id ?? d.name ?? '').toLowerCase();
}

function decodeStrongAuth(oldValue: unknown, newValue: unknown): StrongAuthChange {
  const before = methodTypes(oldValue);
  const after = methodTypes(newValue);
  return {
    added: after.names.filter((n) => !before.names.includes(n)),
    removed: before.names.filter((n) => !after.names.includes(n)),
    defaultAfter: after.defaultName,
    familiesAfter: after.families,
  };
}

function decodePhoneApp(oldValue: unknown, newValue: unknown): PhoneAppChange {
  const before = devices(oldValue);
  const after = devices(newValue);
  const beforeKeys = new Set(before.map(deviceKey));
  const afterKeys = new Set(after.map(deviceKey));
  const added = after.filter((d) => !beforeKeys.has(deviceKey(d)));
  const removed = before.filter((d) => !afterKeys.has(deviceKey(d)));
  return { added, removed, usageOnly: added.length === 0 && removed.length === 0 };
}

function kindOf(event: DirectoryAudit): TrailKind {
  const activity = event.activityDisplayName.trim().toLowerCase();
  const app = (event.initiatedBy.app?.displayName ?? '').toLowerCase();
  if (activity === 'user started security info registration') return 'started';
  if (activity === 'user registered all required security info')
    return event.result === 'failure' ? 'registration-canceled' : 'registered-all';
  if (activity === 'user registered security info') return 'registered';
  if (activity === 'user updated security info' || activity === 'admin updated security info') return 'updated';
  if (activity === 'user reviewed security info') return 'reviewed';
  if (activity === 'user deleted security info') return 'deleted';
  if (activity === 'user changed default security info') return 'default-changed';
  if (activity === 'admin registered security info') return 'admin-registered';
  if (activity === 'admin deleted security info') return 'admin-deleted';
  if (activity === 'update user' && app.includes('strongauthenticationservice')) return 'strong-auth-update';
  if (activity === 'update user' && app.includes('device registration')) return 'device-registration';
  if ((event.loggedByService ?? '').toLowerCase() === 'self-service password management') return 'sspr';
  return 'other';
}

/** One audit record, decoded. */
export function decodeAuditEvent(event: DirectoryAudit): TrailEntry {
  const kind = kindOf(event);
  const props = event.targetResources.flatMap((t) => t.modifiedProperties);
  const prop = (name: string) => props.find((p) => (p.displayName ?? '').toLowerCase() === name.toLowerCase());
  const sam = prop('StrongAuthenticationMethod');
  const pad = prop('StrongAuthenticationPhoneAppDetail');
  const strongAuth = sam ? decodeStrongAuth(sam.oldDecoded, sam.newDecoded) : null;
  const phoneApp = pad ? decodePhoneApp(pad.oldDecoded, pad.newDecoded) : null;
  let family = familyOfReason(event.resultReason);
  if (family === null && kind === 'strong-auth-update') {
    family = strongAuth?.familiesAfter[0] ?? (phoneApp ? 'authenticator' : null);
  }
  if (family === null && kind === 'device-registration') family = 'fido2';
  return {
    id: event.id,
    at: event.activityDateTime,
    kind,
    activity: event.activityDisplayName,
    succeeded: event.result !== 'failure' && event.result !== 'timeout',
    resultReason: event.resultReason === '' ? null : event.resultReason,
    ipAddress: event.initiatedBy.user?.ipAddress ?? null,
    correlationId: event.correlationId,
    family,
    strongAuth,
    phoneApp,
  };
}

/** The whole trail, oldest first. */
export function decodeTrail(events: readonly DirectoryAudit[]): TrailEntry[] {
  return events.map(decodeAuditEvent).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
