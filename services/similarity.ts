/** String similarity used to spot typos (command names) and look-alike domains. Pure. */

/** Levenshtein distance: insertions, deletions and substitutions each cost one. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length] ?? 0;
}

// Characters attackers swap in for letters that look the same in a mail client's font: Cyrillic and Greek
// homoglyphs, digits and symbols; then letter pairs that read as one letter.
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  і: 'i',
  ѕ: 's',
  ο: 'o',
  ν: 'v',
  '0': 'o',
  '3': 'e',
  '5': 's',
  $: 's',
  '@': 'a',
};
const PAIRS: readonly [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  // 1, i, l and | are one shape in many fonts.
  [/[1il|]/g, 'l'],
];

/** Maps a string to its look-alike skeleton: two strings with the same skeleton read the same at a glance. */
export function confusableSkeleton(value: string): string {
  let s = [...value.toLowerCase()].map((c) => HOMOGLYPHS[c] ?? c).join('');
  for (const [pattern, replacement] of PAIRS) s = s.replace(pattern, replacement);
  return s;
}
