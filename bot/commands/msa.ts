import { consumerAccountCard } from '../../cards/consumer-account.card';
import { upnSchema, type Upn } from '../../services/ids';
import type { ConsumerAccountLookup } from '../../services/identity/consumer-account-lookup';
import { defineCommand, type Command } from './command';
import { quoteInput } from './parse-args';

const USAGE = 'msa <email>';

/** `msa <email>`: does this address also have a personal Microsoft account? (not Graph: the login service) */
export function createMsaCommand(lookup: Pick<ConsumerAccountLookup, 'check'>): Command {
  return defineCommand<Upn>({
    name: 'msa',
    usage: USAGE,
    summary:
      'Does this address also have a personal Microsoft account? Explains the "Microsoft account unusual sign-in activity" emails and what to tell the user.',
    access: 'operator',
    parse(args) {
      const parts = args.split(/\s+/).filter(Boolean);
      if (parts.length !== 1) return { ok: false, message: `Expected one email address. Usage: ${USAGE}` };
      const parsed = upnSchema.safeParse(parts[0]);
      if (!parsed.success) {
        return { ok: false, message: `${quoteInput(parts[0] ?? '')} is not an email address. Usage: ${USAGE}` };
      }
      return { ok: true, value: parsed.data };
    },
    auditTarget: (address) => address,
    async run(_ctx, address) {
      return { kind: 'card', card: consumerAccountCard(await lookup.check(address)) };
    },
  });
}
