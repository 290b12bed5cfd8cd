import assert from 'node:assert/strict';
import type { CommandContext } from '../../../../bot/commands/command';
import type { WaitNotice } from '../../../../services/graph/waiting-notice';
import { createSignInsCommand } from '../../../../bot/commands/signins';
import type { SignInsInput } from '../../../../services/identity/sign-ins-read';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const INPUT: SignInsInput = {
  user: { id: 'u1', displayName: 'Rita', userPrincipalName: 'risky@example.com' },
  signIns: [],
  risk: { kind: 'read', riskyUser: null },
};

function ctx(notices: WaitNotice[]): CommandContext {
  return {
    caller: { aadObjectId: 'op', name: 'Op' },
    correlationId: 'ref',
    logger: createRecordingLogger(),
    now: Date.parse('2026-11-22T12:00:00Z'),
    conversation: {} as CommandContext['conversation'],
    notify: () => Promise.resolve({ activityId: 'a' }),
    onWaiting: (notice) => notices.push(notice),
  };
}

describe('bot/commands/signins', () => {
  const notice = {
    classes: ['reports' as const],
    untilMs: Date.parse('2026-11-22T12:00:07Z'),
    nowMs: Date.parse('2026-11-22T12:00:00Z'),
  };

  it('tells the turn it is waiting when Graph throttles the read, and the answer still arrives', async () => {
    const notices: WaitNotice[] = [];
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
    assert.deepEqual(notices, [notice]);
  });

  it('says nothing extra when Graph answers promptly', async () => {
    const quick: WaitNotice[] = [];
    const parsed = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) }).parse('risky@example.com');
    assert.ok(parsed.ok);
    await createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) }).run(ctx(quick), parsed.value);
    assert.deepEqual(quick, []);
  });

  it('rejects bad input with the usage line', () => {
    const command = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) });
    const bad = command.parse('not an address');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /signins <upn>/);
  });
});
