import { ssprCheckCard } from '../../cards/sspr-check.card';
import { isCodedError } from '../../services/errors';
import { upnSchema } from '../../services/ids';
import { checkResetEmail, flowWindow, namedUserAddress, type NamedUser } from '../../services/identity/sspr-check';
import { groupSsprAttempts } from '../../services/identity/sspr';
import { parsePastedEmail } from '../../services/mail/paste';
import { cardReply, type CommandContext, type Reply } from './command';
import type { SsprReader } from './services';

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
export async function checkPastedEmail(
  ctx: CommandContext,
  paste: { raw: string },
  reader: SsprReader,
): Promise<Reply> {
  const email = await parsePastedEmail(paste.raw);
  const address = namedUserAddress(email);
  const window = flowWindow(email.date, ctx.now);
  const user = await lookUp(ctx, reader, address, window.start);
  return cardReply(ssprCheckCard(checkResetEmail(email, user, ctx.now), ctx.now));
}
