import { userRefSchema, type UserRef } from '../../services/ids';
import { sanitizeUntrusted } from '../../cards/text';
import type { ParseResult } from './command';

/** Quotes user input back to them safely: stripped, capped, and never markdown (replies are plain text). */
export function quoteInput(value: string): string {
  return `"${sanitizeUntrusted(value, 64)}"`;
}

/** Parses a single `<upn>` (or object id) argument. */
export function parseSingleUser(args: string, usage: string): ParseResult<UserRef> {
  const parts = args.split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: `Which user? Usage: ${usage}` };
  if (parts.length > 1) return { ok: false, message: `Expected one user, got ${parts.length} words. Usage: ${usage}` };
  const parsed = userRefSchema.safeParse(parts[0]);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid user';
    return { ok: false, message: `${quoteInput(parts[0] ?? '')} is not a user: ${reason}. Usage: ${usage}` };
  }
  return { ok: true, value: parsed.data };
}

export function describeUserRef(ref: UserRef): string {
  return ref.kind === 'upn' ? ref.upn : ref.id;
}
