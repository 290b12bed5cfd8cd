import type { AlertsStatus } from '../services/alerts/alerts-service';
import type { Subscription } from '../services/alerts/types';
import { adaptiveCard, heading, row, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatTime, own, type Own } from './text';

function duration(ms: number | null): Own {
  if (ms === null) return own('no poll yet');
  return ms < 120_000 ? own`${Math.round(ms / 1000)} s` : own`${Math.round(ms / 60_000)} min`;
}

function channelRow(subscription: Subscription): CardElement {
  const { channelId, conversationId } = subscription.conversation;
  return row(own('Channel'), untrusted(channelId ?? conversationId, { mono: true }));
}

/** `alerts status`: poller progress, delivery counts and the subscribed channels. */
export function alertStatusCard(status: AlertsStatus): AdaptiveCard {
  const p = status.poller;
  const body: CardElement[] = [
    heading(own('Alerts')),
    row(
      own('Last poll'),
      p.lastPollAt ? own`${formatTime(p.lastPollAt, status.now)}${p.lastPollOk ? '' : ' (failed)'}` : own('never'),
    ),
    row(own('Watermark'), p.watermark ? formatTime(p.watermark, status.now) : own('none yet')),
    row(own('Lag'), duration(status.lagMs)),
    row(own('Active poller'), status.activePoller ?? own('none')),
    row(own('Events read'), own`${p.eventsRead}`),
    row(own('Alerts queued'), own`${p.alertsQueued} (${p.suppressed} suppressed as repeats)`),
  ];
  if (p.lastError) body.push(row(own('Last error'), p.lastError));
  body.push(heading(own('Channels')));
  if (status.subscriptions.length === 0)
    body.push(text(own('No channel is subscribed. Run `alerts on` in a team channel.')));
  for (const sub of status.subscriptions) {
    body.push(channelRow(sub));
    body.push(
      row(
        own('State'),
        sub.active
          ? own`active · ${sub.queued} queued · ${sub.delivered} delivered · ${sub.failed} failed`
          : own`inactive · ${sub.queued} queued · ${sub.delivered} delivered`,
      ),
    );
    if (!sub.active && sub.inactiveReason) body.push(row(own('Why inactive'), sub.inactiveReason));
  }
  return adaptiveCard(body, [], 'Alerts status');
}

/** Posted to the other subscribed channels when one channel stops receiving alerts. */
export function alertsStoppedCard(subscription: Subscription, reason: string): AdaptiveCard {
  return adaptiveCard(
    [
      heading(own('A channel stopped receiving alerts')),
      channelRow(subscription),
      row(own('Why'), reason),
      text(own('Its alerts stay queued. Re-add the app to that team and run `alerts on` in the channel to resume.')),
    ],
    [],
    'A channel stopped receiving alerts',
  );
}
