import { adaptiveCard, container, heading, runs, text, untrusted } from './elements';
import type { AdaptiveCard } from './elements';
import { own } from './text';

/** One line of the help card. */
export interface CommandHelp {
  name: string;
  usage: string;
  summary: string;
  /** False when a service it needs is not configured in this bot: the command answers so when run. */
  available: boolean;
}

/** The `help` reply: every command with its usage line (plain strings, so TextRuns like any other string). */
export function helpCard(commands: readonly CommandHelp[], mode: 'demo' | 'tenant'): AdaptiveCard {
  const rows = commands.map((c) =>
    container(
      [
        untrusted(c.usage, { mono: true, bold: true }),
        runs([c.summary, c.available ? '' : own(' (not available in this bot)')], { subtle: true, spacing: 'None' }),
      ],
      { spacing: 'Small' },
    ),
  );
  const intro =
    mode === 'demo'
      ? own('Demo tenant: try `user upntest@example.net` or `user noaudit@example.com`.')
      : own('Commands are case-insensitive. In channels and group chats, mention the bot first.');
  const questions = own(
    'You can also ask in plain language — "is alice@contoso.com\'s MFA working?", "what happened to grace?", "block ivan because …". A question that would change the tenant is only proposed: nothing runs until you press its button and another approver decides.',
  );
  return adaptiveCard(
    [
      heading(own('SecOps Bot commands')),
      text(intro, { isSubtle: true }),
      text(questions, { isSubtle: true }),
      ...rows,
    ],
    [],
    'SecOps Bot commands',
  );
}
