import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blobNameOf, keyOfBlobName } from '../../../../services/storage/blob-names';

// Code-point order, the order every Storage adapter lists keys in.
const byCodePoint = (a: string, b: string): number => {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
};
const byByte = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Keys over the characters where the escape classes meet, plus anything else (lone surrogates included).
const edgeChars = fc.constantFrom(
  '\u0000',
  ' ',
  ',',
  '-',
  '.',
  '/',
  '0',
  '9',
  ':',
  '@',
  'A',
  'Z',
  '[',
  '`',
  'a',
  'z',
  '{',
  '~',
  '\u007f',
  '\u0080',
  'é',
  '\ud7ff',
  '\ud800',
  '\ue000',
  '\uffff',
  '\u{1f600}',
  '\u{10ffff}',
);
const keyArb = fc
  .array(fc.oneof(edgeChars, fc.string({ unit: 'binary', maxLength: 1 })), { maxLength: 8 })
  .map((parts) => parts.join(''));

describe('blob names for storage keys', () => {
  it('keeps the keys the bot writes readable', () => {
    assert.equal(blobNameOf('audit/log/000000000001'), 'audit/log/000000000001');
    assert.equal(blobNameOf('approvals/open/5f1c-9a'), 'approvals/open/5f1c-9a');
    assert.equal(blobNameOf('a.b/../c d%'), 'a.2eb/.2e.2e/c!20d!25');
  });

  it('never writes a character URL or XML handling could change', () => {
    fc.assert(
      fc.property(
        keyArb,
        (key) => /^[0-9A-Za-z/\-!.=_~]*$/.test(blobNameOf(key)) && !/(^|\/)\.\.?(\/|$)/.test(blobNameOf(key)),
      ),
      { numRuns: 500 },
    );
  });

  it('maps back to the same key', () => {
    fc.assert(
      fc.property(keyArb, (key) => keyOfBlobName(blobNameOf(key)) === key),
      { numRuns: 500 },
    );
  });

  it('keeps code-point order as byte order of the names', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => byCodePoint(a, b) === byByte(blobNameOf(a), blobNameOf(b))),
      { numRuns: 1000 },
    );
  });

  it('keeps prefixes: a key starts with p exactly when its name starts with the name of p', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (key, p) => key.startsWith(p) === blobNameOf(key).startsWith(blobNameOf(p))),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(keyArb, keyArb, (p, rest) => blobNameOf(p + rest).startsWith(blobNameOf(p))),
      { numRuns: 300 },
    );
  });

  it('refuses names it would never write', () => {
    for (const foreign of ['a.b', 'a!2', 'a!zz', 'a~', 'a~7a', 'a~c3', 'a~c0af', 'a=41', 'a%20', 'a b'])
      assert.equal(keyOfBlobName(foreign), null, foreign);
  });
});
