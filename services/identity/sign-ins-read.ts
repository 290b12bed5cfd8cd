/** Graph reads for `signins <upn>`: the user, their recent sign-ins and their risky-user record, in one `$batch`. */
import { z } from 'zod';
import { isCodedError } from '../errors';
import {
  batch,
  batchItemValue,
  collectionSchema,
  odataString,
  resolveUser,
  riskyUserSchema,
  signInSchema,
  userPath,
  withQuery,
  type BatchItem,
  type BatchItemResult,
  type GraphClient,
  type RiskyUser,
  type SignIn,
} from '../graph';
import type { UserId, UserRef } from '../ids';

/** How many of the newest sign-ins are read (one page; Graph's page size is up to 1,000). */
export const SIGN_INS_READ = 50;

/** Identity Protection's answer, or why there is none (no P2 licence or permission must not hide the sign-ins). */
export type RiskRead = { kind: 'read'; riskyUser: RiskyUser | null } | { kind: 'unavailable'; permission: string };

export interface SignInsInput {
  user: { id: string; displayName: string | null; userPrincipalName: string };
  signIns: SignIn[];
  risk: RiskRead;
}

export const directoryUserSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string(),
});

/** The user as the card names them, read by id with `$select` (one resource unit). */
export function userItem(id: UserId): BatchItem {
  return {
    id: 'user',
    method: 'GET',
    url: withQuery(userPath({ kind: 'id', id }), { $select: ['id', 'displayName', 'userPrincipalName'] }),
  };
}

/** Reads what `signins` needs: the user is resolved once (cached), then one `$batch` of three independent reads. */
export async function readSignIns(client: GraphClient, ref: UserRef): Promise<SignInsInput> {
  const id = await resolveUser(client, ref);
  const items = {
    user: userItem(id),
    signIns: {
      id: 'signIns',
      method: 'GET',
      url: withQuery('/auditLogs/signIns', { $filter: `userId eq ${odataString(id)}`, $top: SIGN_INS_READ }),
    },
    risky: { id: 'risky', method: 'GET', url: `/identityProtection/riskyUsers/${encodeURIComponent(id)}` },
  } satisfies Record<string, BatchItem>;
  const results = await batch(client, Object.values(items), { priority: 'interactive' });
  const user = batchItemValue(results.get('user'), items.user, directoryUserSchema);
  const signIns = batchItemValue(results.get('signIns'), items.signIns, collectionSchema(signInSchema)).value;
  return {
    user: { id: user.id, displayName: user.displayName ?? null, userPrincipalName: user.userPrincipalName },
    signIns,
    risk: riskOf(results.get('risky'), items.risky),
  };
}

function riskOf(result: BatchItemResult | undefined, item: BatchItem): RiskRead {
  // Identity Protection answers 404 for a user it has no record of: that is "not risky", not an error.
  if (result?.status === 404) return { kind: 'read', riskyUser: null };
  try {
    return { kind: 'read', riskyUser: batchItemValue(result, item, riskyUserSchema) };
  } catch (error) {
    if (isCodedError(error, 'graph_forbidden')) {
      const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
      return { kind: 'unavailable', permission: permission ?? 'IdentityRiskyUser.Read.All (Entra ID P2)' };
    }
    throw error;
  }
}
