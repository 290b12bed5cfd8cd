import { mfaUsabilityCard } from '../../cards/mfa-usability.card';
import type { UserRef } from '../../services/ids';
import type { MfaChecker } from '../../services/identity/mfa-check';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

const USAGE = 'mfa <upn>';

/** `mfa <upn>`: is this user's MFA actually usable, per method, with the evidence. */
export function createMfaCommand(checker: MfaChecker): Command {
  return defineCommand<UserRef>({
    name: 'mfa',
    usage: USAGE,
    summary:
      'Is MFA usable? Each method: registered, allowed by policy, verified in the audit log; CA strength; the admin SSPR loop.',
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
      const assessment = await checker.checkMfaUsability(ref, { onWaiting: ctx.onWaiting });
      return { kind: 'card', card: mfaUsabilityCard(assessment, ctx.now) };
    },
  });
}
