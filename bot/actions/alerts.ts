import { z } from 'zod';
import { ALERT_VERBS, alertCard } from '../../cards/alert.card';
import { createAlertStore } from '../../services/alerts/alert-store';
import { createAlertsService, type AlertsService } from '../../services/alerts/alerts-service';
import type { DemoEmitter } from '../../services/alerts/demo-emitter';
import { systemClock } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { createMemoryStorage } from '../../services/storage/memory-storage';
import { defineVerb, type VerbRoute } from '../app';

const alertData = z.object({ alertId: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/) });

/** Snooze and Acknowledge on alert cards; both answer with the updated card (which shows who did it). */
export function alertVerbs(alerts: AlertsService): VerbRoute[] {
  const act = (verb: string, run: (id: string, by: string) => ReturnType<AlertsService['acknowledge']>): VerbRoute =>
    defineVerb({
      verb,
      access: 'operator',
      data: alertData,
      async handle(ctx, data) {
        if (ctx.trigger === 'automatic') return {};
        const outcome = await run(data.alertId, ctx.caller.name ?? ctx.caller.aadObjectId);
        if (outcome.kind === 'not-found') return { reply: { kind: 'text', text: 'That alert is no longer stored.' } };
        return { card: alertCard(outcome.record, ctx.now) };
      },
    });
  return [
    act(ALERT_VERBS.acknowledge, (id, by) => alerts.acknowledge(id, by)),
    act(ALERT_VERBS.snooze, (id, by) => alerts.snooze(id, by)),
  ];
}

/** What the alert routes need: the service, and in demo mode the scenario emitter. */
export interface AlertRouteDeps {
  service: AlertsService;
  emitter?: DemoEmitter;
}

/** A harmless stand-in for the command catalog (never runs). */
export function alertsCatalogDeps(): AlertRouteDeps {
  const store = createAlertStore(createMemoryStorage());
  return {
    service: createAlertsService({ store, clock: systemClock, logger: silentLogger, allowedServiceUrlHosts: [] }),
  };
}
