import type { CommandName, VerbData, VerbName } from '../bot/commands/table';
import { sanitizeUntrusted } from '../services/text';

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

export function adaptiveCard(body: CardElement[], actions: CardElement[] = [], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
    ...(fallbackText ? { fallbackText } : {}),
  };
}

/** Trusted text we wrote ourselves (markdown allowed). Never pass Graph or user data here. */
export function text(value: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

export function heading(value: string): CardElement {
  return text(value, { size: 'Medium', weight: 'Bolder' });
}

/**
 * Untrusted text (display names, rule names, UPNs, IPs, email content). TextRun does not parse markdown,
 * and control/bidi characters and newlines are stripped, so `[x](https://evil)` shows literally.
 */
export function untrusted(
  value: string,
  options: { maxLength?: number; weight?: string; monospace?: boolean } = {},
): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: [
      {
        type: 'TextRun',
        text: sanitizeUntrusted(value, options.maxLength ?? 256),
        ...(options.weight ? { weight: options.weight } : {}),
        ...(options.monospace ? { fontType: 'Monospace' } : {}),
      },
    ],
  };
}

/** One part of a mixed line: our own wording as written, or (untrusted: true) a Graph/user string. */
export interface Run {
  text: string;
  untrusted?: boolean;
  subtle?: boolean;
  weight?: string;
  color?: string;
  mono?: boolean;
}

/**
 * A line of TextRuns mixing our wording with untrusted strings, which are sanitised to `untrustedMax`; TextRun never
 * renders markdown either way. With `dropEmpty`, parts without text are left out.
 */
export function runLine(
  parts: Run[],
  style: { untrustedMax: number; dropEmpty: boolean },
  options: Record<string, unknown> = {},
): CardElement {
  return {
    type: 'RichTextBlock',
    ...options,
    inlines: parts
      .filter((p) => !style.dropEmpty || p.text.length > 0)
      .map((p) => ({
        type: 'TextRun',
        text: p.untrusted ? sanitizeUntrusted(p.text, style.untrustedMax) : p.text,
        ...(p.subtle ? { isSubtle: true } : {}),
        ...(p.weight ? { weight: p.weight } : {}),
        ...(p.color ? { color: p.color } : {}),
        ...(p.mono ? { fontType: 'Monospace' } : {}),
      })),
  };
}

/** A row: a trusted label on the left, any element on the right. Used instead of FactSet, which renders markdown. */
export function row(label: string, value: CardElement): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: '140px', items: [text(label, { weight: 'Bolder', isSubtle: true })] },
      { type: 'Column', width: 'stretch', items: [value] },
    ],
  };
}

/** A row whose value is our own wording (no untrusted parts). */
export function trustedRow(label: string, value: string): CardElement {
  return row(label, text(value));
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
