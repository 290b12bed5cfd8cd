/**
 * Cards of plain-language questions (bot/phrases/ask.ts): the command a question was read as, a proposal for a write
 * (never run from a phrase: its button starts the normal approval request), a choice among users a name matches,
 * and the closest commands for text that reads as none.
 */
import type { CommandName } from '../bot/commands/table';
import {
  adaptiveCard,
  commandButton,
  container,
  heading,
  runs,
  text,
  type AdaptiveCard,
  type CardElement,
} from './elements';
import { own, sanitizeUntrusted } from './text';

/** A command as a button would run it. */
export interface CommandLine {
  command: CommandName;
  args: string;
  /** How the arguments are shown when not as they are (a pasted email is shown by its size). */
  shownArgs?: string;
}

/** The command line as typed: `mfa alice@contoso.com`. */
export function commandLineText(line: CommandLine): string {
  const args = line.shownArgs ?? line.args;
  return args === '' ? line.command : `${line.command} ${args}`;
}

/** The first line of an answer to a question: "Reading this as `mfa alice@contoso.com`". */
export function readingAsLine(line: CommandLine): CardElement {
  return runs([own('Reading this as '), { text: commandLineText(line), mono: true, bold: true }], {
    subtle: true,
    max: 300,
  });
}

/** The plain-text form of readingAsLine, for answers that are text. */
export function readingAsText(line: CommandLine): string {
  return `Reading this as \`${sanitizeUntrusted(commandLineText(line), 300)}\``;
}

/**
 * A write read from a question: the exact command, what it does, and one button that runs it as typed, which asks
 * for approval (and for a justification first, when the question gave none). Nothing is requested until it is pressed.
 */
export function proposalCard(line: CommandLine, summary: string, hasReason: boolean): AdaptiveCard {
  return adaptiveCard(
    [
      heading(own('This would change the tenant')),
      readingAsLine(line),
      runs([summary], { subtle: true, spacing: 'None' }),
      text(
        hasReason
          ? own(
              'Nothing has been requested. The button asks for approval as the command would; another approver decides before anything runs.',
            )
          : own(
              'Nothing has been requested. The button asks for a justification, then for approval; another approver decides before anything runs.',
            ),
      ),
    ],
    [commandButton('Ask for approval', line.command, line.args)],
    'A question read as a command that changes the tenant: nothing was requested.',
  );
}

/** One user a name matched, with the command it would run for them. */
export interface Candidate {
  displayName: string | null;
  userPrincipalName: string;
  line: CommandLine;
}

/** Several users match the name: one button each, running the command for that user (a write asks for approval). */
export function chooseUserCard(
  name: string,
  candidates: readonly Candidate[],
  more: boolean,
  writes: boolean,
): AdaptiveCard {
  // Button titles are our own words: a display name or UPN appears only in the row's TextRuns (and in the data).
  const rows = candidates.map((c) =>
    container(
      [
        runs([
          { text: c.displayName ?? c.userPrincipalName, bold: true },
          own('  '),
          { text: c.userPrincipalName, subtle: true },
        ]),
        runs([{ text: commandLineText(c.line), mono: true }], { subtle: true, spacing: 'None', max: 300 }),
        actionSet([commandButton(writes ? 'Ask for approval' : 'Choose', c.line.command, c.line.args)]),
      ],
      { spacing: 'Medium', separator: true },
    ),
  );
  return adaptiveCard(
    [
      heading(own('Which user?')),
      runs([own('More than one user matches '), `"${name}"`, own(more ? ' (the first ten are shown):' : ':')], {
        max: 64,
      }),
      ...rows,
      ...(writes
        ? [
            text(own('Each button asks for approval; another approver decides before anything runs.'), {
              isSubtle: true,
            }),
          ]
        : []),
    ],
    [],
    'More than one user matches: choose one.',
  );
}

function actionSet(actions: CardElement[]): CardElement {
  return { type: 'ActionSet', actions };
}

/** A closest command for text that reads as none. */
export interface Suggestion {
  line: CommandLine;
  usage: string;
  summary: string;
}

/** Text that reads as no command or question: the closest commands as buttons. */
export function closestCommandsCard(input: string, suggestions: readonly Suggestion[]): AdaptiveCard {
  const rows = suggestions.map((s) =>
    container(
      [
        runs([
          {
            text: commandLineText(s.line) === s.line.command ? s.usage : commandLineText(s.line),
            mono: true,
            bold: true,
          },
        ]),
        runs([s.summary], { subtle: true, spacing: 'None' }),
      ],
      { spacing: 'Small' },
    ),
  );
  return adaptiveCard(
    [
      heading(own('I could not read that as a command or a question I know')),
      runs([own('You wrote '), `"${input}"`], { subtle: true, max: 120 }),
      text(own('The closest commands:')),
      ...rows,
    ],
    // Titled by the command's name (ours); an address taken from the text is in the row above and the data only.
    suggestions.map((s) => commandButton(s.line.command, s.line.command, s.line.args)),
    'Not a command I know: the closest commands are listed.',
  );
}
