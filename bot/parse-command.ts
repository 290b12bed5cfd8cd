/** Turns message text into a command name and its argument string. */
import { editDistance } from '../services/similarity';

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
