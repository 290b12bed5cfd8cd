import type { VerbData } from '../bot/commands/table';
import { adaptiveCard, heading, runs, text, verbButton } from './elements';
import type { AdaptiveCard } from './elements';
import { own } from './text';

/**
 * Asks for the justification of a `contain` of the items picked on the investigate card; submitting sends the same
 * picked keys again with the typed justification (verb contain.pick), so the request binds exactly that list.
 */
export function containPickJustifyCard(data: Omit<VerbData<'contain.pick'>, 'justification'>): AdaptiveCard {
  const items = Array.isArray(data.items) ? data.items : [];
  return adaptiveCard(
    [
      heading(own('Contain: why is this needed?')),
      text(
        own(
          'The request revokes sessions, blocks sign-in, resets the password, disables forwarding rules and removes the items you picked. Every response action needs a justification, recorded with the request and in the audit trail.',
        ),
      ),
      runs([own`User `, { text: data.upn, mono: true }, own` · ${items.length} item(s) picked`]),
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
    [verbButton('Request approval', 'contain.pick', { upn: data.upn, items })],
  );
}
