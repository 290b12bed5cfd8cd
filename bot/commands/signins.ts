import { signInsCard } from '../../cards/sign-ins.card';
import type { UserRef } from '../../services/ids';
import type { SignInsInput } from '../../services/identity/sign-ins-read';
import { summarizeSignIns } from '../../services/identity/sign-ins';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';
import type { WaitingOptions } from './waiting';

/** The Graph reads `signins` needs (services/identity/sign-ins-read's readSignIns, bound to a client). */
export interface SignInsReader {
  readSignIns(ref: UserRef, opts?: WaitingOptions): Promise<SignInsInput>;
}

const USAGE = 'signins <upn>';

/** `signins <upn>`: the newest sign-ins explained, usual vs new countries, and Identity Protection risk. */
export function createSignInsCommand(reader: SignInsReader): Command {
  return defineCommand<UserRef>({
    name: 'signins',
    usage: USAGE,
    summary:
      'Newest sign-ins (result and error explained, location, IP, app, client, MFA method, risk), usual vs new countries, Identity Protection risk.',
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
      const input = await reader.readSignIns(ref, { onWaiting: ctx.onWaiting });
      const riskyUser = input.risk.kind === 'read' ? input.risk.riskyUser : null;
      const summary = summarizeSignIns(input.signIns, riskyUser, ctx.now);
      return { kind: 'card', card: signInsCard(input, summary, ctx.now) };
    },
  });
}
