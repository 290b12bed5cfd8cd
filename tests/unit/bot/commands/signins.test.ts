import assert from 'node:assert/strict';
import type { CommandContext, Reply } from '../../../../bot/commands/command';
import { createSignInsCommand } from '../../../../bot/commands/signins';
import type { SignInsInput } from '../../../../services/identity/sign-ins-read';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const INPUT: SignInsInput = {
  user: { id: 'u1', displayName: 'Rita', userPrincipalName: 'risky@example.com' },
  signIns: [],
  risk: { kind: 'read', riskyUser: null },
};

function ctx(notices: Reply[], failNotify = false): CommandContext {
  return {
    caller: { aadObjectId: 'op', name: 'Op' },
    correlationId: 'ref',
    logger: createRecordingLogger(),
    now: Date.parse('2026-11-22T12:00:00Z'),
    conversation: {} as CommandContext['conversation'],
    notify: (reply) => {
      notices.push(reply);
      return failNotify ? Promise.reject(new Error('teams down')) : Promise.resolve({ activityId: 'a' });
    },
  };
}

describe('bot/commands/signins', () => {
  const notice = {
    classes: ['reports' as const],
    untilMs: Date.parse('2026-11-22T12:00:07Z'),
    nowMs: Date.parse('2026-11-22T12:00:00Z'),
  };

  it('tells the caller it is waiting when Graph throttles the read, and the answer still arrives', async () => {
    const notices: Reply[] = [];
    const command = createSignInsCommand({
      readSignIns: (_ref, opts) => {
        opts?.onWaiting?.(notice);
        return Promise.resolve(INPUT);
      },
    });
    const parsed = command.parse('risky@example.com');
    assert.ok(parsed.ok);
    const reply = await command.run(ctx(notices), parsed.value);
    assert.equal(reply.kind, 'card');
    assert.equal(notices.length, 1);
    assert.match(
      notices[0]?.kind === 'text' ? notices[0].text : '',
      /throttling the bot \(reports limit\), so I'm waiting for about 7 s/,
    );
  });

  it('says nothing extra when Graph answers promptly, and a failed notice does not lose the answer', async () => {
    const quick: Reply[] = [];
    const parsed = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) }).parse('risky@example.com');
    assert.ok(parsed.ok);
    await createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) }).run(ctx(quick), parsed.value);
    assert.deepEqual(quick, []);

    const failing: Reply[] = [];
    const slow = createSignInsCommand({
      readSignIns: (_ref, opts) => {
        opts?.onWaiting?.(notice);
        return Promise.resolve(INPUT);
      },
    });
    assert.equal((await slow.run(ctx(failing, true), parsed.value)).kind, 'card');
    assert.equal(failing.length, 1);
  });

  it('rejects bad input with the usage line', () => {
    const command = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) });
    const bad = command.parse('not an address');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /signins <upn>/);
  });
});
