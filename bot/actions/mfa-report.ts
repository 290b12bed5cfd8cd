import { z } from 'zod';
import type { MfaReporter } from '../../services/identity/mfa-report/reporter';
import { textReply, type VerbContext, type VerbResult } from '../commands/command';

/** What the Cancel button of a report's progress card carries. */
export const reportCancelDataSchema = z.object({ jobId: z.uuid() });

/** `mfaReport.cancel`: stops a running MFA report from its progress card (operators only). */
export async function cancelMfaReport(
  ctx: VerbContext,
  data: z.output<typeof reportCancelDataSchema>,
  reporter: Pick<MfaReporter, 'cancel'>,
): Promise<VerbResult> {
  if (ctx.trigger === 'automatic') return {};
  const result = await reporter.cancel(data.jobId, ctx.caller);
  return {
    reply: textReply(
      result.kind === 'cancelling'
        ? 'Cancelling the MFA report: it stops after the users in flight, and the counts so far follow.'
        : 'That MFA report is no longer running.',
    ),
  };
}
