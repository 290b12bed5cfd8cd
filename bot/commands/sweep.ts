import { scopeLabel } from '../../cards/sweep-progress.card';
import type { SweepScope } from '../../services/mailbox/sweep-types';
import type { Sweeper } from '../../services/mailbox/sweeper';
import { startBackgroundJob } from './background-job';
import type { CommandContext, Reply } from './command';

/** `sweep forwarding [group]`: starts the tenant-wide (or group) forwarding sweep in the background. */
export function startSweep(ctx: CommandContext, scope: SweepScope, sweeper: Pick<Sweeper, 'start'>): Promise<Reply> {
  return startBackgroundJob(ctx, scope, sweeper, {
    started: 'Sweep',
    running: 'A forwarding sweep',
    label: scopeLabel,
    result: 'a summary',
  });
}
