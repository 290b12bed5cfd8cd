/**
 * Plain-language questions: a small deterministic phrase grammar (no model, no network). Each command of the table
 * lists the questions it answers (`asked`) as patterns; a question is read as the command whose pattern matches it
 * with the most words of its own. Pure: the user a name stands for is looked up afterwards (bot/phrases/ask.ts).
 *
 * Pattern syntax, one question a pattern:
 * - `word`: that word (case-insensitive; hyphens are ignored, so `signins` matches "sign-ins" and "signins");
 * - `(a|b c)`: one of the alternatives; `[a|b c]`: one of them or nothing (groups do not nest);
 * - `{user}`: a UPN, an object id, or a name of one to three words (not a word of the grammar's own, such as
 *   "the", "policy" or "mfa"); a possessive "'s" after it is taken with it;
 * - `{reason}` (last): the rest, after "because", "reason", "since", "as", "due to", ":" or "-" (needed unless the
 *   user was given as a UPN or id); may be empty;
 * - `{paste}` (last): the rest of the message as written, newlines included;
 * - ` => args` at the end: fixed arguments for the command (`are alerts on => status`).
 * Courtesy words ("please", "can you", "hey") around a question are ignored.
 */
import { isGuid, upnSchema } from '../../services/ids';

/** A user as the question named them. */
export type Subject = { kind: 'address'; text: string } | { kind: 'name'; text: string };

/** A question read as a command: what remains is to resolve `user` (when a name) and build the arguments. */
export interface PhraseMatch {
  command: string;
  pattern: string;
  user?: Subject;
  /** `{reason}`: the justification, as written (may be empty). */
  reason?: string;
  /** `{paste}`: the rest of the message, as written. */
  paste?: string;
  /** The pattern's fixed arguments (` => args`). */
  fixedArgs?: string;
}

/** What the grammar needs of a command row. */
export interface Asked {
  name: string;
  asked?: readonly string[];
}

type Element =
  { kind: 'words'; options: string[][]; optional: boolean } | { kind: 'user' } | { kind: 'reason' } | { kind: 'paste' };

interface Pattern {
  command: string;
  source: string;
  elements: Element[];
  fixedArgs?: string;
}

interface Token {
  /** Lower case, hyphens and surrounding punctuation removed: what pattern words are compared with. */
  word: string;
  /** As written, without surrounding punctuation (for names and addresses). */
  raw: string;
  /** Offset of the token in the text (for `{reason}` and `{paste}`, taken as written from here). */
  start: number;
}

// Words that are never (part of) a name: function words, and the grammar's own vocabulary, so that "is the mfa
// policy working" or "block all external forwarding" do not read a user out of them.
const NOT_A_NAME = new Set(
  (
    'a an the this that these those my our your his her their its it he she they him them me i we you us ' +
    'someone somebody anyone anybody everyone everybody all any every each some no none nobody noone ' +
    'who whom whose what which when where why how is are was were be been being do does did done have has had ' +
    'can could should would will shall may might must to for of on in at by with from about into over and or not ' +
    'if then than so just also again now today yesterday still ever here there up out down off ' +
    'mfa 2fa policy policies rule rules mail email emails mailbox mailboxes forwarding forward forwarded inbox ' +
    'account accounts password passwords session sessions signin signins login logins sign log tenant user users ' +
    'admin admins guest guests group groups external internal alert alerts approval approvals request requests ' +
    'method methods phone app authenticator reset sspr msa working broken ok okay fine real legit fake ' +
    'compromised hacked phished bot help command commands please thanks conditional access ca audit logs ' +
    'everything something anything nothing domain domains security team channel chat link links message messages ' +
    'phish phishing spam microsoft personal status settings setting rules config configuration registered ' +
    'blocked disabled enabled locked new old other same last recent latest first sweep everywhere'
  ).split(' '),
);

// Words that say nothing about which command is meant (for the closest commands of an unread question).
const FUNCTION_WORDS = new Set(
  (
    "a an the this that these those my our your his her their its it he she they him them me i we you us 's " +
    'is are was were be been being do does did have has had can could should would will to for of on in at by ' +
    'with from about and or not what which who when where why how please any all some'
  ).split(' '),
);

const COURTESY_START: readonly (readonly string[])[] = [
  ['please'],
  ['pls'],
  ['hey'],
  ['hi'],
  ['hello'],
  ['ok'],
  ['okay'],
  ['so'],
  ['bot'],
  ['can', 'you'],
  ['could', 'you'],
  ['would', 'you'],
  ['can', 'u'],
  ['i', 'want', 'to'],
  ['i', 'need', 'to'],
  ['i', 'would', 'like', 'to'],
  ['id', 'like', 'to'],
];
const COURTESY_END = new Set(['please', 'pls', 'thanks', 'thx', 'now']);
const REASON_INTRO: readonly (readonly string[])[] = [
  ['because', 'of'],
  ['because'],
  ['reason'],
  ['since'],
  ['as'],
  ['due', 'to'],
  ['for', 'reason'],
  ['justification'],
  [':'],
  ['-'],
  ['—'],
];
const MAX_NAME_WORDS = 3;
const POSSESSIVE = "'s";

// Punctuation around a word: quotes, brackets, and sentence marks (an address keeps its inner dots and hyphens).
const EDGE = /^[\s"'“”‘’«»([{<]+|[\s"'“”‘’«»)\]}>?!.,;:]+$/g;

/** Splits a message into tokens; "alice's" gives "alice" and a possessive token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const start = match.index;
    const original = match[0];
    if (original === ':' || original === '-' || original === '—') {
      tokens.push({ word: original, raw: original, start });
      continue;
    }
    const lead = /^[\s"'“”‘’«»([{<]+/.exec(original)?.[0].length ?? 0;
    let raw = original.replace(EDGE, '');
    const trailingColon = /:$/.test(original) && raw.length > 0;
    let possessive = false;
    const owner = /^(.+?)['’]s$/i.exec(raw) ?? /^(.+s)['’]$/i.exec(original.replace(/[?!.,;:]+$/, ''));
    if (owner?.[1]) {
      raw = owner[1].replace(EDGE, '');
      possessive = true;
    }
    if (raw.length === 0) continue;
    tokens.push({ word: normalWord(raw), raw, start: start + lead });
    if (possessive) tokens.push({ word: POSSESSIVE, raw: POSSESSIVE, start: start + lead + raw.length });
    if (trailingColon) tokens.push({ word: ':', raw: ':', start: start + original.length - 1 });
  }
  return tokens;
}

/** How words are compared: lower case, one apostrophe, no hyphens ("Sign-ins" and "signins" are one word). */
function normalWord(word: string): string {
  return word.toLowerCase().replace(/’/g, "'").replace(/[-‐‑]/g, '');
}

/** The words of a message that may name a command's subject matter (function words and addresses left out). */
export function contentWords(text: string): string[] {
  return [...new Set(tokenize(text).map((t) => t.word))].filter(
    (w) => !FUNCTION_WORDS.has(w) && w !== ':' && w !== '-' && !w.includes('@'),
  );
}

/** The first UPN or object id written in a message, if any. */
export function firstAddress(text: string): string | null {
  return tokenize(text).find((t) => isAddress(t.raw))?.raw ?? null;
}

function words(source: string): string[] {
  return source.trim().split(/\s+/).filter(Boolean).map(normalWord);
}

/** Compiles one pattern (throws on a malformed one: patterns are code, checked by the phrase table test). */
export function compile(command: string, source: string): Pattern {
  const [body = '', fixed] = source.split('=>').map((s) => s.trim());
  const elements: Element[] = [];
  const re = /\[([^\]]*)\]|\(([^)]*)\)|\{(\w+)\}|([^\s[\](){}]+)/g;
  for (const m of body.matchAll(re)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      if (/[[\](){}]/.test(m[1] ?? m[2] ?? '')) throw new Error(`${command}: groups do not nest in "${source}"`);
      const options = (m[1] ?? m[2] ?? '').split('|').map(words);
      elements.push({ kind: 'words', options, optional: m[1] !== undefined });
    } else if (m[3] !== undefined) {
      if (m[3] !== 'user' && m[3] !== 'reason' && m[3] !== 'paste')
        throw new Error(`${command}: unknown slot {${m[3]}}`);
      elements.push({ kind: m[3] });
    } else if (m[4] !== undefined) {
      elements.push({ kind: 'words', options: [words(m[4])], optional: false });
    }
  }
  const last = elements.length - 1;
  elements.forEach((e, i) => {
    if ((e.kind === 'reason' || e.kind === 'paste') && i !== last)
      throw new Error(`${command}: {${e.kind}} must come last in "${source}"`);
  });
  return { command, source, elements, ...(fixed ? { fixedArgs: fixed } : {}) };
}

interface State {
  at: number;
  literals: number;
  user?: Subject;
  reason?: string;
  paste?: string;
}

function isAddress(raw: string): boolean {
  return isGuid(raw) || (raw.includes('@') && upnSchema.safeParse(raw).success);
}

function isNameWord(token: Token): boolean {
  return /^\p{L}[\p{L}\p{M}'’.-]{0,63}$/u.test(token.raw) && !NOT_A_NAME.has(token.word) && token.word !== POSSESSIVE;
}

function startsWith(tokens: readonly Token[], at: number, seq: readonly string[]): boolean {
  return seq.every((w, i) => tokens[at + i]?.word === w);
}

/** Every way the elements from `index` on can match the tokens from `state.at` (backtracking; patterns are short). */
function* matchFrom(
  elements: readonly Element[],
  index: number,
  tokens: readonly Token[],
  text: string,
  state: State,
): Generator<State> {
  const element = elements[index];
  if (element === undefined) {
    yield state;
    return;
  }
  const next = (s: State): Generator<State> => matchFrom(elements, index + 1, tokens, text, s);
  switch (element.kind) {
    case 'words': {
      for (const option of element.options) {
        if (option.length > 0 && startsWith(tokens, state.at, option))
          yield* next({ ...state, at: state.at + option.length, literals: state.literals + option.length });
      }
      if (element.optional) yield* next(state);
      return;
    }
    case 'user': {
      const first = tokens[state.at];
      if (!first) return;
      const withPossessive = (end: number, user: Subject): State => {
        const at = tokens[end]?.word === POSSESSIVE ? end + 1 : end;
        return { ...state, at, user };
      };
      if (isAddress(first.raw)) {
        yield* next(withPossessive(state.at + 1, { kind: 'address', text: first.raw }));
        return;
      }
      for (let n = 1; n <= MAX_NAME_WORDS; n++) {
        const part = tokens.slice(state.at, state.at + n);
        if (part.length < n || !part.every(isNameWord)) return;
        const name = part.map((t) => t.raw).join(' ');
        yield* next(withPossessive(state.at + n, { kind: 'name', text: name }));
      }
      return;
    }
    case 'reason': {
      if (state.at >= tokens.length) {
        yield* next({ ...state, reason: '' });
        return;
      }
      for (const intro of REASON_INTRO) {
        if (!startsWith(tokens, state.at, intro)) continue;
        let from = state.at + intro.length;
        while (tokens[from]?.word === ':' || tokens[from]?.word === '-') from++;
        const after = tokens[from];
        const reason = after ? text.slice(after.start).trim() : '';
        yield* next({ ...state, at: tokens.length, reason });
        return;
      }
      // Without an introducing word the reason is unambiguous only after an address (a name may be longer).
      const first = tokens[state.at];
      if (state.user?.kind === 'address' && first)
        yield* next({ ...state, at: tokens.length, reason: text.slice(first.start).trim() });
      return;
    }
    case 'paste': {
      let from = state.at;
      while (tokens[from]?.word === ':' || tokens[from]?.word === '-') from++;
      const first = tokens[from];
      yield* next({ ...state, at: tokens.length, paste: first ? text.slice(first.start) : '' });
      return;
    }
  }
}

function skipCourtesy(tokens: readonly Token[]): number {
  let at = 0;
  for (let moved = true; moved;) {
    moved = false;
    for (const seq of COURTESY_START) {
      if (startsWith(tokens, at, seq)) {
        at += seq.length;
        moved = true;
        break;
      }
    }
  }
  return at;
}

/** The compiled grammar of a command table. */
export interface Grammar {
  /** The command a question asks for, or null when no pattern reads it. */
  read(text: string): PhraseMatch | null;
  /** The words of each command's patterns (for "closest commands" when nothing matches). */
  vocabulary: ReadonlyMap<string, ReadonlySet<string>>;
}

export function compileGrammar(commands: readonly Asked[]): Grammar {
  const patterns = commands.flatMap((c) => (c.asked ?? []).map((source) => compile(c.name, source)));
  const vocabulary = new Map<string, Set<string>>();
  for (const p of patterns) {
    const set = vocabulary.get(p.command) ?? new Set<string>([p.command]);
    for (const e of p.elements) if (e.kind === 'words') for (const o of e.options) for (const w of o) set.add(w);
    vocabulary.set(p.command, set);
  }
  return {
    vocabulary,
    read(text) {
      const tokens = tokenize(text);
      const from = skipCourtesy(tokens);
      let best: { pattern: Pattern; state: State } | null = null;
      for (const pattern of patterns) {
        const rest = pattern.elements.at(-1)?.kind;
        // Courtesy words at the end are dropped, except where the rest of the message is the pattern's own.
        let end = tokens.length;
        if (rest !== 'reason' && rest !== 'paste')
          while (end > from && COURTESY_END.has(tokens[end - 1]?.word ?? '')) end--;
        const scope = tokens.slice(0, end);
        for (const state of matchFrom(pattern.elements, 0, scope, text, { at: from, literals: 0 })) {
          if (state.at !== scope.length) continue;
          if (!best || state.literals > best.state.literals) best = { pattern, state };
          break;
        }
      }
      if (!best) return null;
      const { pattern, state } = best;
      return {
        command: pattern.command,
        pattern: pattern.source,
        ...(state.user ? { user: state.user } : {}),
        ...(state.reason !== undefined ? { reason: state.reason } : {}),
        ...(state.paste !== undefined ? { paste: state.paste } : {}),
        ...(pattern.fixedArgs ? { fixedArgs: pattern.fixedArgs } : {}),
      };
    },
  };
}
