import assert from 'node:assert/strict';
import { adaptiveCard, row, runs, text } from '../../../cards/elements';
import { formatTime, isOwn, joinOwn, own, sanitizeUntrusted, type Own } from '../../../cards/text';
import { markdownSurfaces, textRuns } from '../../support/cards';

const HOSTILE = '[Verify](https://evil.example)\n**urgent**\u202e<at>x</at>\u200b';

describe('cards/text: untrusted by default', () => {
  it('sanitizeUntrusted flattens newlines and tabs, strips controls, bidi and zero-width characters, and caps', () => {
    assert.equal(sanitizeUntrusted('a\r\nb\tc\u0007d\u202ee\u200bf\ufeff'), 'a b cdef');
    assert.equal(sanitizeUntrusted('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
  });

  it('a string part of a line is a sanitised, capped TextRun; own wording is kept as written', () => {
    const line = runs([own('Line one\nkept: '), HOSTILE, { text: 'y'.repeat(50), max: 8 }, ''], { max: 200 });
    assert.deepEqual(textRuns(line), [
      'Line one\nkept: ',
      '[Verify](https://evil.example) **urgent**<at>x</at>',
      `${'y'.repeat(7)}…`,
    ]);
  });

  it('row: a string value is a TextRun, own wording a TextBlock; the label is always own', () => {
    const untrusted = row(own('Name'), HOSTILE);
    assert.deepEqual(markdownSurfaces(untrusted), ['Name']);
    assert.equal(textRuns(untrusted).length, 1);
    assert.deepEqual(markdownSurfaces(row(own('State'), own('**active**'))), ['State', '**active**']);
  });

  it('a string forced into text() past the type still renders as a TextRun, not markdown', () => {
    const forced = text(HOSTILE as unknown as Own);
    assert.deepEqual(markdownSurfaces(forced), []);
    assert.equal(textRuns(forced)[0], sanitizeUntrusted(HOSTILE));
  });

  it('only own wording is Own: a look-alike object is not', () => {
    assert.ok(isOwn(own`x ${1}`));
    assert.ok(!isOwn({ text: 'x' }));
    assert.ok(!isOwn('x'));
  });

  it('own templates join literals, numbers and own pieces', () => {
    const reasons = joinOwn([own('a'), own('b')], own`; `);
    assert.equal(own`${2} reasons: ${reasons} (${Math.random() < 2 ? 'ok' : 'no'})`.text, '2 reasons: a; b (ok)');
    assert.equal(formatTime('not a date', 0).text, 'unknown');
  });

  it('the fallback text of a card is sanitised when it is a string', () => {
    assert.equal(adaptiveCard([], [], `User ${HOSTILE}`).fallbackText, `User ${sanitizeUntrusted(HOSTILE)}`);
  });

  it('refuses untrusted strings where markdown renders, at compile time', () => {
    const graphString: string = HOSTILE;
    const nested = `name: ${graphString}`;
    // @ts-expect-error -- a plain string is not own wording
    text(graphString);
    // @ts-expect-error -- nor is a variable typed string passed to own()
    own(graphString);
    const refused = [
      // @ts-expect-error -- nor a string interpolated into own wording
      own`Approved by ${graphString}`,
      // @ts-expect-error -- nor a template literal that embeds one
      own`${nested}`,
      // @ts-expect-error -- nor a nested plain template inside own wording
      own`x ${`by ${graphString}`}`,
    ];
    assert.equal(refused.length, 3);
    // @ts-expect-error -- a label is own wording too
    row(graphString, own('x'));
  });
});
