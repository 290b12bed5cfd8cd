import type { AlertsStatus } from '../services/alerts/alerts-service';
import type { Subscription } from '../services/alerts/types';
import {
  adaptiveCard,
  heading,
  row,
  text,
  trustedRow,
  untrusted,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { formatTime } from './format';

function duration(ms: number | null): string {
  if (ms === null) return 'no poll yet';
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** `alerts status`: poller progress, delivery counts and the subscribed channels. */
export function alertStatusCard(status: AlertsStatus): AdaptiveCard {
  const p = status.poller;
  const body: CardElement[] = [
    heading('Alerts'),
    trustedRow(
      'Last poll',
      p.lastPollAt ? `${formatTime(p.lastPollAt, status.now)}${p.lastPollOk ? '' : ' (failed)'}` : 'never',
    ),
    trustedRow('Watermark', p.watermark ? formatTime(p.watermark, status.now) : 'none yet'),
    trustedRow('Lag', duration(status.lagMs)),
    trustedRow('Active poller', status.activePoller ?? 'none'),
    trustedRow('Events read', String(p.eventsRead)),
    trustedRow('Alerts queued', `${p.alertsQueued} (${p.suppressed} suppressed as repeats)`),
  ];
  if (p.lastError) body.push(trustedRow('Last error', p.lastError));
  body.push(heading('Channels'));
  if (status.subscriptions.length === 0)
    body.push(text('No channel is subscribed. Run `alerts on` in a team channel.'));
  for (const sub of status.subscriptions) {
    body.push(
      row('Channel', untrusted(sub.conversation.channelId ?? sub.conversation.conversationId, { monospace: true })),
    );
    body.push(
      trustedRow(
        'State',
        sub.active
          ? `active · ${sub.queued} queued · ${sub.delivered} delivered · ${sub.failed} failed`
          : `inactive · ${sub.queued} queued · ${sub.delivered} delivered`,
      ),
    );
    if (!sub.active && sub.inactiveReason) body.push(row('Why inactive', untrusted(sub.inactiveReason)));
  }
  return adaptiveCard(body, [], 'Alerts status');
}

/** Posted to the other subscribed channels when one channel stops receiving alerts. */
export function alertsStoppedCard(subscription: Subscription, reason: string): AdaptiveCard {
  return adaptiveCard(
    [
      heading('A channel stopped receiving alerts'),
      row(
        'Channel',
        untrusted(subscription.conversation.channelId ?? subscription.conversation.conversationId, { monospace: true }),
      ),
      row('Why', untrusted(reason)),
      text('Its alerts stay queued. Re-add the app to that team and run `alerts on` in the channel to resume.'),
    ],
    [],
    'A channel stopped receiving alerts',
  );
}
