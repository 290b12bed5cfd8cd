/** Stable error codes shared by every adapter; bot/errors.ts maps them to replies. */
export type ErrorCode =
  | 'invalid_input'
  | 'user_not_found'
  | 'user_ambiguous'
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
