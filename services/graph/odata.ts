import type { UserRef } from '../ids';

/** An OData string literal for `$filter`: quoted, with `'` doubled so user input cannot close the literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Percent-encode per RFC 3986 (unreserved characters only are left as-is; `encodeURIComponent` leaves `!'()*`). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Query options in the order given; `$`-options first keeps the SDK's re-assembled URL identical to ours. */
export type QueryOptions = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Build `?k=v&…` with RFC 3986 encoding; arrays are comma-joined (`$select`); undefined values are dropped. */
export function buildQuery(options: QueryOptions): string {
  const entries = Object.entries(options).filter(
    (e): e is [string, string | number | boolean | readonly string[]] => e[1] !== undefined,
  );
  entries.sort(([a], [b]) => Number(!a.startsWith('$')) - Number(!b.startsWith('$')));
  const parts = entries.map(([key, value]) => {
    const text = Array.isArray(value) ? value.join(',') : String(value);
    return `${key.startsWith('$') ? `$${encodeRfc3986(key.slice(1))}` : encodeRfc3986(key)}=${encodeRfc3986(text)}`;
  });
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** A path with a query: `withQuery('/users', { $top: 5 })`. */
export function withQuery(path: string, options: QueryOptions): string {
  return `${path}${buildQuery(options)}`;
}

/**
 * The path of a user: `/users/{id}` or `/users/{upn}`. A UPN is one encoded path segment; a UPN starting with `$`
 * would be read as a system query segment, so Graph wants the key form `/users('$x@contoso.com')` for it.
 */
export function userPath(ref: UserRef): string {
  if (ref.kind === 'id') return `/users/${encodeRfc3986(ref.id)}`;
  // `$` is a legal sub-delimiter in a path, so it stays literal as in Graph's documented form.
  if (ref.upn.startsWith('$'))
    return `/users('${encodeURIComponent(ref.upn.replace(/'/g, "''")).replace(/%24/g, '$')}')`;
  return `/users/${encodeURIComponent(ref.upn)}`;
}
