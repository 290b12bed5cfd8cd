/** Stable codes for failures of the Agents Playground harness (demo and tests only, never the bot). */
export type PlaygroundErrorCode =
  | 'playground_exited'
  | 'playground_timeout'
  | 'playground_port_in_use'
  | 'playground_bad_response'
  | 'playground_request_failed'
  | 'playground_unknown_user'
  | 'playground_closed';

/** An error raised while starting or driving the Playground; the message says what to do. */
export class PlaygroundError extends Error {
  readonly code: PlaygroundErrorCode;

  constructor(code: PlaygroundErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlaygroundError';
    this.code = code;
  }
}
