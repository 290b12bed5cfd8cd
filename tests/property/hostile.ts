import fc from 'fast-check';

/** Pieces attackers put in display names, rule names, subjects and app names (reliability-security.md §6, rows 13–14). */
export const HOSTILE_PIECES = [
  '[Reset your password](https://evil.example/reset)',
  '![pixel](https://evil.example/p.png)',
  '**Approved by CISO**',
  '_urgent_',
  '# Heading',
  '<at>Megan Bowen</at>',
  '<b>html</b>',
  '`code`',
  '\n\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  "o'brien",
  '"quoted"',
  '\\',
  'https://evil.example/',
  '&lt;at&gt;',
] as const;

/** A hostile string, shown shortened when fast-check reports a counterexample (a 10 KB value would flood the log). */
export interface Hostile {
  value: string;
}

function hostile(value: string): Hostile {
  const shown =
    value.length > 200 ? `${JSON.stringify(value.slice(0, 200))}… (${value.length} chars)` : JSON.stringify(value);
  return { value, [fc.toStringMethod]: () => shown } as Hostile;
}

/** A hostile string: markdown, mentions, newlines, controls, bidi, arbitrary code units, or 10 KB. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
      { weight: 1, arbitrary: fc.constant('A'.repeat(10_000)) },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => parts.join(''));

export const hostilePayload: fc.Arbitrary<Hostile> = hostileString.map(hostile);

// Characters a sanitised untrusted string must not contain: C0/C1 controls (newlines, tabs, NEL), Unicode line and
// paragraph separators, bidi embeddings/overrides/isolates, zero-width characters and the BOM.
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
export const UNSANITISED = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/;
