import type { AlertRecord, ConfirmState } from '../services/alerts/types';
import { RULE_TEXT, SEVERITY_TEXT } from './alert-text';
import { adaptiveCard, commandButton, row, runs, text, untrusted, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatTime, own, type Own } from './text';

const RAISED = new Set<ConfirmState>(['denied', 'escalated', 'unreachable']);

/** "Was this you?": what the affected user answered, or where the question stands. */
function confirmationLine(record: AlertRecord, nowMs: number): Own | CardElement | null {
  const c = record.confirmation;
  if (!c) return null;
  const when = formatTime(c.at, nowMs);
  switch (c.state) {
    case 'pending':
    case 'asking':
      return own('Asking the user in their chat with the bot…');
    case 'asked':
      return own`Asked the user "was this you?"; escalates ${when} without an answer`;
    case 'later':
      return own`The user asked to answer later; asked again ${when}`;
    case 'confirmed':
      return own`✅ Confirmed by the user · ${when}`;
    case 'denied':
      return own`❌ The user says it was **not** them · ${when}`;
    case 'escalated':
    case 'unreachable':
      return runs(
        [c.state === 'escalated' ? own`⚠️ Escalated · ${when} · ` : own`⚠️ Could not ask the user · `, c.reason ?? ''],
        {
          max: 300,
        },
      );
  }
}

/** The alert card: what, who, when, from where, why it matters, and what to do. */
export function alertCard(record: AlertRecord, nowMs: number): AdaptiveCard {
  const { alert } = record;
  const rule = RULE_TEXT[alert.rule];
  const who = alert.subject.upn ?? alert.subject.displayName ?? alert.subject.id;
  const body: CardElement[] = [
    text(own`${SEVERITY_TEXT[alert.severity]} · ${rule.title}`, { size: 'Medium', weight: 'Bolder', wrap: true }),
    row(own('User'), who ?? 'unknown'),
    row(own('What happened'), alert.activity),
  ];
  if (alert.detail) body.push(row(own('Detail'), untrusted(alert.detail, { max: 400 })));
  body.push(row(own('When'), formatTime(alert.occurredAt, nowMs)));
  if (alert.actor) body.push(row(alert.actorKind === 'app' ? own('By (app)') : own('By'), alert.actor));
  if (alert.ip) body.push(row(own('From IP'), untrusted(alert.ip, { mono: true })));
  if (alert.location) body.push(row(own('Location'), alert.location));
  body.push(text(own(rule.why), { isSubtle: true }));
  const confirmation = confirmationLine(record, nowMs);
  if (confirmation) body.push(row(own("User's answer"), confirmation));
  if (record.acknowledged) {
    const { by, at } = record.acknowledged;
    body.push(row(own('Acknowledged'), runs([by, own` · ${formatTime(at, nowMs)}`], { max: 256 })));
  }
  if (record.snoozed) {
    const { by, until } = record.snoozed;
    body.push(row(own('Snoozed'), runs([by, own` · until ${formatTime(until, nowMs)}`], { max: 256 })));
  }
  const actions: CardElement[] = [];
  if (alert.subject.upn) {
    actions.push(commandButton('Investigate', 'investigate', alert.subject.upn));
    actions.push(commandButton('Revoke sessions', 'revoke', alert.subject.upn));
    // The user says it was not them (or could not be asked in time): contain the account, through the approval.
    if (RAISED.has(record.confirmation?.state ?? 'pending'))
      actions.push(commandButton('Contain', 'contain', alert.subject.upn));
  }
  if (!record.snoozed) actions.push(verbButton('Snooze 24 h', 'alert.snooze', { alertId: alert.id }));
  if (!record.acknowledged) actions.push(verbButton('Acknowledge', 'alert.ack', { alertId: alert.id }));
  // fallbackText may be rendered as markdown where cards are not (notifications): our wording only.
  return adaptiveCard(body, actions, own(rule.title));
}
