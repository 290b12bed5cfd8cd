import { APPROVAL_VERBS } from './approval-verbs';
import { adaptiveCard, heading, text, untrusted, type AdaptiveCard } from './elements';

/** Asks for the justification before any request exists; submitting re-runs the command with it. */
export function approvalJustifyCard(command: string, args: string): AdaptiveCard {
  const data = { verb: APPROVAL_VERBS.justify, command, args };
  return adaptiveCard(
    [
      heading('Why is this needed?'),
      text('Every response action needs a justification, recorded with the request and in the audit trail.'),
      untrusted(`${command} ${args}`, { monospace: true }),
      {
        type: 'Input.Text',
        id: 'justification',
        label: 'Justification',
        isMultiline: true,
        isRequired: true,
        maxLength: 1000,
        placeholder: 'e.g. reported phishing, confirmed by phone',
        errorMessage: 'A justification is required.',
      },
    ],
    [
      {
        type: 'Action.Execute',
        title: 'Request approval',
        verb: APPROVAL_VERBS.justify,
        data,
        fallback: { type: 'Action.Submit', title: 'Request approval', data },
      },
    ],
  );
}
