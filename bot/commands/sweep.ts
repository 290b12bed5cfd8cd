import type { AdaptiveCard } from '../../cards/elements';
import { scopeLabel } from '../../cards/sweep-progress.card';
import type { SweepScope } from '../../services/mailbox/sweep-types';
import type { Sweeper } from '../../services/mailbox/sweeper';
import { textReply, type CommandContext, type Reply } from './command';

/** `sweep forwarding [group]`: starts the tenant-wide (or group) forwarding sweep in the background. */
export async function startSweep(
  ctx: CommandContext,
  scope: SweepScope,
  sweeper: Pick<Sweeper, 'start'>,
): Promise<Reply> {
  const result = await sweeper.start({
    scope,
    requester: ctx.caller,
    conversation: ctx.conversation,
    // The sweeper only receives cards built by cards/sweep-progress.card.
    post: (card) => ctx.notify({ kind: 'card', card: card as AdaptiveCard }),
  });
  if (result.kind === 'started')
    return textReply(
      `Sweep started over ${scopeLabel(scope)}. The card above updates as it goes; a summary follows at the end.`,
    );
  const v = result.view;
  const who = v.requesterName ?? 'another operator';
  return textReply(
    `A forwarding sweep is already running (started by ${who} at ${new Date(v.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC over ${scopeLabel(v.scope)}, job ${v.jobId}). Only one runs per tenant: wait for it, or cancel it from its card.`,
  );
}
