import { helpCard, type CommandHelp } from '../../cards/help.card';
import { defineCommand, type Command } from './command';

/** `help`: lists every command with its usage line. */
export function createHelpCommand(catalog: () => readonly CommandHelp[], mode: 'demo' | 'tenant'): Command {
  return defineCommand<null>({
    name: 'help',
    usage: 'help',
    summary: 'Show every command with its usage.',
    access: 'operator',
    parse: () => ({ ok: true, value: null }),
    auditTarget: () => null,
    run: () => Promise.resolve({ kind: 'card', card: helpCard(catalog(), mode) }),
  });
}
