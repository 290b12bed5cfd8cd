import { z } from 'zod';
import type { Sweeper } from '../../services/mailbox/sweeper';
import { textReply, type VerbContext, type VerbResult } from '../commands/command';

/** What the Cancel button of a sweep's progress card carries. */
export const sweepCancelDataSchema = z.object({ jobId: z.uuid() });

/** `sweep.cancel`: stops a running sweep from its progress card (operators only; identity from the activity). */
export async function cancelSweep(
  ctx: VerbContext,
  data: z.output<typeof sweepCancelDataSchema>,
  sweeper: Pick<Sweeper, 'cancel'>,
): Promise<VerbResult> {
  if (ctx.trigger === 'automatic') return {};
  const result = await sweeper.cancel(data.jobId, ctx.caller);
  return {
    reply: textReply(
      result.kind === 'cancelling'
        ? 'Cancelling the sweep: it stops after the mailboxes in flight, and a summary of what was checked follows.'
        : 'That sweep is no longer running.',
    ),
  };
}
