/**
 * Checked by `npm run typecheck`, not run: card buttons name commands and verbs of bot/commands/table.ts, so each
 * line below must fail to compile. Were the names plain strings again, the `@ts-expect-error`s would be unused and
 * typecheck would fail on them.
 */
import { commandButton, verbButton } from '../../../cards/elements';

export const probes = [
  // @ts-expect-error -- "mfaa" is not a command
  commandButton('MFA', 'mfaa', 'alice@example.com'),
  // @ts-expect-error -- "approval.aprove" is not a verb
  verbButton('Approve', 'approval.aprove', { requestId: 'x', hash: 'y' }),
  // @ts-expect-error -- sweep.cancel carries { jobId }
  verbButton('Cancel', 'sweep.cancel', { job: 'x' }),
  commandButton('MFA', 'mfa', 'alice@example.com'),
  verbButton('Cancel', 'sweep.cancel', { jobId: 'x' }),
];
