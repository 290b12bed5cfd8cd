import { approvalAuditCard } from '../../cards/approval-list.card';
import type { AuditRecord } from '../../services/audit/audit-log';
import type { UserRef } from '../../services/ids';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

const SHOW = 25;
const PAGE = 500;

/** `audit <upn>`: the bot's own audit trail for one user (requests, decisions, executions, look-ups). */
export function createAuditCommand(deps: ApprovalRouteDeps): Command {
  return defineCommand<UserRef>({
    name: 'audit',
    usage: 'audit <upn>',
    summary: "This bot's audit trail for a user: who asked, who approved, what ran, with the hash chain checked.",
    access: 'operator',
    parse: (args) => parseSingleUser(args, 'audit <upn>'),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
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
      return { kind: 'card', card: approvalAuditCard(target.upn, matches.slice(-SHOW).reverse(), chain, ctx.now) };
    },
  });
}
