import type { SecretMessage } from '../services/approvals/ports';
import { adaptiveCard, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard } from './elements';
import { own } from './text';

/** The one-time secret for the requester's personal chat. Never posted anywhere else, never logged. */
export function approvalSecretCard(message: SecretMessage): AdaptiveCard {
  const what = message.kind === 'password' ? own('Temporary password') : own('Temporary Access Pass');
  const note =
    message.kind === 'password'
      ? own(
          'The user must change it at next sign-in. Give it to them over a verified channel; this is the only time it is shown.',
        )
      : own`Valid once, for ${message.lifetimeInMinutes} minutes. Give it to the user over a verified channel; this is the only time it is shown.`;
  return adaptiveCard([
    heading(what),
    row(own('User'), untrusted(message.targetUpn, { mono: true })),
    row(what, untrusted(message.secret, { mono: true, bold: true })),
    text(note, { isSubtle: true }),
    runs([own('Request '), message.approvalId], { small: true, subtle: true }),
  ]);
}
