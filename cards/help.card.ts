import { adaptiveCard, container, heading, text, type AdaptiveCard } from './elements';

/** One line of the help card. */
export interface CommandHelp {
  name: string;
  usage: string;
  summary: string;
  /** False when a service it needs is not configured in this bot: the command answers so when run. */
  available: boolean;
}

/** The `help` reply: every command with its usage line. */
export function helpCard(commands: readonly CommandHelp[], mode: 'demo' | 'tenant'): AdaptiveCard {
  const rows = commands.map((c) =>
    container(
      [
        text(c.usage, { fontType: 'Monospace', weight: 'Bolder' }),
        text(c.available ? c.summary : `${c.summary} *(not available in this bot)*`, {
          isSubtle: true,
          spacing: 'None',
        }),
      ],
      { spacing: 'Small' },
    ),
  );
  const intro =
    mode === 'demo'
      ? 'Demo tenant: try `user upntest@example.net` or `user noaudit@example.com`.'
      : 'Commands are case-insensitive. In channels and group chats, mention the bot first.';
  return adaptiveCard(
    [heading('SecOps Bot commands'), text(intro, { isSubtle: true }), ...rows],
    [],
    'SecOps Bot commands',
  );
}
