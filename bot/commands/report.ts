import type { AdaptiveCard } from '../../cards/elements';
import { reportScopeLabel } from '../../cards/mfa-report-progress.card';
import type { MfaReporter } from '../../services/identity/mfa-report/reporter';
import type { ReportScope } from '../../services/identity/mfa-report/types';
import { textReply, type CommandContext, type Reply } from './command';

/** `report mfa [group]`: starts the tenant-wide (or group) MFA report in the background. */
export async function startMfaReport(
  ctx: CommandContext,
  scope: ReportScope,
  reporter: Pick<MfaReporter, 'start'>,
): Promise<Reply> {
  const result = await reporter.start({
    scope,
    requester: ctx.caller,
    conversation: ctx.conversation,
    // The reporter only receives cards built by cards/mfa-report-progress.card.
    post: (card) => ctx.notify({ kind: 'card', card: card as AdaptiveCard }),
  });
  if (result.kind === 'started')
    return textReply(
      `MFA report started over ${reportScopeLabel(scope)}. The card above updates as it goes; the result follows at the end.`,
    );
  const v = result.view;
  const who = v.requesterName ?? 'another operator';
  return textReply(
    `An MFA report is already running (started by ${who} at ${new Date(v.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC over ${reportScopeLabel(v.scope)}, job ${v.jobId}). Only one runs per tenant: wait for it, or cancel it from its card.`,
  );
}
