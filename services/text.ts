/** Helpers for untrusted strings: strip what could change how they render or read, and cap the length. */

// C0/C1 controls, bidi embeddings/overrides/isolates, zero-width joiners and BOM.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point of this pattern
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function sanitizeUntrusted(value: string, maxLength = 256): string {
  const flat = value.replace(/\r\n|[\r\n\t\u0085\u2028\u2029]/g, ' ').replace(UNSAFE, '');
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
