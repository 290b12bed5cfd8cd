import assert from 'node:assert/strict';
import { createMfaCommand } from '../../../bot/commands/mfa';
import { waitingText } from '../../../bot/commands/waiting';
import type { CommandContext, Reply } from '../../../bot/commands/command';
import type { MfaChecker } from '../../../services/identity/mfa-check';
import { assessMfa } from '../../../services/identity/mfa-verdict';
import { createRecordingLogger } from '../../fakes/recording-logger';
import { input, NOW } from '../services/identity/mfa-fixtures';

describe('mfa command', () => {
  const notices: Reply[] = [];
  const ctx = {
    caller: { aadObjectId: 'a', name: null },
    correlationId: 'c',
    logger: createRecordingLogger(),
    now: NOW,
    conversation: {} as CommandContext['conversation'],
    notify: (reply: Reply) => {
      notices.push(reply);
      return Promise.resolve({ activityId: '1' });
    },
  } satisfies CommandContext;

  it('rejects bad input with the usage line and never calls Graph', () => {
    const checker: MfaChecker = { checkMfaUsability: () => assert.fail('must not run') };
    const command = createMfaCommand(checker);
    const parsed = command.parse('not a upn');
    assert.ok(!parsed.ok && parsed.message.includes('Usage: mfa <upn>'));
    const empty = command.parse('');
    assert.ok(!empty.ok && empty.message.includes('mfa <upn>'));
  });

  it('passes the waiting notice to ctx.notify and replies with the card', async () => {
    notices.length = 0;
    const checker: MfaChecker = {
      checkMfaUsability: (_ref, opts) => {
        opts?.onWaiting?.({ classes: ['reports'], untilMs: NOW + 4_200, nowMs: NOW });
        return Promise.resolve(assessMfa(input()));
      },
    };
    const command = createMfaCommand(checker);
    const parsed = command.parse('u@example.com');
    assert.ok(parsed.ok);
    const reply = await command.run(ctx, parsed.value);
    assert.equal(reply.kind, 'card');
    assert.deepEqual(notices, [
      {
        kind: 'text',
        text: "Microsoft Graph is throttling the bot (reports limit), so I'm waiting for about 5 s. The answer will follow here.",
      },
    ]);
  });

  it('words a wait without Retry-After', () => {
    assert.match(waitingText({ classes: ['identityProtection'], untilMs: null, nowMs: 0 }), /waiting\. The answer/);
  });
});
