/** The permission a Graph call needs, looked up from the declarations (endpoints.ts, writes.ts) for the 403 error. */
import { matchesTemplate, permissionText, type Declaration } from './endpoint';
import { readDeclarations } from './endpoints';
import { writeDeclarations } from './writes';

const declarations: readonly Declaration[] = [...readDeclarations, ...writeDeclarations];

/**
 * The application permission a request needs, or undefined when nothing is declared for it. Requests that share a
 * path (PATCH /users/{id} to block sign-in or to reset a password) name each alternative.
 */
export function requiredPermission(method: string, path: string): string | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const found = declarations.filter((d) => d.method === m && matchesTemplate(d.template, path)).map(permissionText);
  return found.length === 0 ? undefined : [...new Set(found)].join(' or ');
}
