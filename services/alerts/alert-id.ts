import { createHash } from 'node:crypto';

/** A short stable id for storage keys and card data (source ids hold characters keys should not). */
export function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}
