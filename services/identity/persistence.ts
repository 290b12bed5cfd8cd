/**
 * What an attacker may have left behind in a compromised account: the items `investigate <upn>` flags and `contain`
 * (or a single action) removes. Investigation produces them; the approval binds the exact list (its hash covers
 * every field); the executor removes each one, reads back, and keeps the before-state.
 *
 * Every string that came from the tenant (names, scopes, app names) is untrusted text: cards show it only as TextRun.
 */
export type PersistenceItem =
  /** A delegated permission grant (`oauth2PermissionGrants/{id}`) whose principal is the user. */
  | { kind: 'grant'; id: string; app: string; clientId: string; scopes: string[] }
  /** An app role assignment of the user (`users/{userId}/appRoleAssignments/{id}`). */
  | { kind: 'app-role-assignment'; id: string; app: string; resourceId: string }
  /** A mailbox permission someone else holds on the user's mailbox (Exchange). */
  | { kind: 'delegate'; delegate: string; right: 'FullAccess' | 'SendAs' | 'SendOnBehalf' }
  /** A device the user registered or joined (`devices/{id}`, disabled with `accountEnabled: false`). */
  | { kind: 'device'; id: string; name: string }
  /** An authentication method of the user (`users/{userId}/authentication/{methodType}/{id}`). */
  | { kind: 'method'; id: string; methodType: string; label: string }
  /** A credential on an app the user owns (`applications/{appObjectId}` removePassword / removeKey). */
  | { kind: 'app-credential'; appObjectId: string; keyId: string; credential: 'password' | 'key'; app: string }
  /**
   * An Exchange mobile-device partnership of the user's mailbox (`Get-MobileDevice`): its ActiveSync token outlives
   * session revocation, so contain blocks the device id for the mailbox (`Set-CASMailbox -ActiveSyncBlockedDeviceIDs`).
   */
  | { kind: 'mobile-device'; deviceId: string; name: string };

export type PersistenceKind = PersistenceItem['kind'];

/** A stable key for an item: card checkboxes carry it, the approval hash and the executor's step ids use it. */
export function persistenceKey(item: PersistenceItem): string {
  switch (item.kind) {
    case 'grant':
    case 'app-role-assignment':
    case 'device':
    case 'method':
      return `${item.kind}:${item.id}`;
    case 'delegate':
      return `delegate:${item.right}:${item.delegate.toLowerCase()}`;
    case 'app-credential':
      return `app-credential:${item.appObjectId}:${item.keyId}`;
    case 'mobile-device':
      return `mobile-device:${item.deviceId}`;
  }
}
