import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { CommandContext, Reply } from '../../../../bot/commands/command';
import { createSignInsCommand, PATIENCE_MS } from '../../../../bot/commands/signins';
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
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('tells the caller it is waiting when Graph is slow (throttled), and the answer still arrives', async () => {
    const notices: Reply[] = [];
    const command = createSignInsCommand({
      readSignIns: () => new Promise((resolve) => setTimeout(() => resolve(INPUT), PATIENCE_MS + 6_000)),
    });
    const parsed = command.parse('risky@example.com');
    assert.ok(parsed.ok);
    const reply = command.run(ctx(notices), parsed.value);
    await clock.tickAsync(PATIENCE_MS + 1);
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.kind === 'text' ? notices[0].text : '', /Still waiting on Microsoft Graph/);
    await clock.tickAsync(6_000);
    assert.equal((await reply).kind, 'card');
    assert.equal(notices.length, 1, 'said once');
  });

  it('says nothing extra when Graph answers promptly, and a failed notice does not lose the answer', async () => {
    const quick: Reply[] = [];
    const command = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) });
    const parsed = command.parse('risky@example.com');
    assert.ok(parsed.ok);
    await command.run(ctx(quick), parsed.value);
    await clock.tickAsync(PATIENCE_MS * 2);
    assert.deepEqual(quick, []);

    const failing: Reply[] = [];
    const slow = createSignInsCommand({
      readSignIns: () => new Promise((resolve) => setTimeout(() => resolve(INPUT), PATIENCE_MS + 10)),
    });
    const reply = slow.run(ctx(failing, true), parsed.value);
    await clock.tickAsync(PATIENCE_MS + 20);
    assert.equal((await reply).kind, 'card');
  });

  it('rejects bad input with the usage line', () => {
    const command = createSignInsCommand({ readSignIns: () => Promise.resolve(INPUT) });
    const bad = command.parse('not an address');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /signins <upn>/);
  });
});
