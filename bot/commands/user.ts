import { userSummaryCard } from '../../cards/user-summary.card';
import type { UserRef } from '../../services/ids';
import { summarizeUser, type UserProfileInput } from '../../services/identity/user-summary';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

/** The one Graph read `user` needs (services/graph's readUserProfile, bound to a client). */
export interface UserProfileReader {
  readUserProfile(ref: UserRef): Promise<UserProfileInput>;
}

const USAGE = 'user <upn>';

/** `user <upn>`: who this user is, in the ways that matter to an investigation. */
export function createUserCommand(reader: UserProfileReader): Command {
  return defineCommand<UserRef>({
    name: 'user',
    usage: USAGE,
    summary:
      'Enabled, cloud or synced, UPN vs SMTP and proxies, admin roles, licences and advanced auditing, password and sessions.',
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
      const profile = await reader.readUserProfile(ref);
      return { kind: 'card', card: userSummaryCard(summarizeUser(profile), ctx.now) };
    },
  });
}
