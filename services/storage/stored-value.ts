import { CodedError } from '../errors';
import type { ListOptions } from './port';

/** Serialises a value for storage; a value JSON cannot represent is a caller bug, reported without the value. */
export function encodeValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new CodedError('internal', 'storage value is not JSON-serialisable', { key }, { cause });
  }
  // JSON.stringify returns undefined for undefined, functions and symbols; storing them would read back as nothing.
  if (json === undefined) throw new CodedError('internal', 'storage value is not JSON-serialisable', { key });
  return json;
}

/** Parses a stored value; unreadable data means the store is damaged, which callers cannot fix by retrying. */
export function decodeValue<T>(key: string, json: string): T {
  try {
    return JSON.parse(json) as T;
  } catch (cause) {
    throw new CodedError('storage_unavailable', 'stored value is not valid JSON', { key }, { cause });
  }
}

/** Rejects keys every adapter must refuse, so all adapters agree on what a valid key is. */
export function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new CodedError('internal', 'storage key must be a non-empty string');
  }
}

/** Checks list options once so adapters can trust them. */
export function assertListOptions(options: ListOptions | undefined): void {
  const limit = options?.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new CodedError('internal', 'list limit must be a positive integer', { limit });
  }
}
