import { ssprCard } from '../../cards/sspr.card';
import type { UserRef } from '../../services/ids';
import { SSPR_LOOKBACK_MS, type SsprInput } from '../../services/identity/sspr-read';
import { summarizeSspr } from '../../services/identity/sspr';
import { defineCommand, type Command } from './command';
import { describeUserRef, parseSingleUser } from './parse-args';
import type { WaitingOptions } from './waiting';

/** The Graph reads `sspr` and `sspr-check` need (services/identity/sspr-read's readSspr, bound to a client). */
export interface SsprReader {
  readSspr(ref: UserRef, since: number, opts?: WaitingOptions): Promise<SsprInput>;
}

const USAGE = 'sspr <upn>';

/** `sspr <upn>`: SSPR enabled/registered/capable and the user's recent reset attempts, step by step. */
export function createSsprCommand(reader: SsprReader): Command {
  return defineCommand<UserRef>({
    name: 'sspr',
    usage: USAGE,
    summary:
      "SSPR status (enabled, registered, capable) and the user's recent reset attempts: each step, its reason, IP and time.",
    access: 'operator',
    parse: (args) => parseSingleUser(args, USAGE),
    auditTarget: describeUserRef,
    async run(ctx, ref) {
      const input = await reader.readSspr(ref, ctx.now - SSPR_LOOKBACK_MS, { onWaiting: ctx.onWaiting });
      const report = summarizeSspr(input.registration, input.records);
      return { kind: 'card', card: ssprCard(input.user, report, ctx.now, input.truncated) };
    },
  });
}
