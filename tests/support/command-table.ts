import assert from 'node:assert/strict';
import type { CommandContext, Reply } from '../../bot/commands/command';
import { isGranted, type Services } from '../../bot/commands/services';
import { findCommand, type CommandName } from '../../bot/commands/table';
import type { WaitNotice } from '../../services/graph/waiting-notice';
import { createRecordingLogger } from '../fakes/recording-logger';

/** The argument schema of a table command applied to `text`: the value, or the message the user would read. */
export function parseArgs(
  name: CommandName,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const command = findCommand(name);
  assert.ok(command, `no command ${name} in the table`);
  const parsed = command.args.safeParse(text);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `${parsed.error.issues[0]?.message ?? ''} Usage: ${command.usage}` };
}

/** Runs a table command's handler as the runner would after its checks: parse, then run with `services`. */
export async function runCommand(
  name: CommandName,
  text: string,
  services: Services,
  ctx: CommandContext,
): Promise<Reply> {
  const command = findCommand(name);
  assert.ok(command, `no command ${name} in the table`);
  assert.ok(isGranted(services, command.needs), `${name} needs ${command.needs.join(', ')}`);
  return command.run(ctx, command.args.parse(text), services);
}

/** A command context for handler tests; `notices` collects the waiting notices the handler reports. */
export function commandContext(options: {
  now: number;
  notices?: WaitNotice[];
  conversation?: CommandContext['conversation'];
  notify?: CommandContext['notify'];
}): CommandContext {
  return {
    caller: { aadObjectId: 'op', name: 'Op' },
    correlationId: 'ref',
    logger: createRecordingLogger(),
    now: options.now,
    conversation: options.conversation ?? ({} as CommandContext['conversation']),
    notify: options.notify ?? (() => Promise.resolve({ activityId: 'a' })),
    onWaiting: (notice) => options.notices?.push(notice),
  };
}
