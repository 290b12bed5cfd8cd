import assert from 'node:assert/strict';
import { waitingText } from '../../../bot/commands/waiting';
import type { WaitNotice } from '../../../services/graph/waiting-notice';
import type { MfaChecker } from '../../../services/identity/mfa-check';
import { assessMfa } from '../../../services/identity/mfa-verdict';
import { commandContext, parseArgs, runCommand } from '../../support/command-table';
import { input, NOW } from '../services/identity/mfa-fixtures';

describe('mfa command', () => {
  const notices: WaitNotice[] = [];
  const ctx = commandContext({ now: NOW, notices });

  it('rejects bad input with the usage line', () => {
    const parsed = parseArgs('mfa', 'not a upn');
    assert.ok(!parsed.ok && parsed.message.includes('Usage: mfa <upn>'));
    const empty = parseArgs('mfa', '');
    assert.ok(!empty.ok && empty.message.includes('mfa <upn>'));
  });

  it('passes the waiting notice to the turn and replies with the card', async () => {
    notices.length = 0;
    const checker: MfaChecker = {
      checkMfaUsability: (_ref, opts) => {
        opts?.onWaiting?.({ classes: ['reports'], untilMs: NOW + 4_200, nowMs: NOW });
        return Promise.resolve(assessMfa(input()));
      },
    };
    const reply = await runCommand('mfa', 'u@example.com', { mode: 'tenant', mfa: checker }, ctx);
    assert.equal(reply.kind, 'card');
    assert.deepEqual(notices, [{ classes: ['reports'], untilMs: NOW + 4_200, nowMs: NOW }]);
  });

  it('words a wait: Graph throttling with and without Retry-After, our queue, nothing known', () => {
    assert.equal(
      waitingText({ classes: ['reports'], untilMs: 4_200, nowMs: 0, throttled: true }, 'replaces'),
      "Microsoft Graph is throttling the bot (reports limit), so I'm waiting for about 5 s. The answer will replace this message.",
    );
    assert.match(
      waitingText({ classes: ['identityProtection'], untilMs: null, nowMs: 0 }, 'follows'),
      /waiting\. The answer will be posted in this conversation/,
    );
    assert.equal(
      waitingText({ classes: ['reports'], untilMs: 24_000, nowMs: 0, throttled: false, queued: 12 }, 'replaces'),
      "Working on it: queued for Microsoft Graph's reports budget (sign-in and audit logs) (12 requests in the queue), about 24 s. The answer will replace this message.",
    );
    assert.match(waitingText(null, 'replaces'), /^Working on it: Microsoft Graph is slow to answer\./);
  });
});
