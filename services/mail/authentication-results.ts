/** Parses `Authentication-Results` header values (RFC 8601, and Exchange Online's form without an authserv-id). Pure. */

/** One method's result, e.g. `dkim=pass header.d=microsoftonline.com`. */
export interface AuthMethodResult {
  method: string;
  result: string;
  /** ptype.property → value, lower-cased keys: `header.d`, `smtp.mailfrom`, `header.from`, `reason`, `action`. */
  props: Record<string, string>;
}

export interface AuthenticationResults {
  /** The authserv-id when the header has one (Exchange Online stamps none). */
  authservId: string | null;
  results: AuthMethodResult[];
}

/** A header value is bounded before parsing: a real one is well under 2 KB. */
const MAX_VALUE = 8_192;

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth += 1;
    else if (ch === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += ch;
  }
  return out;
}

const METHOD = /^([a-z][a-z0-9_-]*)(?:\/[0-9]+)?\s*=\s*([a-z0-9_-]+)/i;
const PROP = /([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)?)\s*=\s*("[^"]*"|[^\s;]+)/gi;

/** Parse one header value. Unknown text is skipped, never thrown on. */
export function parseAuthenticationResults(raw: string): AuthenticationResults {
  const value = stripComments(raw.slice(0, MAX_VALUE).replace(/\r?\n[ \t]*/g, ' '));
  const parts = value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  let authservId: string | null = null;
  const results: AuthMethodResult[] = [];
  parts.forEach((part, index) => {
    const method = METHOD.exec(part);
    if (!method) {
      // RFC 8601: the first element is the authserv-id (optionally followed by a version), not a result.
      if (index === 0) authservId = part.split(/\s+/)[0] ?? null;
      return;
    }
    const props: Record<string, string> = {};
    const rest = part.slice(method[0].length);
    for (const m of rest.matchAll(PROP)) {
      const key = (m[1] ?? '').toLowerCase();
      if (key.length > 0) props[key] = (m[2] ?? '').replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method: (method[1] ?? '').toLowerCase(), result: (method[2] ?? '').toLowerCase(), props });
  });
  return { authservId, results };
}

/** The first result for a method (spf, dkim, dmarc, compauth), or null. */
export function resultFor(ar: AuthenticationResults, method: string): AuthMethodResult | null {
  return ar.results.find((r) => r.method === method) ?? null;
}
