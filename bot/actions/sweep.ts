import type { Sweeper } from '../../services/mailbox/sweeper';
import { cancelBackgroundJob, jobCancelDataSchema } from '../commands/background-job';
import type { VerbContext, VerbResult } from '../commands/command';

/** What the Cancel button of a sweep's progress card carries. */
export const sweepCancelDataSchema = jobCancelDataSchema;

/** `sweep.cancel`: stops a running sweep from its progress card (operators only; identity from the activity). */
export function cancelSweep(
  ctx: VerbContext,
  data: { jobId: string },
  sweeper: Pick<Sweeper, 'cancel'>,
): Promise<VerbResult> {
  return cancelBackgroundJob(ctx, data, sweeper, {
    cancelling:
      'Cancelling the sweep: it stops after the mailboxes in flight, and a summary of what was checked follows.',
    notRunning: 'That sweep is no longer running.',
  });
}
