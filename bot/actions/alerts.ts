import { z } from 'zod';
import { alertCard } from '../../cards/alert.card';
import type { AlertsService } from '../../services/alerts/alerts-service';
import type { VerbContext, VerbResult } from '../commands/command';

/** What the Snooze and Acknowledge buttons of an alert card carry. */
export const alertDataSchema = z.object({ alertId: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/) });

type AlertAction = 'acknowledge' | 'snooze';

/** Snooze or Acknowledge: the updated card (which shows who did it); refresh invokes change nothing. */
export function alertAction(action: AlertAction) {
  return async (
    ctx: VerbContext,
    data: z.output<typeof alertDataSchema>,
    alerts: AlertsService,
  ): Promise<VerbResult> => {
    if (ctx.trigger === 'automatic') return {};
    const by = ctx.caller.name ?? ctx.caller.aadObjectId;
    const outcome =
      action === 'snooze' ? await alerts.snooze(data.alertId, by) : await alerts.acknowledge(data.alertId, by);
    if (outcome.kind === 'not-found') return { reply: { kind: 'text', text: 'That alert is no longer stored.' } };
    return { card: alertCard(outcome.record, ctx.now) };
  };
}
