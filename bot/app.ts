import { z } from 'zod';
import type { CommandHelp } from '../cards/help.card';
import type { UserRef } from '../services/ids';
import type { Command } from './commands/command';
import { createHelpCommand } from './commands/help';
import { createUserCommand, type UserProfileReader } from './commands/user';

/** What the routes need from the rest of the bot. */
export interface RouteDeps {
  mode: 'demo' | 'tenant';
  profiles: UserProfileReader;
}

/** A card verb: the action's data schema and what it dispatches to. */
export interface VerbRoute {
  verb: string;
  data: z.ZodType<{ command: string; args: string }>;
  dispatch: 'command';
}

/** The routing table: every chat command and every card verb, in one place. */
export interface Routes {
  commands: readonly Command[];
  verbs: readonly VerbRoute[];
}

export function createRoutes(deps: RouteDeps): Routes {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands.map(({ name, usage, summary }) => ({ name, usage, summary })), deps.mode),
    createUserCommand(deps.profiles),
  );
  const verbs: VerbRoute[] = [
    {
      verb: 'command.run',
      data: z.object({ command: z.string().max(64), args: z.string().max(1024).default('') }),
      dispatch: 'command',
    },
  ];
  return { commands, verbs };
}

const catalogDeps: RouteDeps = {
  mode: 'tenant',
  profiles: { readUserProfile: (_ref: UserRef) => Promise.reject(new Error('catalog only')) },
};

/** Every command's name, usage and summary (for the manifest's commandLists and the docs). */
export function commandCatalog(): CommandHelp[] {
  return createRoutes(catalogDeps).commands.map(({ name, usage, summary }) => ({ name, usage, summary }));
}
