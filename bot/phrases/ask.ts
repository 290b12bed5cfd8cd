/**
 * Answers a plain-language question: the grammar reads it as a command of the table, a name is resolved among the
 * tenant's users, then a read-only command runs (its answer starts "Reading this as `mfa alice@contoso.com`") and a
 * write is only proposed: a card with the exact command and a button that starts the normal approval request.
 */
import {
  chooseUserCard,
  closestCommandsCard,
  proposalCard,
  readingAsLine,
  readingAsText,
  type CommandLine,
  type Suggestion,
} from '../../cards/phrase.card';
import type { ReadOptions } from '../../services/graph/read';
import type { PeopleFinder } from '../../services/identity/people';
import { quoteInput } from '../commands/args';
import { cardReply, textReply, type Reply } from '../commands/command';
import type { AnyCommand } from '../commands/define';
import type { CommandName } from '../commands/table';
import { contentWords, firstAddress, type Grammar, type PhraseMatch } from './grammar';

export interface AskDeps {
  grammar: Grammar;
  commands: readonly AnyCommand[];
  /** Resolves names; without it a question must name the user by UPN. */
  people?: PeopleFinder;
}

/** A question read as a read-only command to run now, or an answer to post as it is (proposal, choice, refusal). */
export type Answer = { kind: 'run'; command: AnyCommand; line: CommandLine } | { kind: 'reply'; reply: Reply };

function lineOf(command: AnyCommand, args: string, pasted = false): CommandLine {
  // Every row's name is a CommandName: the grammar only reads commands of the table it was compiled from.
  const shown = pasted ? { shownArgs: `<pasted email, ${Buffer.byteLength(args, 'utf8')} bytes>` } : {};
  return { command: command.name as CommandName, args, ...shown };
}

function argsOf(match: PhraseMatch, user: string | null): string {
  if (match.fixedArgs !== undefined) return match.fixedArgs;
  if (match.paste !== undefined) return match.paste;
  return [user ?? '', match.reason ?? ''].filter((part) => part !== '').join(' ');
}

function answerFor(command: AnyCommand, match: PhraseMatch, user: string | null): Answer {
  const line = lineOf(command, argsOf(match, user), match.paste !== undefined && match.paste !== '');
  if (command.writes) return { kind: 'reply', reply: cardReply(proposalCard(line, command.summary, !!match.reason)) };
  return { kind: 'run', command, line };
}

/** The command a question asks for, with its user resolved; null when the text reads as no question. */
export async function askQuestion(text: string, deps: AskDeps, opts: ReadOptions = {}): Promise<Answer | null> {
  const match = deps.grammar.read(text);
  if (!match) return null;
  const command = deps.commands.find((c) => c.name === match.command);
  if (!command) return null;
  const subject = match.user;
  if (!subject || subject.kind === 'address') return answerFor(command, match, subject?.text ?? null);
  if (!deps.people)
    return {
      kind: 'reply',
      reply: textReply(
        `This reads as "${command.name}" for ${quoteInput(subject.text)}, but this bot cannot look names up: give the UPN. Usage: ${command.usage}`,
      ),
    };
  const found = await deps.people.find(subject.text, opts);
  const [only] = found.people;
  if (only === undefined)
    return {
      kind: 'reply',
      reply: textReply(
        `No user's name or UPN starts with ${quoteInput(subject.text)}. Give the UPN. Usage: ${command.usage}`,
      ),
    };
  if (found.people.length === 1 && !found.more) return answerFor(command, match, only.userPrincipalName);
  const candidates = found.people.map((p) => ({
    displayName: p.displayName,
    userPrincipalName: p.userPrincipalName,
    line: lineOf(command, argsOf(match, p.userPrincipalName)),
  }));
  return {
    kind: 'reply',
    reply: cardReply(chooseUserCard(subject.text, candidates, found.more, command.writes === true)),
  };
}

/**
 * Text that reads as no question: the commands whose questions share the most words with it (a UPN or id in the text
 * goes on their buttons), and help.
 */
export function closestCommands(text: string, deps: Pick<AskDeps, 'grammar' | 'commands'>, most = 3): Suggestion[] {
  const said = contentWords(text);
  const address = firstAddress(text);
  const scored = deps.commands
    .map((command, index) => {
      const vocabulary = deps.grammar.vocabulary.get(command.name);
      const shared = vocabulary ? said.filter((w) => vocabulary.has(w)).length : 0;
      return { command, index, score: shared + (said.includes(command.name) ? 2 : 0) };
    })
    .filter((s) => s.score > 0 && s.command.name !== 'help')
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, most)
    .map((s) => s.command);
  const help = deps.commands.find((c) => c.name === 'help');
  return [...scored, ...(help ? [help] : [])].map((command) => ({
    line: lineOf(command, address && /<(upn|email)>/.test(command.usage) ? address : ''),
    usage: command.usage,
    summary: command.summary,
  }));
}

/** The card for text that reads as no command or question. */
export function notUnderstood(text: string, deps: Pick<AskDeps, 'grammar' | 'commands'>): Reply {
  return cardReply(closestCommandsCard(text, closestCommands(text, deps)));
}

/** A read-only command's answer to a question, with its first line: "Reading this as `mfa alice@contoso.com`". */
export function readingAs(line: CommandLine, reply: Reply): Reply {
  if (reply.kind === 'text') return textReply(`${readingAsText(line)}\n\n${reply.text}`);
  return cardReply({ ...reply.card, body: [readingAsLine(line), ...reply.card.body] });
}
