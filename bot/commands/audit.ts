import { approvalAuditCard } from '../../cards/approval-list.card';
import type { AuditRecord } from '../../services/audit/audit-log';
import type { UserRef } from '../../services/ids';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { describeUserRef } from './args';
import { cardReply, type CommandContext, type Reply } from './command';

const SHOW = 25;
const PAGE = 500;

/** `audit <upn>`: the bot's own audit trail for one user (requests, decisions, executions, look-ups). */
export async function showAuditTrail(ctx: CommandContext, ref: UserRef, deps: ApprovalRouteDeps): Promise<Reply> {
  const target = await deps.tenant.readTarget(describeUserRef(ref));
  const keys = new Set([target.id.toLowerCase(), target.upn.toLowerCase()]);
  const matches: AuditRecord[] = [];
  // A linear scan of the trail: fine for a bot's own actions; an index per target would be the next step.
  for (let afterSeq = 0; ;) {
    const page = await deps.audit.list({ afterSeq, limit: PAGE });
    for (const r of page) if (r.target && keys.has(r.target.toLowerCase())) matches.push(r);
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) break;
    afterSeq = last.seq;
  }
  const chain = await deps.audit.verify();
  return cardReply(approvalAuditCard(target.upn, matches.slice(-SHOW).reverse(), chain, ctx.now));
}
