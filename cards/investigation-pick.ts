/**
 * "Contain selected" on the investigate card: the flagged items, numbered, with a checkbox each (one multi-select
 * choice set whose values are the items' persistenceKeys, all ticked at first), an optional justification, and a
 * button on verb `contain.pick` that opens the normal `contain` approval request with exactly the ticked items (the
 * handler re-reads the investigation and refuses keys no longer flagged). Pure.
 */
import type { PersistenceItem, PersistenceKind } from '../services/identity/persistence';
import { persistenceKey } from '../services/identity/persistence';
import { container, text, verbButton, type CardElement, type Part } from './elements';
import { line } from './mfa-trail.card';
import { own } from './text';

/** At most this many items are offered (the rest still goes into a plain `contain`, which takes every flagged item). */
export const MAX_PICK = 8;

const ACTION = {
  grant: 'revoke the delegated grant',
  'app-role-assignment': 'remove the app role assignment',
  delegate: 'remove the mailbox permission',
  device: 'disable the device',
  method: 'remove the authentication method',
  'app-credential': 'remove the app credential',
  'mobile-device': 'block the mobile device (ActiveSync)',
} as const satisfies Record<PersistenceKind, string>;

/** What the item is, for the numbered list: our label, then the tenant's names as TextRuns. */
export function describeItem(item: PersistenceItem): Part[] {
  switch (item.kind) {
    case 'grant':
      return [
        own('App grant: '),
        { text: item.app, bold: true, max: 40 },
        own(' — '),
        { text: item.scopes.join(' '), max: 50 },
      ];
    case 'app-role-assignment':
      return [own('App role assignment: '), { text: item.app, bold: true, max: 40 }];
    case 'delegate':
      return [own(`Mailbox ${item.right}: `), { text: item.delegate, bold: true, max: 50 }];
    case 'device':
      return [own('Device: '), { text: item.name, bold: true, max: 40 }];
    case 'method':
      return [own('Authentication method: '), { text: item.label, bold: true, max: 40 }];
    case 'mobile-device':
      return [own('Mobile device (ActiveSync): '), { text: item.name, bold: true, max: 50 }];
    case 'app-credential':
      return [
        own(item.credential === 'password' ? 'App secret on ' : 'App certificate on '),
        { text: item.app, bold: true, max: 40 },
      ];
  }
}

/** The pick section and its button, or nothing when no item is flagged. */
export function containPick(
  upn: string,
  flagged: readonly PersistenceItem[],
): { body: CardElement[]; actions: CardElement[] } {
  if (flagged.length === 0) return { body: [], actions: [] };
  const offered = flagged.slice(0, MAX_PICK);
  const lines = offered.map((item, i) => line([own`${i + 1}. `, ...describeItem(item)]));
  const body: CardElement[] = [
    container(
      [
        text(own('Contain selected'), { weight: 'Bolder' }),
        text(
          own(
            'Ticked items go into one `contain` request with the usual steps (revoke sessions, block sign-in, reset the password, disable forwarding rules); a second person approves the exact list.',
          ),
          { isSubtle: true },
        ),
        ...lines,
        ...(flagged.length > offered.length
          ? [
              text(
                own`${flagged.length - offered.length} more flagged item(s) are not offered here; \`contain\` takes them all.`,
              ),
            ]
          : []),
        {
          type: 'Input.ChoiceSet',
          id: 'items',
          isMultiSelect: true,
          style: 'expanded',
          label: 'Items to contain',
          value: offered.map(persistenceKey).join(','),
          choices: offered.map((item, i) => ({ title: `${i + 1}. ${ACTION[item.kind]}`, value: persistenceKey(item) })),
        },
        {
          type: 'Input.Text',
          id: 'justification',
          label: 'Justification (asked for next if left empty)',
          isMultiline: true,
          maxLength: 1000,
          placeholder: 'e.g. user confirmed the sign-in was not theirs',
        },
      ],
      { separator: true, spacing: 'Medium' },
    ),
  ];
  // `items` here is replaced by the choice set's value when the card is submitted (inputs win over data).
  return { body, actions: [verbButton('Contain selected', 'contain.pick', { upn, items: [] })] };
}
