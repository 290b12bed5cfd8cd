import { investigationCard } from '../../cards/investigation.card';
import type { UserRef } from '../../services/ids';
import type { Investigator } from '../../services/identity/investigation';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';

const USAGE = 'investigate <upn>';

/** `investigate <upn>`: MFA, recent security-info changes, sign-ins and risk, password and sessions, in one card. */
export function createInvestigateCommand(investigator: Investigator): Command {
  return defineCommand<UserRef>({
    name: 'investigate',
    usage: USAGE,
    summary:
      'Compromised-account view: MFA verdict, security-info changes (7 days), sign-ins and risk, password, sessions, auditing.',
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
      const investigation = await investigator.investigate(ref, { onWaiting: ctx.onWaiting });
      return { kind: 'card', card: investigationCard(investigation, ctx.now) };
    },
  });
}
