import { createHash } from 'node:crypto';

/** A short sha256 of a value kept out of the log, so repeated attempts with the same input can be tied together. */
export function hashForLog(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
