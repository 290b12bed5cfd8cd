import pino from 'pino';
import type { Logger } from '../services/log';

// Paths pino censors wherever they appear in a log object. Secrets must also never be put in messages.
const REDACT = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'clientSecret',
  '*.clientSecret',
  'appPassword',
  '*.appPassword',
  'MicrosoftAppPassword',
  'temporaryAccessPass',
  '*.temporaryAccessPass',
];

/** The process logger: structured JSON on stdout (or the given stream), with secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger & pino.Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'secbot' } },
    destination ?? pino.destination(1),
  );
}
