import { helpCard } from '../../cards/help.card';
import { cardReply, type Reply } from './command';
import type { AnyCommand } from './define';
import { missingServices, type Services } from './services';

/** `help`: every command of the table with its usage; those whose service is not configured are marked. */
export function showHelp(commands: readonly AnyCommand[], services: Services): Promise<Reply> {
  const rows = commands.map(({ name, usage, summary, needs }) => ({
    name,
    usage,
    summary,
    available: missingServices(services, needs).length === 0,
  }));
  return Promise.resolve(cardReply(helpCard(rows, services.mode)));
}
