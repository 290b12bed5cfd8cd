import { signInsCard } from '../../cards/sign-ins.card';
import type { UserRef } from '../../services/ids';
import type { SignInsInput } from '../../services/identity/sign-ins-read';
import { summarizeSignIns } from '../../services/identity/sign-ins';
import { defineCommand, type Command, type CommandContext } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

/** The Graph reads `signins` needs (services/identity/sign-ins-read's readSignIns, bound to a client). */
export interface SignInsReader {
  readSignIns(ref: UserRef): Promise<SignInsInput>;
}

/** How long a look-up may take before the caller is told the bot is waiting on Graph. */
export const PATIENCE_MS = 4_000;

const WAITING =
  'Still waiting on Microsoft Graph (it is probably throttling the bot: the audit and sign-in reports allow 5 requests per 10 seconds). The answer will follow here.';

/**
 * Runs a slow read; if it outlasts PATIENCE_MS, says so in the chat once, so a throttled look-up is not silent.
 * The notice is best-effort: failing to send it must not lose the answer.
 */
export async function withPatience<T>(ctx: CommandContext, work: Promise<T>, patienceMs = PATIENCE_MS): Promise<T> {
  const timer = setTimeout(() => {
    ctx.notify({ kind: 'text', text: WAITING }).catch((error: unknown) => {
      ctx.logger.warn({ err: error }, 'could not send the waiting notice');
    });
  }, patienceMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
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
      const input = await withPatience(ctx, reader.readSignIns(ref));
      const riskyUser = input.risk.kind === 'read' ? input.risk.riskyUser : null;
      const summary = summarizeSignIns(input.signIns, riskyUser, ctx.now);
      return { kind: 'card', card: signInsCard(input, summary, ctx.now) };
    },
  });
}
