/** Graph reads for `signins <upn>`: the user, their recent sign-ins and their risky-user record, in one `$batch`. */
import { isCodedError } from '../errors';
import {
  endpoints,
  readBatch,
  type BatchReplies,
  type BoundRead,
  type GraphClient,
  type Reads,
  type RiskyUser,
  type SignIn,
  type UserResolver,
} from '../graph';
import type { UserRef } from '../ids';

/** How many of the newest sign-ins are read (one page; Graph's page size is up to 1,000). */
export const SIGN_INS_READ = 50;

/** Identity Protection's answer, or why there is none (no P2 licence or permission must not hide the sign-ins). */
export type RiskRead = { kind: 'read'; riskyUser: RiskyUser | null } | { kind: 'unavailable'; permission: string };

export interface SignInsInput {
  user: { id: string; displayName: string | null; userPrincipalName: string };
  signIns: SignIn[];
  risk: RiskRead;
}

/**
 * The sign-ins and the risky-user record of a user, by id when known, else by the UPN filters Graph documents for
 * both, so the reads need no resolution round trip first.
 */
export function signInReads(address: UserRef): {
  signIns: BoundRead<{ value: SignIn[] }>;
  risky: BoundRead<RiskyUser | null>;
} {
  return {
    signIns: endpoints.signIns.at({ who: address, top: SIGN_INS_READ }),
    risky:
      address.kind === 'id'
        ? endpoints.riskyUser.at({ id: address.id })
        : endpoints.riskyUserByUpn.at({ upn: address.upn }),
  };
}

type SignInReads = ReturnType<typeof signInReads>;
type RiskReplies = BatchReplies<Pick<SignInReads, 'risky'>>;

/** The permission a refused (403) read needs, or null for any other failure. */
export function refusedPermission(error: unknown): string | null {
  if (!isCodedError(error, 'graph_forbidden')) return null;
  return typeof error.details.permission === 'string' ? error.details.permission : 'a Graph permission';
}

/** The risky-user record from a batch: Identity Protection's 404 means "not risky"; a 403 leaves the sign-ins shown. */
export function riskOf(replies: RiskReplies): RiskRead {
  try {
    return { kind: 'read', riskyUser: replies.valueOrNull('risky') };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission === null) throw error;
    return { kind: 'unavailable', permission };
  }
}

/** Reads what `signins` needs in one `$batch`: the user (whose id is then remembered), sign-ins and risk. */
export async function readSignIns(
  { client, users }: { client: GraphClient; users: UserResolver },
  ref: UserRef,
): Promise<SignInsInput> {
  return users.readAbout(
    ref,
    async (address) => {
      const reads = { user: endpoints.userIdentity.at({ user: address }), ...signInReads(address) } satisfies Reads;
      const replies = await readBatch(client, reads);
      const user = replies.value('user');
      return { user, signIns: replies.value('signIns').value, risk: riskOf(replies) };
    },
    (input) => input.user,
  );
}
