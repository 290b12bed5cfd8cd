import { z } from 'zod';
import { SWEEP_CANCEL_VERB } from '../../cards/sweep-progress.card';
import type { Sweeper } from '../../services/mailbox/sweeper';
import { defineVerb, type VerbRoute } from '../app';

/** `sweep.cancel`: stops a running sweep from its progress card (operators only; identity from the activity). */
export function createSweepCancelVerb(sweeper: Pick<Sweeper, 'cancel'>): VerbRoute {
  return defineVerb({
    verb: SWEEP_CANCEL_VERB,
    access: 'operator',
    data: z.object({ verb: z.literal(SWEEP_CANCEL_VERB), jobId: z.uuid() }),
    async handle(ctx, data) {
      if (ctx.trigger === 'automatic') return {};
      const result = await sweeper.cancel(data.jobId, ctx.caller);
      return {
        reply: {
          kind: 'text',
          text:
            result.kind === 'cancelling'
              ? 'Cancelling the sweep: it stops after the mailboxes in flight, and a summary of what was checked follows.'
              : 'That sweep is no longer running.',
        },
      };
    },
  });
}
