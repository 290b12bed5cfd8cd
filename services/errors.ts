/**
 * What the person who asked can fix: bad input (`invalid_input`, raised only by bot/ with a message written for the
 * user — services/ never write user-facing text, lint refuses the code there), a user that does not exist or a name
 * that matches several.
 */
export type UserErrorCode = 'invalid_input' | 'user_not_found' | 'user_ambiguous';

/**
 * A fault of the bot itself: a bug or broken invariant (`internal`), or an answer from Graph or Exchange the bot
 * cannot read (`unexpected_response`). The user gets a generic reply with a reference; the message stays in the log.
 */
export type InternalErrorCode = 'internal' | 'unexpected_response';

/**
 * Stable error codes shared by every adapter; bot/errors.ts maps each to a reply. A CodedError's message is for the
 * log: only an `invalid_input` message is shown in chat.
 */
export type ErrorCode =
  | UserErrorCode
  | InternalErrorCode
  | 'graph_forbidden'
  | 'graph_throttled'
  | 'graph_busy'
  | 'graph_unavailable'
  | 'graph_bad_request'
  | 'graph_unauthorized'
  | 'graph_outcome_unknown'
  | 'graph_not_found'
  | 'storage_unavailable'
  | 'storage_version_conflict'
  | 'approval_claim_lost'
  | 'config_invalid'
  | 'teams_throttled'
  | 'teams_retryable'
  | 'teams_gone'
  | 'teams_failed'
  | 'teams_service_url_not_allowed';

/** An error whose code callers can switch on. `details` must never hold secrets. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
    this.details = details;
  }
}

export function isCodedError(err: unknown, code?: ErrorCode): err is CodedError {
  return err instanceof CodedError && (code === undefined || err.code === code);
}
