import pino from 'pino';
import type { Logger } from '../services/log';

const CENSOR = '[redacted]';

// A key holds a secret wherever it appears when its name, lower-cased without `_`/`-`, ends with one of these:
// password, newPassword, clientSecret, client_secret, AZURE_CLIENT_SECRET, token, accessToken, refresh_token,
// authorization (any header casing), cookie, privateKey, temporaryAccessPass.
const SECRET_KEY = /(password|secret|token|authorization|cookie|privatekey|temporaryaccesspass)$/;
// Values that are credentials whatever key they sit under: a JWT, or a bearer/basic credential inside a string.
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[_-]/g, ''));
}

function redactString(value: string): string {
  return value.replace(JWT, CENSOR).replace(SCHEME_CREDENTIAL, `$1 ${CENSOR}`);
}

/** A copy of a parsed log line with secret keys censored at any depth and credential-looking strings masked. */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        isSecretKey(key) && inner !== null && inner !== undefined ? CENSOR : redactDeep(inner),
      ]),
    );
  }
  return value;
}

/**
 * Runs on the finished JSON line, after serializers and child bindings, so no nesting depth, error shape or binding
 * can carry a secret past it (pino's own redact paths match fixed depths only).
 */
function redactLine(line: string): string {
  try {
    return `${JSON.stringify(redactDeep(JSON.parse(line)))}\n`;
  } catch {
    // Not JSON (pino always writes JSON, so this is defensive): still mask credential-looking strings.
    return redactString(line);
  }
}

/** The process logger: structured JSON on stdout (or the given stream), with secrets redacted at any depth. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger & pino.Logger {
  return pino(
    { level, base: { app: 'secbot' }, hooks: { streamWrite: redactLine } },
    destination ?? pino.destination(1),
  );
}
