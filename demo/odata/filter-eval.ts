import type { FilterLiteral, FilterNode } from './filter-parse';

/** Which operators a resource supports on which property; keys are lower-case paths, `$it` is a lambda element. */
export type FilterSupport = Readonly<Record<string, readonly string[]>>;

/** A clause the resource does not support; Graph answers it with 400 Request_UnsupportedQuery. */
export class UnsupportedFilterError extends Error {
  constructor(readonly property: string) {
    super(`Unsupported or invalid query filter clause specified for property '${property}'.`);
    this.name = 'UnsupportedFilterError';
  }
}

type Scope = ReadonlyMap<string, string>;

function normalize(path: string[], scope: Scope): string {
  const head = path[0] ?? '';
  const collection = scope.get(head);
  if (collection === undefined) return path.join('/').toLowerCase();
  return (path.length === 1 ? `${collection}/$it` : `${collection}/${path.slice(1).join('/')}`).toLowerCase();
}

function demand(support: FilterSupport, path: string, op: string): void {
  if (!support[path]?.includes(op)) throw new UnsupportedFilterError(path);
}

/** Rejects a filter that uses a property or operator the resource does not document. */
export function checkFilterSupport(node: FilterNode, support: FilterSupport, scope: Scope = new Map()): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      checkFilterSupport(node.left, support, scope);
      checkFilterSupport(node.right, support, scope);
      return;
    case 'not':
      demand(support, '$not', 'not');
      checkFilterSupport(node.operand, support, scope);
      return;
    case 'compare':
      demand(support, normalize(node.path, scope), node.op);
      return;
    case 'in':
      demand(support, normalize(node.path, scope), 'in');
      return;
    case 'function':
      demand(support, normalize(node.path, scope), node.name);
      return;
    case 'lambda': {
      const collection = normalize(node.path, scope);
      demand(support, collection, node.quantifier);
      checkFilterSupport(node.body, support, new Map([...scope, [node.variable, collection]]));
      return;
    }
  }
}

function property(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

type Bindings = ReadonlyMap<string, unknown>;

function resolve(item: unknown, path: string[], bindings: Bindings): unknown {
  const head = path[0] ?? '';
  let current: unknown = bindings.has(head) ? bindings.get(head) : property(item, head);
  for (const segment of path.slice(1)) current = property(current, segment);
  return current;
}

function compareValues(actual: unknown, literal: FilterLiteral): number | null {
  switch (literal.kind) {
    case 'null':
      return actual === null || actual === undefined ? 0 : null;
    case 'boolean':
      return typeof actual === 'boolean' ? Number(actual) - Number(literal.value) : null;
    case 'number':
      return typeof actual === 'number' ? actual - literal.value : null;
    case 'datetime': {
      if (typeof actual !== 'string') return null;
      const time = Date.parse(actual);
      return Number.isNaN(time) ? null : time - literal.value;
    }
    case 'guid':
    case 'string': {
      if (typeof actual !== 'string') return null;
      // Directory and audit string comparisons are case-insensitive in Graph.
      const a = actual.toLowerCase();
      const b = literal.value.toLowerCase();
      return a === b ? 0 : a < b ? -1 : 1;
    }
  }
}

function literalText(literal: FilterLiteral): string | null {
  return literal.kind === 'string' || literal.kind === 'guid' ? literal.value.toLowerCase() : null;
}

/** Evaluates a parsed filter against one resource object. */
export function matchesFilter(node: FilterNode, item: unknown, bindings: Bindings = new Map()): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, item, bindings) && matchesFilter(node.right, item, bindings);
    case 'or':
      return matchesFilter(node.left, item, bindings) || matchesFilter(node.right, item, bindings);
    case 'not':
      return !matchesFilter(node.operand, item, bindings);
    case 'in': {
      const actual = resolve(item, node.path, bindings);
      return node.values.some((v) => compareValues(actual, v) === 0);
    }
    case 'function': {
      const actual = resolve(item, node.path, bindings);
      const needle = literalText(node.value);
      if (typeof actual !== 'string' || needle === null) return false;
      const hay = actual.toLowerCase();
      if (node.name === 'startswith') return hay.startsWith(needle);
      if (node.name === 'endswith') return hay.endsWith(needle);
      return hay.includes(needle);
    }
    case 'compare': {
      const actual = resolve(item, node.path, bindings);
      const diff = compareValues(actual, node.value);
      if (node.op === 'ne') return diff !== 0;
      if (diff === null) return false;
      switch (node.op) {
        case 'eq':
          return diff === 0;
        case 'gt':
          return diff > 0;
        case 'ge':
          return diff >= 0;
        case 'lt':
          return diff < 0;
        case 'le':
          return diff <= 0;
      }
      return false;
    }
    case 'lambda': {
      const collection = resolve(item, node.path, bindings);
      if (!Array.isArray(collection)) return false;
      const test = (element: unknown): boolean =>
        matchesFilter(node.body, item, new Map([...bindings, [node.variable, element]]));
      return node.quantifier === 'any' ? collection.some(test) : collection.every(test);
    }
  }
}

/** Finds a top-level `path eq 'value'` clause (ANDed), so a handler can narrow the scan to one user. */
export function findEquality(node: FilterNode, path: string): string | null {
  if (node.kind === 'and') return findEquality(node.left, path) ?? findEquality(node.right, path);
  if (node.kind === 'compare' && node.op === 'eq' && node.path.join('/').toLowerCase() === path.toLowerCase()) {
    return literalText(node.value);
  }
  return null;
}
