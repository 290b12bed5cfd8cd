import assert from 'node:assert/strict';
import { confusableSkeleton, editDistance } from '../../../services/similarity';

describe('services/similarity', () => {
  const distances: [string, string, number][] = [
    ['', '', 0],
    ['user', 'user', 0],
    ['usr', 'user', 1],
    ['hlep', 'help', 2],
    ['kitten', 'sitting', 3],
  ];
  for (const [a, b, d] of distances) it(`editDistance(${a}, ${b}) = ${d}`, () => assert.equal(editDistance(a, b), d));

  it('gives look-alikes the same skeleton and different names different ones', () => {
    assert.equal(confusableSkeleton('exarnple'), confusableSkeleton('example'));
    assert.equal(confusableSkeleton('examp1e'), confusableSkeleton('example'));
    assert.equal(confusableSkeleton('micrоsoft'), confusableSkeleton('microsoft'), 'Cyrillic о');
    assert.notEqual(confusableSkeleton('contoso'), confusableSkeleton('example'));
  });
});
