import type { Route } from './types';

/** Matches path segments against `a/:b/c` patterns; `:name` captures one segment. */
export interface CompiledRoute {
  route: Route;
  parts: string[];
}

export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((route) => ({ route, parts: route.pattern.split('/').filter((p) => p !== '') }));
}

export type RouteMatch =
  { kind: 'match'; route: Route; params: Record<string, string> } | { kind: 'method-not-allowed' } | { kind: 'none' };

export function matchRoute(
  table: readonly CompiledRoute[],
  method: string,
  version: string,
  segments: readonly string[],
): RouteMatch {
  let pathMatched = false;
  for (const { route, parts } of table) {
    if (parts.length !== segments.length || !route.versions.includes(version)) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) params[part.slice(1)] = segment;
      else if (part.toLowerCase() !== segment.toLowerCase()) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { kind: 'match', route, params };
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'none' };
}

/** Splits a Graph path into segments, turning `users('a@b.com')` into ['users', 'a@b.com']. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const decoded = safeDecode(raw);
    const keyed = /^([^(]+)\('?(.*?)'?\)$/.exec(decoded);
    if (keyed?.[1] !== undefined && keyed[2] !== undefined) {
      segments.push(keyed[1], keyed[2].replace(/''/g, "'"));
    } else segments.push(decoded);
  }
  return segments;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    if (err instanceof URIError) return value;
    throw err;
  }
}
