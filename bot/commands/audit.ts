import { approvalAuditCard } from '../../cards/approval-list.card';
import type { UserRef } from '../../services/ids';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

const SHOW = 25;
const USAGE = 'audit <upn> | audit verify';

/** `audit <upn>`: the bot's own audit trail for one user; `audit verify`: the whole hash chain checked. */
export function createAuditCommand(deps: ApprovalRouteDeps): Command {
  return defineCommand<UserRef | 'verify'>({
    name: 'audit',
    usage: USAGE,
    summary: "This bot's audit trail for a user: who asked, who approved, what ran, with the hash chain checked.",
    access: 'operator',
    parse: (args) =>
      args.trim().toLowerCase() === 'verify' ? { ok: true, value: 'verify' } : parseSingleUser(args, USAGE),
    auditTarget: (arg) => (arg === 'verify' ? null : describeUserRef(arg)),
    async run(ctx, arg) {
      if (arg === 'verify') {
        const chain = await deps.audit.verify();
        return {
          kind: 'text',
          text: chain.ok
            ? `Audit trail checked from the first record: ${chain.count} records, hash chain intact.`
            : `Audit trail hash chain BROKEN at record ${chain.brokenAtSeq} (${chain.reason}): it was tampered with.`,
        };
      }
      const target = await deps.tenant.readTarget(describeUserRef(arg));
      // Reads only this user's records (an index by target) and checks the chain from the last checkpoint.
      const { records, chain } = await deps.audit.forTarget([target.id, target.upn], SHOW);
      return { kind: 'card', card: approvalAuditCard(target.upn, records.reverse(), chain, ctx.now) };
    },
  });
}
