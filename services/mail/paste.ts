/** Turns a pasted email (raw source with headers, an Outlook-style copy, or body text only) into typed parts. */
import { parseAuthenticationResults, type AuthenticationResults } from './authentication-results';

/** Teams refuses messages above about 28 KB, so a longer paste did not come from Teams as-is. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;
/** The parser's own bound: anything longer is cut before parsing (a real notification is a few KB). */
export const PARSER_LIMIT_CHARS = 128 * 1024;

export interface PastedEmail {
  /** True when the paste starts with a header block (raw source or an Outlook-style copy). */
  hasHeaders: boolean;
  /** The paste looked like it had headers, but the mail parser refused them (oversized or malformed). */
  unparseableHeaders: boolean;
  from: { address: string; name: string | null } | null;
  subject: string | null;
  /** The Date header as epoch ms, when present and valid. */
  date: number | null;
  /**
   * The topmost Authentication-Results header: the one our own mail system prepended on receipt. Headers below it
   * were written before our tenant saw the message, so a sender can forge them; they are counted, never trusted.
   */
  authResults: AuthenticationResults | null;
  lowerAuthResults: number;
  text: string;
  html: string | null;
  truncated: boolean;
}

interface PostalHeader {
  key: string;
  value: string;
}
interface PostalEmail {
  headers: PostalHeader[];
  from?: { address?: string; name?: string };
  subject?: string;
  date?: string;
  text?: string;
  html?: string;
}
interface PostalMimeStatic {
  parse(input: string, options?: Record<string, unknown>): Promise<PostalEmail>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- postal-mime is ESM-only; Node 20.20 loads it through require(esm), and this CommonJS build cannot use import for it
const PostalMime = (require('postal-mime') as { default: PostalMimeStatic }).default;

// A header line: a name of header characters, a colon, then a value (RFC 5322 §2.2).
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]{0,76}:/;
const KNOWN_HEADERS = /^(from|to|subject|date|sent|received|authentication-results|return-path|message-id|cc):/i;

/** Teams sends rich pastes as HTML; keep line breaks, drop tags, decode the entities Teams uses. */
export function normalizePaste(input: string): string {
  if (!/^\s*<(p|div|span|br)\b/i.test(input)) return input.replace(/\r\n?/g, '\n');
  return input
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function looksLikeHeaders(text: string): boolean {
  const lines = text.split('\n', 40);
  return HEADER_LINE.test(lines[0] ?? '') && lines.some((l) => KNOWN_HEADERS.test(l));
}

// Headers whose values Microsoft folds over several lines; a line after one of them that is not a header continues it.
const FOLDED = /^(received|authentication-results|arc-[a-z-]+|dkim-signature|received-spf|x-[a-z0-9-]+|content-type)$/i;

/**
 * Chat clients drop the leading whitespace of folded header lines, and sometimes the blank line after the header
 * block. Restore both: a bare line after a folded header continues it; any other non-header line starts the body.
 */
export function refoldHeaders(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let current: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') return [...out, ...lines.slice(i)].join('\n');
    if (/^[ \t]/.test(line)) {
      out.push(line);
      continue;
    }
    const header = HEADER_LINE.exec(line);
    if (header) {
      current = header[0].slice(0, -1);
      out.push(line);
      continue;
    }
    if (current !== null && FOLDED.test(current)) {
      out.push(` ${line}`);
      continue;
    }
    return [...out, '', ...lines.slice(i)].join('\n');
  }
  return out.join('\n');
}

/** Outlook's copied header block says `Sent:` where raw mail says `Date:`. */
function outlookDate(headers: PostalHeader[]): string | undefined {
  return headers.find((h) => h.key === 'sent')?.value;
}

function bodyOnly(text: string, truncated: boolean): PastedEmail {
  return {
    hasHeaders: false,
    unparseableHeaders: false,
    from: null,
    subject: null,
    date: null,
    authResults: null,
    lowerAuthResults: 0,
    text,
    html: null,
    truncated,
  };
}

/** Parse a pasted email. Never throws on malformed input; the input is bounded first. */
export async function parsePastedEmail(input: string): Promise<PastedEmail> {
  const truncated = input.length > PARSER_LIMIT_CHARS;
  const text = normalizePaste(truncated ? input.slice(0, PARSER_LIMIT_CHARS) : input).trim();
  if (!looksLikeHeaders(text)) return bodyOnly(text, truncated);
  let parsed: PostalEmail;
  try {
    // A paste has bare \n line ends and may lack the blank line before the body; postal-mime copes with both.
    parsed = await PostalMime.parse(refoldHeaders(text).replace(/\n/g, '\r\n'), { maxHeadersSize: 64 * 1024 });
  } catch {
    // A header block postal-mime refuses (oversized, malformed) cannot be trusted either: judge the text alone.
    return { ...bodyOnly(text, truncated), unparseableHeaders: true };
  }
  const ar = parsed.headers.filter((h) => h.key === 'authentication-results');
  const dateText = parsed.date ?? outlookDate(parsed.headers);
  const date = dateText ? Date.parse(dateText) : Number.NaN;
  const top = ar[0];
  return {
    hasHeaders: true,
    unparseableHeaders: false,
    from: parsed.from?.address ? { address: parsed.from.address.toLowerCase(), name: parsed.from.name || null } : null,
    subject: parsed.subject ?? null,
    date: Number.isNaN(date) ? null : date,
    authResults: top ? parseAuthenticationResults(top.value) : null,
    lowerAuthResults: Math.max(0, ar.length - 1),
    text: parsed.text ?? '',
    html: parsed.html ?? null,
    truncated,
  };
}
