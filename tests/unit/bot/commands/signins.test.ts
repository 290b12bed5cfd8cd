import assert from 'node:assert/strict';
import type { SignInsReader } from '../../../../bot/commands/services';
import type { WaitNotice } from '../../../../services/graph/waiting-notice';
import type { SignInsInput } from '../../../../services/identity/sign-ins-read';
import { commandContext, parseArgs, runCommand } from '../../../support/command-table';

const INPUT: SignInsInput = {
  user: { id: 'u1', displayName: 'Rita', userPrincipalName: 'risky@example.com' },
  signIns: [],
  risk: { kind: 'read', riskyUser: null },
};

const ctx = (notices: WaitNotice[]) => commandContext({ now: Date.parse('2026-11-22T12:00:00Z'), notices });
const signins = (signIns: SignInsReader) => ({ mode: 'tenant' as const, signIns });

describe('bot/commands/signins', () => {
  const notice = {
    classes: ['reports' as const],
    untilMs: Date.parse('2026-11-22T12:00:07Z'),
    nowMs: Date.parse('2026-11-22T12:00:00Z'),
  };

  it('tells the turn it is waiting when Graph throttles the read, and the answer still arrives', async () => {
    const notices: WaitNotice[] = [];
    const services = signins({
      readSignIns: (_ref, opts) => {
        opts?.onWaiting?.(notice);
        return Promise.resolve(INPUT);
      },
    });
    const reply = await runCommand('signins', 'risky@example.com', services, ctx(notices));
    assert.equal(reply.kind, 'card');
    assert.deepEqual(notices, [notice]);
  });

  it('says nothing extra when Graph answers promptly', async () => {
    const quick: WaitNotice[] = [];
    const services = signins({ readSignIns: () => Promise.resolve(INPUT) });
    await runCommand('signins', 'risky@example.com', services, ctx(quick));
    assert.deepEqual(quick, []);
  });

  it('rejects bad input with the usage line', () => {
    const bad = parseArgs('signins', 'not an address');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /signins <upn>/);
  });
});
