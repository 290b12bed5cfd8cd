import { alertStatusCard } from '../../cards/alert-status.card';
import type { AlertsService } from '../../services/alerts/alerts-service';
import {
  DEMO_ALERT_SCENARIOS,
  demoScenarioSchema,
  type DemoAlertScenario,
  type DemoEmitter,
} from '../../services/alerts/demo-emitter';
import { defineCommand, type Command, type ParseResult } from './command';

type AlertsArgs = { action: 'on' | 'off' | 'status' } | { action: 'emit'; scenario: DemoAlertScenario };

const USAGE = 'alerts on|off|status';
const EMIT_USAGE = `alerts emit <${DEMO_ALERT_SCENARIOS.join('|')}>`;

function parse(args: string, demo: boolean): ParseResult<AlertsArgs> {
  const [action = '', scenario, ...rest] = args.trim().toLowerCase().split(/\s+/);
  if ((action === 'on' || action === 'off' || action === 'status') && scenario === undefined) {
    return { ok: true, value: { action } };
  }
  if (action === 'emit') {
    if (!demo) return { ok: false, message: '`alerts emit` exists only in demo mode.' };
    const parsed = demoScenarioSchema.safeParse(scenario);
    if (parsed.success && rest.length === 0) return { ok: true, value: { action, scenario: parsed.data } };
    return { ok: false, message: `Usage: ${EMIT_USAGE}` };
  }
  return { ok: false, message: `Usage: ${USAGE}${demo ? ` or ${EMIT_USAGE}` : ''}` };
}

/** `alerts on|off|status` (and, in demo mode, `alerts emit <scenario>`). */
export function createAlertsCommand(deps: {
  alerts: AlertsService;
  mode: 'demo' | 'tenant';
  emitter?: DemoEmitter;
}): Command {
  const demo = deps.mode === 'demo' && deps.emitter !== undefined;
  return defineCommand<AlertsArgs>({
    name: 'alerts',
    usage: USAGE,
    summary: 'Post security alerts to this channel (on/off), or show the poller and delivery status.',
    access: 'operator',
    parse: (args) => parse(args, demo),
    auditTarget: (args) => (args.action === 'emit' ? `demo:${args.scenario}` : null),
    async run(ctx, args) {
      switch (args.action) {
        case 'on': {
          const outcome = await deps.alerts.subscribe(ctx.conversation, ctx.caller.name ?? ctx.caller.aadObjectId);
          if (outcome.kind === 'not-a-channel') {
            return { kind: 'text', text: 'Run `alerts on` in a team channel: alerts are posted to channels only.' };
          }
          if (outcome.kind === 'host-not-allowed') {
            return {
              kind: 'text',
              text: 'This conversation cannot receive proactive messages (its service host is not allow-listed).',
            };
          }
          return {
            kind: 'text',
            text: 'Alerts are on for this channel. New security events will be posted here; `alerts status` shows progress.',
          };
        }
        case 'off': {
          const done = await deps.alerts.unsubscribe(ctx.conversation);
          return { kind: 'text', text: done ? 'Alerts are off for this channel.' : 'This channel was not subscribed.' };
        }
        case 'status':
          return { kind: 'card', card: alertStatusCard(await deps.alerts.status()) };
        case 'emit': {
          if (!deps.emitter) return { kind: 'text', text: '`alerts emit` exists only in demo mode.' };
          const result = await deps.emitter.emit(args.scenario);
          return {
            kind: 'text',
            text: `Demo tenant: ${result.scenario} happened for ${result.user} (${result.records} record(s)). The alert arrives with the next poll.`,
          };
        }
      }
    },
  });
}
