/**
 * Card text: every string is untrusted (sanitised, capped, rendered only in TextRuns) unless the code marks its own
 * wording with `own`. `Own` is a runtime value, not a type alias of string, so a Graph string can reach a markdown
 * surface only by being wrapped, and `own` accepts literals only: passing an arbitrary `string` is a type error.
 */

// C0/C1 controls, bidi embeddings/overrides/isolates, zero-width joiners and BOM.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point of this pattern
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Strip what could change how an untrusted string renders or reads (newlines — also NEL and the Unicode line and
 * paragraph separators —, controls, bidi) and cap its length.
 */
export function sanitizeUntrusted(value: string, maxLength = 256): string {
  const flat = value.replace(/\r\n|[\r\n\t\u0085\u2028\u2029]/g, ' ').replace(UNSAFE, '');
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

// Not exported: only this module makes Own values, so nothing else can wrap an arbitrary string. The private field
// makes the type nominal, so a look-alike object `{ text }` is not an Own either.
class OwnText {
  readonly #own = true;
  constructor(readonly text: string) {}
  static is(value: unknown): value is OwnText {
    return typeof value === 'object' && value !== null && #own in value;
  }
  toString(): string {
    return this.text;
  }
}

/** Wording the code wrote itself, the only text allowed where Teams renders markdown (made by `own`, `joinOwn`, formatters). */
export type Own = OwnText;

const make = (text: string): Own => new OwnText(text);

/** Whether a value is own wording (a plain string never is). */
export function isOwn(value: unknown): value is Own {
  return OwnText.is(value);
}

/**
 * A value that may sit inside own wording: own text, a number, or a string whose type is a literal (a code constant).
 * `string` and template types with a hole (`a ${string}`, which a nested template of a Graph string has) are refused:
 * a hole's type makes `Record<T, 1>` an index signature, which `{}` satisfies.
 */
type Embeddable<T> = T extends Own | number
  ? T
  : T extends string
    ? string extends T
      ? never
      : // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is the probe: it satisfies only index signatures
        {} extends Record<T, 1>
        ? never
        : T
    : never;

/** Mark own wording: own`Approved — ${count} steps` or own('literal') / own(TABLE[key]) for a literal-typed constant. */
export function own<const A extends readonly unknown[]>(
  strings: TemplateStringsArray,
  ...values: A & { readonly [I in keyof A]: Embeddable<A[I]> }
): Own;
export function own<const T extends string>(value: T & Embeddable<T>): Own;
export function own(first: TemplateStringsArray | string, ...values: unknown[]): Own {
  if (typeof first === 'string') return make(first);
  return make(first.reduce((out, part, i) => `${out}${i === 0 ? '' : String(values[i - 1])}${part}`, ''));
}

/** Own pieces joined by own separator (for lists of our own labels). */
export function joinOwn(parts: readonly Own[], separator: Own): Own {
  return make(parts.map((p) => p.text).join(separator.text));
}

/** Text as it may be shown where no markdown is parsed: own text as written, anything else sanitised to `max`. */
export function plainText(value: Own | string, max: number): string {
  return isOwn(value) ? value.text : sanitizeUntrusted(value, max);
}

const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'year'],
  [30 * 24 * 3600_000, 'month'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
];

/** "3 days ago" / "in 2 hours": built from numbers only. */
export function relativeTime(thenMs: number, nowMs: number): Own {
  const delta = nowMs - thenMs;
  const abs = Math.abs(delta);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const label = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return make(delta >= 0 ? `${label} ago` : `in ${label}`);
    }
  }
  return make('just now');
}

/** A time in UTC with a relative hint; an unparseable value is "unknown" (the input never reaches the output). */
export function formatTime(iso: string | null | undefined, nowMs: number): Own {
  if (!iso) return make('unknown');
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return make('unknown');
  const utc = new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  return make(`${utc} UTC (${relativeTime(ms, nowMs).text})`);
}

/** A count with thousands separators (1,234). */
export function formatCount(n: number): Own {
  return make(n.toLocaleString('en-US'));
}
