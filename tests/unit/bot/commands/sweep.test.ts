import assert from 'node:assert/strict';
import { cancelSweep, sweepCancelDataSchema } from '../../../../bot/actions/sweep';
import type { CommandContext, Reply, VerbContext } from '../../../../bot/commands/command';
import { VERB_TABLE } from '../../../../bot/commands/verbs';
import { silentLogger } from '../../../../services/log';
import type { CancelResult, Sweeper, StartResult } from '../../../../services/mailbox/sweeper';
import { parseArgs, runCommand } from '../../../support/command-table';

const GROUP = '0a1b2c3d-0000-4000-8000-00000000abcd';

const sweep = (start: Sweeper['start']) => (c: CommandContext) =>
  runCommand('sweep', 'forwarding', { mode: 'tenant', sweeper: { start, cancel: () => assert.fail('no cancel') } }, c);

function ctx(posted: Reply[]): CommandContext {
  return {
    caller: { aadObjectId: 'op-1', name: 'Alex' },
    correlationId: 'c1',
    logger: silentLogger,
    now: 0,
    conversation: {
      conversationId: 'c',
      conversationType: 'channel',
      tenantId: 't',
      serviceUrl: 'https://x',
      reference: {},
    },
    notify: (reply) => {
      posted.push(reply);
      return Promise.resolve({ activityId: 'progress-1' });
    },
    onWaiting: () => undefined,
  };
}

describe('bot/commands/sweep and the sweep.cancel verb', () => {
  it('parses forwarding, forwarding <group id>, and refuses the rest', () => {
    assert.deepEqual(parseArgs('sweep', 'forwarding'), { ok: true, value: { kind: 'all' } });
    assert.deepEqual(parseArgs('sweep', `Forwarding ${GROUP.toUpperCase()}`), {
      ok: true,
      value: { kind: 'group', groupId: GROUP },
    });
    assert.equal(parseArgs('sweep', '').ok, false);
    assert.equal(parseArgs('sweep', 'mfa').ok, false);
    const bad = parseArgs('sweep', "forwarding x' or 1 eq 1");
    assert.ok(!bad.ok && /not a group object id/.test(bad.message));
  });

  it('starts a sweep with the caller and conversation, posting the progress card in the turn', async () => {
    const calls: unknown[] = [];
    const run = sweep(async (req) => {
      calls.push(req);
      const posted = await req.post?.({ type: 'AdaptiveCard' });
      assert.equal(posted?.activityId, 'progress-1');
      return { kind: 'started', jobId: 'j1' } satisfies StartResult;
    });
    const posted: Reply[] = [];
    const reply = await run(ctx(posted));
    assert.equal(posted[0]?.kind, 'card');
    assert.match(reply.kind === 'text' ? reply.text : '', /Sweep started over every mailbox/);
    assert.deepEqual((calls[0] as { requester: unknown }).requester, { aadObjectId: 'op-1', name: 'Alex' });
  });

  it('a second request is told which sweep is running and who started it', async () => {
    const run = sweep(() =>
      Promise.resolve({
        kind: 'already-running',
        view: {
          jobId: 'job-7',
          scope: { kind: 'all' },
          state: 'running',
          requesterName: 'Megan',
          done: 0,
          total: 100,
          findings: 0,
          flaggedMailboxes: 0,
          ratePerMinute: null,
          etaMs: null,
          startedAt: Date.parse('2026-11-22T10:00:00Z'),
          now: 0,
        },
      } satisfies StartResult),
    );
    const reply = await run(ctx([]));
    assert.match(
      reply.kind === 'text' ? reply.text : '',
      /already running \(started by Megan at 2026-11-22 10:00 UTC.*job job-7\)/,
    );
  });

  it('the cancel verb is for operators, cancels by job id as the caller, and ignores automatic refreshes', async () => {
    const cancels: unknown[] = [];
    const sweeper = {
      cancel: (jobId: string, by: unknown) => {
        cancels.push({ jobId, by });
        return Promise.resolve({ kind: 'cancelling' } satisfies CancelResult);
      },
    };
    const verb = VERB_TABLE.find((v) => v.verb === 'sweep.cancel');
    assert.equal(verb?.kind === 'handler' && verb.access, 'operator');
    const jobId = '6f1c2a9e-0000-4000-8000-000000000001';
    assert.equal(sweepCancelDataSchema.safeParse({ verb: 'sweep.cancel', jobId: 'x' }).success, false);
    const v: VerbContext = { ...ctx([]), cardActivityId: 'progress-1', trigger: 'manual' };
    const result = await cancelSweep(v, { jobId }, sweeper);
    assert.match(result.reply?.kind === 'text' ? result.reply.text : '', /Cancelling the sweep/);
    assert.deepEqual(cancels, [{ jobId, by: { aadObjectId: 'op-1', name: 'Alex' } }]);
    await cancelSweep({ ...v, trigger: 'automatic' }, { jobId }, sweeper);
    assert.equal(cancels.length, 1);
  });
});
