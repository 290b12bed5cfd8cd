/**
 * The small part of Exchange's OPATH `-Filter` syntax the demo's cmdlets accept: `Prop -eq|-ne value` terms joined by
 * `-and` / `-or` (no parentheses), values `$true`, `$false`, `$null` or quoted strings. Anything else is refused as
 * Exchange refuses a filter it cannot parse.
 */
export type OpathFilter = (object: Record<string, unknown>) => boolean;

const TERM = /^\s*(\w+)\s+-(eq|ne)\s+(\$true|\$false|\$null|'[^']*'|"[^"]*")\s*$/i;

function literal(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === '$true') return true;
  if (lower === '$false') return false;
  if (lower === '$null') return null;
  return raw.slice(1, -1);
}

function term(text: string): OpathFilter | null {
  const m = TERM.exec(text);
  if (!m) return null;
  const [, property = '', op = '', raw = ''] = m;
  const value = literal(raw);
  return (object) => {
    const key = Object.keys(object).find((k) => k.toLowerCase() === property.toLowerCase());
    const actual = key === undefined ? null : (object[key] ?? null);
    const equal =
      typeof actual === 'string' && typeof value === 'string'
        ? actual.toLowerCase() === value.toLowerCase()
        : actual === value;
    return op.toLowerCase() === 'eq' ? equal : !equal;
  };
}

/** The filter, or null when the text is outside the supported subset. `-and` binds tighter than `-or`. */
export function parseOpath(text: string): OpathFilter | null {
  const alternatives = text.split(/\s-or\s/i).map((alt) => alt.split(/\s-and\s/i).map(term));
  if (alternatives.some((all) => all.some((t) => t === null))) return null;
  const parsed = alternatives as OpathFilter[][];
  return (object) => parsed.some((all) => all.every((t) => t(object)));
}
