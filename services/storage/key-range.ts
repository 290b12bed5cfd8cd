/** Bounds [lower, upper) that hold exactly the keys starting with `prefix`; `upper` is absent when unbounded. */
export interface KeyRange {
  lower: string;
  upper?: string;
}

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;

/**
 * Turns a literal prefix into a key range, so a prefix match is an index range scan and characters that are
 * wildcards elsewhere (`%`, `_`, `*`) mean only themselves. Correct for any order that compares code points,
 * which SQLite's BINARY collation over UTF-8 does.
 */
export function prefixRange(prefix: string): KeyRange {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()?.codePointAt(0) ?? MAX_CODE_POINT;
    if (last < MAX_CODE_POINT) {
      const next = last + 1 === SURROGATE_START ? SURROGATE_END + 1 : last + 1;
      return { lower: prefix, upper: chars.join('') + String.fromCodePoint(next) };
    }
    // No character sorts after U+10FFFF, so the bound moves to the previous character.
  }
  return { lower: prefix };
}
