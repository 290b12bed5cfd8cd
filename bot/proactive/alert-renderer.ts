import { alertDigestCards } from '../../cards/alert-digest.card';
import { alertCard } from '../../cards/alert.card';
import { alertsStoppedCard } from '../../cards/alert-status.card';
import { selfHealthCard } from '../../cards/self-health.card';
import type { AlertRenderer } from '../../services/alerts/ports';
import type { Clock } from '../../services/clock';

/** Alert, self-health and digest cards for the delivery loop. */
export function createAlertRenderer(clock: Clock): AlertRenderer {
  return {
    alert: (record) => ({
      card: record.alert.health ? selfHealthCard(record, clock.now()) : alertCard(record, clock.now()),
    }),
    digest: (alerts) => alertDigestCards(alerts).map(({ card, alertIds }) => ({ message: { card }, alertIds })),
    stopped: (subscription, reason) => ({ card: alertsStoppedCard(subscription, reason) }),
  };
}
