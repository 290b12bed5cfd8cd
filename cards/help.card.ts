import { adaptiveCard, container, heading, text, untrusted } from './elements';
import type { AdaptiveCard } from './elements';
import { own } from './text';

/** One line of the help card. */
export interface CommandHelp {
  name: string;
  usage: string;
  summary: string;
}

/** The `help` reply: every command with its usage line (plain strings, so TextRuns like any other string). */
export function helpCard(commands: readonly CommandHelp[], mode: 'demo' | 'tenant'): AdaptiveCard {
  const rows = commands.map((c) =>
    container(
      [untrusted(c.usage, { mono: true, bold: true }), untrusted(c.summary, { subtle: true, spacing: 'None' })],
      { spacing: 'Small' },
    ),
  );
  const intro =
    mode === 'demo'
      ? own('Demo tenant: try `user upntest@example.net` or `user noaudit@example.com`.')
      : own('Commands are case-insensitive. In channels and group chats, mention the bot first.');
  return adaptiveCard(
    [heading(own('SecOps Bot commands')), text(intro, { isSubtle: true }), ...rows],
    [],
    'SecOps Bot commands',
  );
}
