import { alertStatusCard } from '../../cards/alert-status.card';
import type { AlertsArgs } from './args';
import { cardReply, textReply, type CommandContext, type Reply } from './command';
import type { AlertRouteDeps } from './services';

/** `alerts on|off|status` (and, in demo mode, `alerts emit <scenario>`). */
export async function runAlerts(ctx: CommandContext, args: AlertsArgs, deps: AlertRouteDeps): Promise<Reply> {
  switch (args.action) {
    case 'on': {
      const outcome = await deps.service.subscribe(ctx.conversation, ctx.caller.name ?? ctx.caller.aadObjectId);
      if (outcome.kind === 'not-a-channel')
        return textReply('Run `alerts on` in a team channel: alerts are posted to channels only.');
      if (outcome.kind === 'host-not-allowed')
        return textReply('This conversation cannot receive proactive messages (its service host is not allow-listed).');
      return textReply(
        'Alerts are on for this channel. New security events will be posted here; `alerts status` shows progress.',
      );
    }
    case 'off': {
      const done = await deps.service.unsubscribe(ctx.conversation);
      return textReply(done ? 'Alerts are off for this channel.' : 'This channel was not subscribed.');
    }
    case 'status':
      return cardReply(alertStatusCard(await deps.service.status()));
    case 'emit': {
      // The emitter exists only in demo mode: a real tenant's events are not made up.
      if (!deps.emitter) return textReply('`alerts emit` exists only in demo mode.');
      const result = await deps.emitter.emit(args.scenario, args.user);
      return textReply(
        `Demo tenant: ${result.scenario} happened for ${result.user} (${result.records} record(s)). The alert arrives with the next poll.`,
      );
    }
  }
}
