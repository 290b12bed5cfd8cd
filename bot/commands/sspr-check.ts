import { ssprCheckCard } from '../../cards/sspr-check.card';
import { isCodedError } from '../../services/errors';
import { upnSchema } from '../../services/ids';
import { checkResetEmail, flowWindow, namedUserAddress, type NamedUser } from '../../services/identity/sspr-check';
import { groupSsprAttempts } from '../../services/identity/sspr';
import { parsePastedEmail, TEAMS_MESSAGE_LIMIT_BYTES } from '../../services/mail/paste';
import { defineCommand, type Command, type CommandContext } from './command';
import type { SsprReader } from './sspr';

const USAGE = 'sspr-check <pasted "Request to reset user\'s password" email>';

interface Paste {
  raw: string;
  bytes: number;
}

async function lookUp(
  ctx: CommandContext,
  reader: SsprReader,
  address: string | null,
  since: number,
): Promise<NamedUser> {
  if (address === null) return { kind: 'none' };
  const upn = upnSchema.safeParse(address);
  if (!upn.success) return { kind: 'not-found', address };
  try {
    const input = await reader.readSspr({ kind: 'upn', upn: upn.data }, since, { onWaiting: ctx.onWaiting });
    return {
      kind: 'found',
      address,
      upn: input.user.userPrincipalName,
      displayName: input.user.displayName,
      attempts: groupSsprAttempts(input.records),
    };
  } catch (error) {
    if (isCodedError(error, 'user_not_found')) return { kind: 'not-found', address };
    throw error;
  }
}

/** `sspr-check <pasted email>`: is this SSPR "contact your administrator" email genuine? */
export function createSsprCheckCommand(reader: SsprReader): Command {
  return defineCommand<Paste>({
    name: 'sspr-check',
    usage: USAGE,
    summary:
      'Paste the whole email (raw source with headers is best): checks its Authentication-Results, sender and link domains, and the SSPR audit trail of the user it names.',
    access: 'operator',
    parse(args) {
      const bytes = Buffer.byteLength(args, 'utf8');
      if (bytes > TEAMS_MESSAGE_LIMIT_BYTES) {
        return {
          ok: false,
          message: `That paste is ${Math.ceil(bytes / 1024)} KB, above Teams' message limit of about 28 KB, so it cannot be the email as Teams delivered it. Paste the header block and the text of the email only (no attachments or images).`,
        };
      }
      if (args.trim().length === 0) {
        return {
          ok: false,
          message: `Paste the email after the command, in the same message. Usage: ${USAGE}. In Outlook, File → Properties (or View → View message source) shows the headers; paste them with the body.`,
        };
      }
      return { ok: true, value: { raw: args, bytes } };
    },
    // The paste is not recorded (it is the email's content); its size is, and the user it names appears in the card.
    auditTarget: (paste) => `pasted email (${paste.bytes} bytes)`,
    async run(ctx, paste) {
      const email = await parsePastedEmail(paste.raw);
      const address = namedUserAddress(email);
      const window = flowWindow(email.date, ctx.now);
      const user = await lookUp(ctx, reader, address, window.start);
      return { kind: 'card', card: ssprCheckCard(checkResetEmail(email, user, ctx.now), ctx.now) };
    },
  });
}
