import type { AdaptiveCard } from '../../cards/elements';
import { scopeLabel } from '../../cards/sweep-progress.card';
import type { SweepScope } from '../../services/mailbox/sweep-types';
import type { Sweeper } from '../../services/mailbox/sweeper';
import { defineCommand, type Command } from './command';
import { quoteInput } from './parse-args';

const USAGE = 'sweep forwarding [group id]';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Parses `forwarding` or `forwarding <group object id>`. */
export function parseSweepArgs(args: string): { ok: true; value: SweepScope } | { ok: false; message: string } {
  const parts = args.split(/\s+/).filter(Boolean);
  if (parts[0]?.toLowerCase() !== 'forwarding')
    return { ok: false, message: `Which sweep? Only the forwarding sweep exists. Usage: ${USAGE}` };
  if (parts.length === 1) return { ok: true, value: { kind: 'all' } };
  const group = parts[1] ?? '';
  if (parts.length > 2 || !GUID.test(group))
    return { ok: false, message: `${quoteInput(group)} is not a group object id (GUID). Usage: ${USAGE}` };
  return { ok: true, value: { kind: 'group', groupId: group.toLowerCase() } };
}

/** `sweep forwarding [group]`: starts the tenant-wide (or group) forwarding sweep in the background. */
export function createSweepCommand(sweeper: Pick<Sweeper, 'start'>): Command {
  return defineCommand<SweepScope>({
    name: 'sweep',
    usage: USAGE,
    summary:
      'Checks every mailbox (or a group’s members) for forwarding and hiding rules in the background, with a live progress card, a summary and a CSV.',
    access: 'operator',
    parse: parseSweepArgs,
    auditTarget: (scope) => (scope.kind === 'all' ? 'forwarding: all mailboxes' : `forwarding: group ${scope.groupId}`),
    async run(ctx, scope) {
      const result = await sweeper.start({
        scope,
        requester: ctx.caller,
        conversation: ctx.conversation,
        // The sweeper only receives cards built by cards/sweep-progress.card.
        post: (card) => ctx.notify({ kind: 'card', card: card as AdaptiveCard }),
      });
      if (result.kind === 'started')
        return {
          kind: 'text',
          text: `Sweep started over ${scopeLabel(scope)}. The card above updates as it goes; a summary follows at the end.`,
        };
      const v = result.view;
      const who = v.requesterName ?? 'another operator';
      return {
        kind: 'text',
        text: `A forwarding sweep is already running (started by ${who} at ${new Date(v.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC over ${scopeLabel(v.scope)}, job ${v.jobId}). Only one runs per tenant: wait for it, or cancel it from its card.`,
      };
    },
  });
}
