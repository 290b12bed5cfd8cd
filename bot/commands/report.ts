import { reportScopeLabel } from '../../cards/mfa-report-progress.card';
import type { MfaReporter } from '../../services/identity/mfa-report/reporter';
import type { ReportScope } from '../../services/identity/mfa-report/types';
import { startBackgroundJob } from './background-job';
import type { CommandContext, Reply } from './command';

/** `report mfa [group]`: starts the tenant-wide (or group) MFA report in the background. */
export function startMfaReport(
  ctx: CommandContext,
  scope: ReportScope,
  reporter: Pick<MfaReporter, 'start'>,
): Promise<Reply> {
  return startBackgroundJob(ctx, scope, reporter, {
    started: 'MFA report',
    running: 'An MFA report',
    label: reportScopeLabel,
    result: 'the result',
  });
}
