/** Does an address also have a personal Microsoft account? Judged from GetCredentialType and userrealm (graph-api.md §15). Pure. */
import { z } from 'zod';

/** GetCredentialType's answer, as far as we read it; every field optional because the endpoint is undocumented. */
export const credentialTypeSchema = z.looseObject({
  IfExistsResult: z.number().int().nullish(),
  ThrottleStatus: z.number().int().nullish(),
  EstsProperties: z.looseObject({ DomainType: z.number().int().nullish() }).nullish(),
  Credentials: z.looseObject({ FederationRedirectUrl: z.string().nullish() }).nullish(),
});
export type CredentialType = z.infer<typeof credentialTypeSchema>;

/** userrealm's answer: MicrosoftAccount 0 means the address also has a personal account (MSIdentityTools' rule). */
export const userRealmSchema = z.looseObject({
  NameSpaceType: z.string().nullish(),
  MicrosoftAccount: z.union([z.number(), z.string()]).nullish(),
});
export type UserRealm = z.infer<typeof userRealmSchema>;

/** One look-up's outcome: its parsed body, or why there is none. */
export type LookupResult<T> =
  { kind: 'ok'; value: T } | { kind: 'failed'; reason: 'timeout' | 'http' | 'network' | 'shape'; status?: number };

export type ConsumerAccountVerdict =
  | { kind: 'both'; source: 'credential-type' | 'userrealm' }
  | { kind: 'personal-only'; source: 'credential-type' }
  | { kind: 'work-only' }
  | { kind: 'neither' }
  | { kind: 'cant-tell'; why: CantTellReason[] };

export type CantTellReason = 'throttled' | 'federated' | 'error' | 'unreachable' | 'unknown-answer';

export interface ConsumerAccountCheck {
  address: string;
  verdict: ConsumerAccountVerdict;
  ifExistsResult: number | null;
  domainType: number | null;
  federated: boolean;
  realmSaysMsa: boolean | null;
}

const FEDERATED_DOMAIN_TYPES = new Set([4, 5]);

function realmMsa(realm: LookupResult<UserRealm>): boolean | null {
  if (realm.kind !== 'ok') return null;
  const v = realm.value.MicrosoftAccount;
  if (v === 0 || v === '0') return true;
  if (v === 1 || v === '1') return false;
  return null;
}

/** Combine both look-ups: a positive answer from either counts; "no" needs an answer that can say no. */
export function judgeConsumerAccount(
  address: string,
  credential: LookupResult<CredentialType>,
  realm: LookupResult<UserRealm>,
): ConsumerAccountCheck {
  const ct = credential.kind === 'ok' ? credential.value : null;
  const ifExists = ct?.IfExistsResult ?? null;
  const domainType = ct?.EstsProperties?.DomainType ?? null;
  const federated =
    (domainType !== null && FEDERATED_DOMAIN_TYPES.has(domainType)) ||
    !!ct?.Credentials?.FederationRedirectUrl ||
    (realm.kind === 'ok' && realm.value.NameSpaceType?.toLowerCase() === 'federated');
  const throttled = (ct?.ThrottleStatus ?? 0) !== 0 || ifExists === 2;
  const realmSaysMsa = realmMsa(realm);
  const result = (verdict: ConsumerAccountVerdict): ConsumerAccountCheck => ({
    address,
    verdict,
    ifExistsResult: ifExists,
    domainType,
    federated,
    realmSaysMsa,
  });

  if (!throttled && ifExists === 6) return result({ kind: 'both', source: 'credential-type' });
  if (!throttled && ifExists === 5) return result({ kind: 'personal-only', source: 'credential-type' });
  if (realmSaysMsa === true) return result({ kind: 'both', source: 'userrealm' });
  // Federated domains answer 0 for every address, so GetCredentialType's "no" means nothing there.
  const credentialCanSayNo = !throttled && !federated && (ifExists === 0 || ifExists === 1);
  if (credentialCanSayNo) return result(ifExists === 0 ? { kind: 'work-only' } : { kind: 'neither' });
  const why: CantTellReason[] = [];
  if (throttled) why.push('throttled');
  if (federated) why.push('federated');
  // Only GetCredentialType can say "no", so without its answer a userrealm "no" is not enough.
  if (credential.kind === 'failed') why.push('unreachable');
  else if (ifExists === 4) why.push('error');
  if (why.length === 0) why.push('unknown-answer');
  return result({ kind: 'cant-tell', why });
}
