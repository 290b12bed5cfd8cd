import type { MfaReporter } from '../../services/identity/mfa-report/reporter';
import { cancelBackgroundJob, jobCancelDataSchema } from '../commands/background-job';
import type { VerbContext, VerbResult } from '../commands/command';

/** What the Cancel button of a report's progress card carries. */
export const reportCancelDataSchema = jobCancelDataSchema;

/** `mfaReport.cancel`: stops a running MFA report from its progress card (operators only). */
export function cancelMfaReport(
  ctx: VerbContext,
  data: { jobId: string },
  reporter: Pick<MfaReporter, 'cancel'>,
): Promise<VerbResult> {
  return cancelBackgroundJob(ctx, data, reporter, {
    cancelling: 'Cancelling the MFA report: it stops after the users in flight, and the counts so far follow.',
    notRunning: 'That MFA report is no longer running.',
  });
}
