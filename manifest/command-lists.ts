import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnyCommand, Where } from '../bot/commands/define';
import { COMMAND_TABLE } from '../bot/commands/table';
import { MAX_COMMANDS_PER_SCOPE } from './validate-manifest';

/** One entry of a bot's `commandLists` in the Teams manifest. */
export interface CommandList {
  scopes: ManifestScope[];
  commands: { title: string; description: string }[];
}

type ManifestScope = 'personal' | 'team' | 'groupChat';

// A channel is the manifest's "team" scope.
const SCOPE_OF: Record<Where, ManifestScope> = { personal: 'personal', groupChat: 'groupChat', channel: 'team' };
const SCOPES: readonly ManifestScope[] = ['personal', 'team', 'groupChat'];

/**
 * The manifest's command menu, generated from the command table: per scope, the commands that run there and carry a
 * `menu` rank, best ranked first, at most the 10 Teams shows. Each is described by its usage and summary.
 */
export function commandLists(commands: readonly AnyCommand[] = COMMAND_TABLE): CommandList[] {
  return SCOPES.map((scope) => ({
    scopes: [scope],
    commands: commands
      .flatMap((c) => (c.menu !== undefined && c.where.some((w) => SCOPE_OF[w] === scope) ? [{ c, rank: c.menu }] : []))
      .sort((a, b) => a.rank - b.rank)
      .slice(0, MAX_COMMANDS_PER_SCOPE)
      .map(({ c }) => ({ title: c.name, description: `${c.usage} — ${c.summary}` })),
  }));
}

/** `npm run manifest`: rewrites manifest/manifest.json's command lists from the table (the only hand-kept copy). */
async function main(): Promise<void> {
  const file = join(__dirname, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { bots: { commandLists?: unknown }[] };
  for (const bot of manifest.bots) bot.commandLists = commandLists();
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`Wrote the command lists of ${file} from bot/commands/table.ts\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
