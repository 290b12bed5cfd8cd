import type { SecretMessage } from '../services/approvals/ports';
import { adaptiveCard, heading, row, text, untrusted, type AdaptiveCard } from './elements';

/** The one-time secret for the requester's personal chat. Never posted anywhere else, never logged. */
export function approvalSecretCard(message: SecretMessage): AdaptiveCard {
  const what = message.kind === 'password' ? 'Temporary password' : 'Temporary Access Pass';
  const note =
    message.kind === 'password'
      ? 'The user must change it at next sign-in. Give it to them over a verified channel; this is the only time it is shown.'
      : `Valid once, for ${message.lifetimeInMinutes} minutes. Give it to the user over a verified channel; this is the only time it is shown.`;
  return adaptiveCard([
    heading(what),
    row('User', untrusted(message.targetUpn, { monospace: true })),
    row(what, untrusted(message.secret, { monospace: true, weight: 'Bolder' })),
    text(note, { isSubtle: true }),
    text(`Request ${message.approvalId}`, { isSubtle: true, size: 'Small' }),
  ]);
}
