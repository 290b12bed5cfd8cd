/**
 * Storage keys as Azure blob names. A key may hold any character, but a blob name must survive URL handling (no
 * `.`/`..` segments, no `\`, no `%` ambiguity) and XML listing (no control characters). So every character outside
 * [0-9A-Za-z/-] is escaped, and the escape is chosen so that the code is prefix-free and keeps order: for keys a and
 * b, a < b by code point exactly when name(a) < name(b) by byte, and a starts with p exactly when name(a) starts with
 * name(p). That lets the service do the prefix match and the ordering, as SQLite does with its index.
 *
 * Each escape begins with a lead character that sorts in the same gap of ASCII as the characters it stands for,
 * followed by lowercase hex: `!` for U+0000–U+002C, `.` for U+002E, `=` for U+003A–U+0040, `_` for U+005B–U+0060, and
 * `~` plus the UTF-8 bytes (WTF-8 for a lone surrogate) for U+007B and above. Common keys stay readable
 * (`audit/log/000000000001`, `approvals/open/<uuid>`).
 */

const PLAIN = /^[0-9A-Za-z/-]$/;

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function leadFor(cp: number): string | null {
  if (cp <= 0x2c) return '!';
  if (cp === 0x2e) return '.';
  if (cp >= 0x3a && cp <= 0x40) return '=';
  if (cp >= 0x5b && cp <= 0x60) return '_';
  return null;
}

// UTF-8 bytes of a code point, computed directly so that a lone surrogate also gets (WTF-8) bytes and keeps its place.
function utf8Bytes(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** The blob name for a key (also for a prefix or an `after` bound: the code keeps both meanings). */
export function blobNameOf(key: string): string {
  let out = '';
  for (const char of key) {
    if (PLAIN.test(char)) {
      out += char;
      continue;
    }
    const cp = char.codePointAt(0) ?? 0;
    const lead = leadFor(cp);
    out += lead !== null ? lead + hex2(cp) : '~' + utf8Bytes(cp).map(hex2).join('');
  }
  return out;
}

const HEX = /^[0-9a-f]{2}$/;

/** The key a blob name stands for, or null for a name this code never produces (a blob someone else put there). */
export function keyOfBlobName(name: string): string | null {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const char = name[i] ?? '';
    if (PLAIN.test(char)) {
      out += char;
      i++;
      continue;
    }
    const first = name.slice(i + 1, i + 3);
    if (!HEX.test(first)) return null;
    const byte = parseInt(first, 16);
    if (char !== '~') {
      if (leadFor(byte) !== char) return null;
      out += String.fromCodePoint(byte);
      i += 3;
      continue;
    }
    const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    if (length === 0) return null;
    const bytes = [byte];
    for (let k = 1; k < length; k++) {
      const next = name.slice(i + 1 + 2 * k, i + 3 + 2 * k);
      if (!HEX.test(next)) return null;
      bytes.push(parseInt(next, 16));
    }
    const cp = decodeUtf8(bytes);
    // Only the one encoding blobNameOf would write is accepted, so a name maps back to exactly one key.
    if (cp === null || cp < 0x7b || utf8Bytes(cp).map(hex2).join('') !== bytes.map(hex2).join('')) return null;
    out += String.fromCodePoint(cp);
    i += 1 + 2 * length;
  }
  return out;
}

function decodeUtf8(bytes: number[]): number | null {
  const [b0 = 0, ...rest] = bytes;
  if (rest.some((b) => (b & 0xc0) !== 0x80)) return null;
  const tail = rest.reduce((cp, b) => (cp << 6) | (b & 0x3f), 0);
  const head = bytes.length === 1 ? b0 : bytes.length === 2 ? b0 & 0x1f : bytes.length === 3 ? b0 & 0x0f : b0 & 0x07;
  const cp = (head << (6 * rest.length)) | tail;
  return cp > 0x10ffff ? null : cp;
}
