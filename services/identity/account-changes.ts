/**
 * Changes the user's own account made in the investigation window (directory audits it initiated), and the
 * authentication methods added in the window. What an attacker with the password does next: register their own
 * method, consent an app, add a credential to an app the user owns, invite a guest, add someone to a group or role.
 * Pure.
 */
import type { DirectoryAudit } from '../graph/schemas';
import type { MethodFamily, TrailEntry } from './mfa-trail';
import type { MethodAssessment } from './mfa-verdict';
import type { PersistenceItem } from './persistence';

export type ChangeCategory =
  'method' | 'consent' | 'group' | 'role' | 'app-credential' | 'app' | 'invitation' | 'password' | 'other';

export interface AccountChange {
  id: string;
  at: string;
  /** Graph's activityDisplayName (untrusted text). */
  activity: string;
  category: ChangeCategory;
  /** The first target's display name or UPN (untrusted), when the record names one. */
  target: string | null;
  succeeded: boolean;
  ipAddress: string | null;
  /** A category an attacker uses to stay in (everything but group changes, passwords and other). */
  suspicious: boolean;
  /** Credentials the record added to an application (removable by `contain`). */
  items: PersistenceItem[];
}

const CATEGORIES: [RegExp, ChangeCategory][] = [
  [/security info|temporary access pass|authentication method/i, 'method'],
  [/^consent to application/i, 'consent'],
  [/certificates and secrets|service principal credentials|credential/i, 'app-credential'],
  [/to role|from role|eligible member|scoped member/i, 'role'],
  [/invite|redeem/i, 'invitation'],
  [/group/i, 'group'],
  [/password/i, 'password'],
  [/application|service principal/i, 'app'],
];
const SUSPICIOUS: ReadonlySet<ChangeCategory> = new Set(['method', 'consent', 'role', 'app-credential', 'invitation']);

export function categoryOf(audit: DirectoryAudit): ChangeCategory {
  if ((audit.loggedByService ?? '').toLowerCase() === 'authentication methods') return 'method';
  for (const [pattern, category] of CATEGORIES) if (pattern.test(audit.activityDisplayName)) return category;
  return 'other';
}

// "[KeyIdentifier=<guid>,KeyType=Password,KeyUsage=Verify,DisplayName=…]" entries of the KeyDescription property, as
// Entra writes them in "Update application – Certificates and secrets management" records (no Graph docs example).
const KEY_ENTRY = /KeyIdentifier=([0-9a-f-]{36})\s*,\s*KeyType=([A-Za-z0-9]+)/gi;

function keyEntries(value: unknown): Map<string, 'password' | 'key'> {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  const keys = new Map<string, 'password' | 'key'>();
  for (const m of text.matchAll(KEY_ENTRY)) {
    const [, keyId, type] = m;
    if (keyId && type) keys.set(keyId.toLowerCase(), type.toLowerCase() === 'password' ? 'password' : 'key');
  }
  return keys;
}

/** Credentials a record added to an application: KeyDescription entries after the change and not before. */
export function credentialsAdded(audit: DirectoryAudit): PersistenceItem[] {
  const items: PersistenceItem[] = [];
  for (const t of audit.targetResources) {
    if ((t.type ?? '').toLowerCase() !== 'application' || !t.id) continue;
    const prop = t.modifiedProperties.find((p) => (p.displayName ?? '').toLowerCase() === 'keydescription');
    if (!prop) continue;
    const before = keyEntries(prop.oldDecoded);
    for (const [keyId, credential] of keyEntries(prop.newDecoded)) {
      if (before.has(keyId)) continue;
      items.push({ kind: 'app-credential', appObjectId: t.id, keyId, credential, app: t.displayName ?? t.id });
    }
  }
  return items;
}

/** The records in the window, oldest first, categorised. */
export function judgeAccountChanges(initiated: readonly DirectoryAudit[], windowStart: number): AccountChange[] {
  return initiated
    .filter((a) => Date.parse(a.activityDateTime) >= windowStart)
    .sort((a, b) => Date.parse(a.activityDateTime) - Date.parse(b.activityDateTime))
    .map((a): AccountChange => {
      const category = categoryOf(a);
      const succeeded = a.result !== 'failure' && a.result !== 'timeout';
      const first = a.targetResources[0];
      return {
        id: a.id,
        at: a.activityDateTime,
        activity: a.activityDisplayName,
        category,
        target: first?.displayName ?? first?.userPrincipalName ?? null,
        succeeded,
        ipAddress: a.initiatedBy.user?.ipAddress ?? null,
        suspicious: succeeded && SUSPICIOUS.has(category),
        items: succeeded && category === 'app-credential' ? credentialsAdded(a) : [],
      };
    });
}

/** The Graph path segment under users/{id}/authentication/ of each removable method family. */
export const METHOD_SEGMENT: Partial<Record<MethodFamily, string>> = {
  authenticator: 'microsoftAuthenticatorMethods',
  phone: 'phoneMethods',
  fido2: 'fido2Methods',
  softwareOath: 'softwareOathMethods',
  windowsHello: 'windowsHelloForBusinessMethods',
  platformCredential: 'platformCredentialMethods',
  email: 'emailMethods',
  temporaryAccessPass: 'temporaryAccessPassMethods',
};

export interface AddedMethod {
  methodId: string;
  family: MethodFamily;
  label: string | null;
  /** The method's createdDateTime, else the audit record of its family's registration in the window. */
  addedAt: string;
  item: PersistenceItem;
}

/**
 * Methods added in the window: by createdDateTime where Graph keeps one; phone and email methods have none, so a
 * successful registration of their family in the audit trail within the window dates them.
 */
export function methodsAdded(
  methods: readonly MethodAssessment[],
  trail: readonly TrailEntry[],
  windowStart: number,
): AddedMethod[] {
  const out: AddedMethod[] = [];
  for (const m of methods) {
    const segment = METHOD_SEGMENT[m.family];
    if (!segment) continue;
    let addedAt: string | null = null;
    if (m.createdAt !== null) {
      if (Date.parse(m.createdAt) >= windowStart) addedAt = m.createdAt;
    } else {
      const registration = trail
        .filter(
          (e) =>
            e.succeeded &&
            e.family === m.family &&
            (e.kind === 'registered' || e.kind === 'admin-registered' || e.kind === 'updated') &&
            Date.parse(e.at) >= windowStart,
        )
        .at(-1);
      addedAt = registration?.at ?? null;
    }
    if (addedAt === null) continue;
    const label = m.label;
    out.push({
      methodId: m.methodId,
      family: m.family,
      label,
      addedAt,
      item: { kind: 'method', id: m.methodId, methodType: segment, label: label ?? segment },
    });
  }
  return out.sort((a, b) => Date.parse(a.addedAt) - Date.parse(b.addedAt));
}
