import assert from 'node:assert/strict';
import { prefixRange } from '../../../../services/storage/key-range';

describe('prefixRange', () => {
  it('bounds a prefix by incrementing its last character', () => {
    assert.deepEqual(prefixRange('approvals/'), { lower: 'approvals/', upper: 'approvals0' });
    assert.deepEqual(prefixRange('50%'), { lower: '50%', upper: '50&' });
  });

  it('leaves the range open for an empty prefix', () => {
    assert.deepEqual(prefixRange(''), { lower: '' });
  });

  it('increments a character beyond the BMP as one code point', () => {
    assert.deepEqual(prefixRange('u/\u{1f600}'), { lower: 'u/\u{1f600}', upper: 'u/\u{1f601}' });
  });

  it('skips the surrogate block, which holds no characters', () => {
    assert.deepEqual(prefixRange('a\ud7ff'), { lower: 'a\ud7ff', upper: 'a\ue000' });
  });

  it('moves the bound left past trailing U+10FFFF and opens it when nothing is left', () => {
    assert.deepEqual(prefixRange('ab\u{10ffff}\u{10ffff}'), { lower: 'ab\u{10ffff}\u{10ffff}', upper: 'ac' });
    assert.deepEqual(prefixRange('\u{10ffff}'), { lower: '\u{10ffff}' });
  });
});
