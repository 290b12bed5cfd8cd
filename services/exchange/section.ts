/**
 * How an Exchange section of `investigate` ended: read, or not checked with the reason named (the admin API is
 * off, a permission or Exchange role is missing, the proxy is refused, or another coded failure). Each section
 * degrades on its own; the rest of the investigation still shows.
 */
import { isCodedError, type ErrorCode } from '../errors';
import { EXCHANGE_PERMISSION } from './admin-api';

export type NotChecked =
  /** EXCHANGE_ADMIN_ENABLED is off: Graph does not expose this. */
  | { why: 'disabled' }
  /** Exchange refused: the named permission or Exchange role is missing. */
  | { why: 'permission'; permission: string }
  /** The user has no Exchange Online mailbox. */
  | { why: 'no-mailbox' }
  /** Another coded failure (Exchange unavailable, throttled, an unexpected answer). */
  | { why: 'failed'; code: ErrorCode };

export type ExchangeSection<T> = { kind: 'read'; value: T } | { kind: 'not-checked'; reason: NotChecked };

/** A timeline event in the shape of the investigation's timeline (services/identity/timeline.ts). */
export interface ExchangeTimelineEvent {
  at: string | null;
  section: 'delegates' | 'devices' | 'mail-sent';
  /** Our wording, plain text. */
  what: string;
  /** Tenant data (addresses, device models, domains): untrusted text. */
  detail: string | null;
  suspicious: boolean;
  /** The persistenceKey of a flagged item the event left behind. */
  key?: string;
}

/** A coded failure as the reason a section was not checked; bugs (non-coded errors) still throw. */
export function notCheckedBecause(error: unknown): NotChecked {
  if (isCodedError(error, 'graph_forbidden')) {
    const permission = typeof error.details.permission === 'string' ? error.details.permission : EXCHANGE_PERMISSION;
    return { why: 'permission', permission };
  }
  if (isCodedError(error)) return { why: 'failed', code: error.code };
  throw error;
}

/** Runs a section's read; a coded failure becomes "not checked" with its reason. */
export async function section<T>(read: () => Promise<T>): Promise<ExchangeSection<T>> {
  try {
    return { kind: 'read', value: await read() };
  } catch (error) {
    return { kind: 'not-checked', reason: notCheckedBecause(error) };
  }
}
