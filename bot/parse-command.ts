/** Turns message text into a command name and its argument string. */

// Teams (and the Playground) put bot mentions inline as <at>Name</at>; they are addressing, not arguments.
const MENTION = /<at>[^<]*<\/at>/gi;

export interface ParsedText {
  name: string;
  args: string;
}

export function parseCommandText(text: string | undefined): ParsedText | null {
  if (!text) return null;
  const cleaned = text
    .replace(MENTION, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim();
  if (cleaned.length === 0) return null;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(cleaned);
  if (!match) return null;
  return { name: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}

function editDistance(a: string, b: string): number {
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

/** The known name closest to `input`, or null when nothing is close enough to be a plausible typo. */
export function closestName(input: string, names: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = name.startsWith(input) || input.startsWith(name) ? 1 : editDistance(input, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return null;
  return best.distance <= Math.max(2, Math.floor(best.name.length / 2)) ? best.name : null;
}
