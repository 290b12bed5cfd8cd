import { forwardingCard } from '../../cards/forwarding.card';
import type { UserRef } from '../../services/ids';
import type { ForwardingReport } from '../../services/mailbox/forwarding-check';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

/** The per-user forwarding check (services/mailbox's checkForwarding, bound to the Graph client and Exchange reader). */
export interface ForwardingChecker {
  checkForwarding(ref: UserRef): Promise<ForwardingReport>;
}

const USAGE = 'forwarding <upn>';

/** `forwarding <upn>`: inbox rules and mailbox forwarding, each judged. */
export function createForwardingCommand(checker: ForwardingChecker): Command {
  return defineCommand<UserRef>({
    name: 'forwarding',
    usage: USAGE,
    summary:
      'Inbox rules that forward, redirect, delete or hide mail (external vs internal), mailbox-level forwarding, a verdict per rule.',
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(_ctx, ref) {
      return { kind: 'card', card: forwardingCard(await checker.checkForwarding(ref)) };
    },
  });
}
