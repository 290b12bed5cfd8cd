import { mfaUsabilityCard } from '../../cards/mfa-usability.card';
import type { UserRef } from '../../services/ids';
import type { MfaChecker } from '../../services/identity/mfa-check';
import type { WaitNotice } from '../../services/identity/mfa-waiting';
import { defineCommand, type Command, type CommandContext } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

const USAGE = 'mfa <upn>';

/** The interim message while Graph throttling holds a check back; the answer follows in the same conversation. */
export function waitingText(notice: WaitNotice): string {
  const seconds = notice.untilMs === null ? null : Math.max(1, Math.ceil((notice.untilMs - notice.nowMs) / 1000));
  const when = seconds === null ? '' : ` for about ${seconds} s`;
  return `Microsoft Graph is throttling the bot (${notice.classes.join(', ')} limit), so I'm waiting${when}. The answer will follow here.`;
}

/** Calls ctx.notify once, logging (not throwing) if the interim message cannot be sent. */
export function notifyWaiting(ctx: CommandContext): (notice: WaitNotice) => void {
  return (notice) => {
    ctx.notify({ kind: 'text', text: waitingText(notice) }).catch((error: unknown) => {
      ctx.logger.warn({ err: error }, 'could not send the throttling notice');
    });
  };
}

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
      const assessment = await checker.checkMfaUsability(ref, { onWaiting: notifyWaiting(ctx) });
      return { kind: 'card', card: mfaUsabilityCard(assessment, ctx.now) };
    },
  });
}
