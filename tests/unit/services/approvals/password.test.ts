import assert from 'node:assert/strict';
import { generateTemporaryPassword } from '../../../../services/approvals/password';

// The temporary password an approved reset sets (and sends to the requester once): 16 characters, all four classes,
// from the crypto RNG, and no position predictable (the class-per-position seed is shuffled away).
const CLASSES = [/[A-HJ-NP-Z]/, /[a-km-z]/, /[2-9]/, /[!#$%*+\-=?@]/];
const classOf = (c: string): number => CLASSES.findIndex((re) => re.test(c));

describe('approvals/password: temporary passwords', () => {
  it('16 characters by default, every character from the allowed sets, all four classes present', () => {
    for (let i = 0; i < 200; i++) {
      const password = generateTemporaryPassword();
      assert.equal(password.length, 16);
      const classes = [...password].map(classOf);
      assert.ok(!classes.includes(-1), `unexpected character in ${password}`);
      for (let k = 0; k < 4; k++) assert.ok(classes.includes(k), `class ${k} missing in ${password}`);
    }
    assert.equal(generateTemporaryPassword(24).length, 24);
  });

  it('no position is tied to a class: across 400 passwords the first four positions each see every class', () => {
    const seen = Array.from({ length: 4 }, () => new Set<number>());
    for (let i = 0; i < 400; i++) {
      const password = generateTemporaryPassword();
      for (let p = 0; p < 4; p++) seen[p]?.add(classOf(password.charAt(p)));
    }
    for (const [p, classes] of seen.entries())
      assert.equal(classes.size, 4, `position ${p} saw classes ${[...classes].join()}`);
  });

  it('does not repeat (crypto randomness)', () => {
    const many = new Set(Array.from({ length: 500 }, () => generateTemporaryPassword()));
    assert.equal(many.size, 500);
  });
});
