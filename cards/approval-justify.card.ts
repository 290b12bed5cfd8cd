import type { CommandName } from '../bot/commands/table';
import { adaptiveCard, heading, text, untrusted, verbButton } from './elements';
import type { AdaptiveCard } from './elements';
import { justificationInput } from './justification';
import { own } from './text';

/** Asks for the justification before any request exists; submitting re-runs the command with it. */
export function approvalJustifyCard(command: CommandName, args: string): AdaptiveCard {
  return adaptiveCard(
    [
      heading(own('Why is this needed?')),
      text(own('Every response action needs a justification, recorded with the request and in the audit trail.')),
      untrusted(`${command} ${args}`, { mono: true }),
      justificationInput(),
    ],
    [verbButton('Request approval', 'approval.justify', { command, args })],
  );
}
