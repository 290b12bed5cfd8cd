import type { CardElement } from './elements';

/** The required justification field of the cards that ask for one before a request exists (its id is the data key). */
export function justificationInput(): CardElement {
  return {
    type: 'Input.Text',
    id: 'justification',
    label: 'Justification',
    isMultiline: true,
    isRequired: true,
    maxLength: 1000,
    placeholder: 'e.g. reported phishing, confirmed by phone',
    errorMessage: 'A justification is required.',
  };
}
