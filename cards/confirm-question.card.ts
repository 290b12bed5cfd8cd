import { z } from 'zod';
import type { ConfirmKind, Confirmation } from '../services/confirm/types';
import { adaptiveCard, heading, row, text, verbButton } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatTime, own, type Own } from './text';

/** What the Yes / No / Not now buttons carry; who answers comes from the authenticated activity, never from here. */
export const confirmAnswerDataSchema = z.object({
  confirmationId: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/),
  answer: z.enum(['yes', 'no', 'later']),
});

const WHAT: Record<ConfirmKind, Own> = {
  'security-info': own('The sign-in methods of your account (security info) were changed.'),
  device: own('A device was registered to your account.'),
  consent: own('An app was given access to the data of your account.'),
  'forwarding-rule': own('An inbox rule in your mailbox now forwards mail outside the organisation.'),
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * "Was this you?" in the user's 1:1 chat: what happened, when, from where, and Yes / No / Not now (once). Once
 * answered (or escalated) the same card without buttons says what was recorded.
 */
export function confirmQuestionCard(c: Confirmation, nowMs: number): AdaptiveCard {
  const body: CardElement[] = [heading(own('Was this you?')), text(WHAT[c.kind])];
  body.push(row(own('What happened'), c.activity));
  if (c.detail) body.push(row(own('Detail'), c.detail));
  body.push(row(own('When'), formatTime(c.occurredAt, nowMs)));
  if (c.ip) body.push(row(own('From IP'), c.ip));
  if (c.location) body.push(row(own('From'), c.location));
  const actions: CardElement[] = [];
  const button = (title: string, answer: 'yes' | 'no' | 'later'): CardElement =>
    verbButton(title, 'confirm.answer', { confirmationId: c.id, answer });
  switch (c.state) {
    case 'confirmed':
      body.push(
        text(own`You answered **Yes, it was me** · ${formatTime(iso(c.answer?.at ?? null), nowMs)}. Thank you.`),
      );
      break;
    case 'denied':
      body.push(
        text(
          own`You answered **No, it wasn't me** · ${formatTime(iso(c.answer?.at ?? null), nowMs)}. The security team has been alerted and will secure your account; do not approve sign-in prompts you did not start.`,
        ),
      );
      break;
    case 'escalated':
    case 'unreachable':
      body.push(text(own('No answer was recorded in time: the security team has been alerted and will follow up.')));
      break;
    default:
      if (c.state === 'later')
        body.push(text(own`We will ask again ${formatTime(iso(c.laterUntil), nowMs)}. You can answer now too.`));
      body.push(
        text(
          own(
            'If you did not do this, answer No: the security team secures your account at once. Only you can answer.',
          ),
          { isSubtle: true },
        ),
      );
      actions.push(button('Yes, it was me', 'yes'), button("No, it wasn't me", 'no'));
      if (!c.laterUsed) actions.push(button('Not now (ask again in 4 h)', 'later'));
  }
  return adaptiveCard(body, actions, own('Was this you? A change to your account needs your answer.'));
}
