import { approvalAuditCard } from '../../cards/approval-list.card';
import type { UserRef } from '../../services/ids';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { describeUserRef } from './args';
import { cardReply, textReply, type CommandContext, type Reply } from './command';

const SHOW = 25;

/** `audit <upn>`: the bot's own audit trail for one user; `audit verify`: the whole hash chain checked. */
export async function showAuditTrail(
  ctx: CommandContext,
  arg: UserRef | 'verify',
  deps: ApprovalRouteDeps,
): Promise<Reply> {
  if (arg === 'verify') {
    const chain = await deps.audit.verify();
    return textReply(
      chain.ok
        ? `Audit trail checked from the first record: ${chain.count} records, hash chain intact.`
        : `Audit trail hash chain BROKEN at record ${chain.brokenAtSeq} (${chain.reason}): it was tampered with.`,
    );
  }
  const target = await deps.tenant.readTarget(describeUserRef(arg));
  // Reads only this user's records (an index by target) and checks the chain from the last checkpoint.
  const { records, chain } = await deps.audit.forTarget([target.id, target.upn], SHOW);
  return cardReply(approvalAuditCard(target.upn, records.reverse(), chain, ctx.now));
}
