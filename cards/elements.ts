/**
 * The card building blocks. Text follows cards/text.ts: a `string` is untrusted and only ever becomes a sanitised,
 * capped TextRun (which Teams never parses as markdown); only `Own` wording reaches a TextBlock.
 */
import type { CommandName, VerbData, VerbName } from '../bot/commands/table';
import { isOwn, plainText, type Own } from './text';

/** An Adaptive Card element or action, as plain JSON. */
export type CardElement = Record<string, unknown>;

/** A complete Adaptive Card payload. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: Record<string, unknown>;
  refresh?: Record<string, unknown>;
  fallbackText?: string;
}

// 1.5 is the Teams schema level that carries Action.Execute (Universal Actions).
export const CARD_VERSION = '1.5';

/** The card; a `string` fallback text (notifications, old clients) is sanitised like any untrusted string. */
export function adaptiveCard(
  body: CardElement[],
  actions: CardElement[] = [],
  fallbackText?: Own | string,
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
    ...(fallbackText ? { fallbackText: plainText(fallbackText, 200) } : {}),
  };
}

/**
 * A TextBlock of our own wording (markdown allowed). It takes `Own` only, so Graph or user data cannot get here; a
 * string forced past the type (a cast) still becomes a sanitised TextRun, never markdown.
 */
export function text(value: Own, options: Record<string, unknown> = {}): CardElement {
  if (!isOwn(value)) return untrusted(String(value));
  return { type: 'TextBlock', text: value.text, wrap: true, ...options };
}

export function heading(value: Own): CardElement {
  return text(value, { size: 'Medium', weight: 'Bolder' });
}

/** How a run looks; on a line's options it applies to every part. */
export interface RunStyle {
  subtle?: boolean;
  bold?: boolean;
  color?: string;
  mono?: boolean;
  small?: boolean;
}

/** One styled piece of a line; `text` follows the same rule as a bare part (Own as written, string sanitised). */
export interface Run extends RunStyle {
  text: Own | string;
  /** The cap of this part when untrusted, instead of the line's. */
  max?: number;
}

/** A part of a line: own wording, an untrusted string, or either with a style. */
export type Part = Own | string | Run;

/** A line's options: `max` caps each untrusted part (default 200); a style for every part; block spacing. */
export interface LineOptions extends RunStyle {
  max?: number;
  spacing?: string;
  separator?: boolean;
}

function textRun(part: Part, max: number, style: RunStyle): CardElement {
  const run: Run = typeof part === 'string' || isOwn(part) ? { ...style, text: part } : { ...style, ...part };
  return {
    type: 'TextRun',
    text: plainText(run.text, run.max ?? max),
    ...(run.subtle ? { isSubtle: true } : {}),
    ...(run.bold ? { weight: 'Bolder' } : {}),
    ...(run.color ? { color: run.color } : {}),
    ...(run.mono ? { fontType: 'Monospace' } : {}),
    ...(run.small ? { size: 'Small' } : {}),
  };
}

/**
 * A line of TextRuns (a RichTextBlock never renders markdown): own wording as written, every string sanitised and
 * capped. Empty parts are left out.
 */
export function runs(parts: readonly Part[], options: LineOptions = {}): CardElement {
  const { max = 200, spacing, separator, ...style } = options;
  const inlines = parts.map((p) => textRun(p, max, style)).filter((r) => r.text !== '');
  return {
    type: 'RichTextBlock',
    ...(spacing ? { spacing } : {}),
    ...(separator ? { separator } : {}),
    inlines,
  };
}

/** A line holding one untrusted string (display names, UPNs, rule names, IPs, email content). */
export function untrusted(value: string, options: LineOptions = {}): CardElement {
  return runs([value], { max: 256, ...options });
}

/**
 * A row: our label on the left; on the right own wording (a TextBlock), an untrusted string (a TextRun) or any
 * element. Used instead of FactSet, which renders markdown.
 */
export function row(label: Own, value: Own | string | CardElement): CardElement {
  const right = typeof value === 'string' ? untrusted(value) : isOwn(value) ? text(value) : value;
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: '140px', items: [text(label, { weight: 'Bolder', isSubtle: true })] },
      { type: 'Column', width: 'stretch', items: [right] },
    ],
  };
}

export function container(items: CardElement[], options: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...options };
}

/**
 * A button posting `data` with `verb` through Action.Execute, with an Action.Submit fallback for older clients. The
 * verb and its data are typed by bot/commands/table.ts: a button for a verb that does not exist does not compile.
 */
export function verbButton<V extends VerbName>(
  title: string,
  verb: V,
  data: VerbData<V>,
  options: Record<string, unknown> = {},
): CardElement {
  const payload = { verb, ...data };
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: payload,
    ...options,
    fallback: { type: 'Action.Submit', title, data: payload },
  };
}

/** A button that runs a bot command (one of bot/commands/table.ts, checked by the compiler) with its arguments. */
export function commandButton(title: string, command: CommandName, args: string): CardElement {
  return verbButton(title, 'command.run', { command, args });
}
