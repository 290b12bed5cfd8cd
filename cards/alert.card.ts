import type { AlertRecord } from '../services/alerts/types';
import { RULE_TEXT, SEVERITY_TEXT } from './alert-text';
import {
  adaptiveCard,
  commandButton,
  row,
  text,
  trustedRow,
  untrusted,
  verbButton,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { formatTime } from './format';

/** The alert card: what, who, when, from where, why it matters, and what to do. */
export function alertCard(record: AlertRecord, nowMs: number): AdaptiveCard {
  const { alert } = record;
  const rule = RULE_TEXT[alert.rule];
  const who = alert.subject.upn ?? alert.subject.displayName ?? alert.subject.id;
  const body: CardElement[] = [
    text(`${SEVERITY_TEXT[alert.severity]} · ${rule.title}`, { size: 'Medium', weight: 'Bolder', wrap: true }),
    row('User', untrusted(who ?? 'unknown')),
    row('What happened', untrusted(alert.activity)),
  ];
  if (alert.detail) body.push(row('Detail', untrusted(alert.detail, { maxLength: 400 })));
  body.push(trustedRow('When', formatTime(alert.occurredAt, nowMs)));
  if (alert.actor) body.push(row(alert.actorKind === 'app' ? 'By (app)' : 'By', untrusted(alert.actor)));
  if (alert.ip) body.push(row('From IP', untrusted(alert.ip, { monospace: true })));
  if (alert.location) body.push(row('Location', untrusted(alert.location)));
  body.push(text(rule.why, { isSubtle: true }));
  if (record.acknowledged) {
    body.push(
      row('Acknowledged', untrusted(`${record.acknowledged.by} · ${formatTime(record.acknowledged.at, nowMs)}`)),
    );
  }
  if (record.snoozed) {
    body.push(row('Snoozed', untrusted(`${record.snoozed.by} · until ${formatTime(record.snoozed.until, nowMs)}`)));
  }
  const actions: CardElement[] = [];
  if (alert.subject.upn) {
    actions.push(commandButton('Investigate', 'investigate', alert.subject.upn));
    actions.push(commandButton('Revoke sessions', 'revoke', alert.subject.upn));
  }
  if (!record.snoozed) actions.push(verbButton('Snooze 24 h', 'alert.snooze', { alertId: alert.id }));
  if (!record.acknowledged) actions.push(verbButton('Acknowledge', 'alert.ack', { alertId: alert.id }));
  return adaptiveCard(body, actions, `${rule.title}: ${who ?? 'unknown user'}`);
}
