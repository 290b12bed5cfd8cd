// A bot-like process for the restart test: the real sweeper on SQLite and the demo tenant, reporting on stdout.
import { systemClock } from '../../../services/clock';
import { createGraphClient } from '../../../services/graph';
import { silentLogger } from '../../../services/log';
import { createSweeper } from '../../../services/mailbox/sweeper';
import { openStorage } from '../../../services/storage/open-storage';
import { CONVERSATION, RecordingMessenger, recordingCards } from './sweep-harness';

async function main(): Promise<void> {
  const env = process.env;
  const storage = openStorage(`sqlite:${env.SWEEP_DB ?? ''}`);
  const graph = createGraphClient({ baseUrl: env.SWEEP_GRAPH_URL ?? '', credential: { kind: 'static', token: 't' } });
  const sweeper = createSweeper({
    graph,
    storage,
    messenger: new RecordingMessenger(),
    cards: recordingCards(),
    clock: systemClock,
    logger: silentLogger,
    progressIntervalMs: 100,
    leaseTtlMs: Number(env.SWEEP_LEASE_TTL_MS ?? 1000),
  });
  if (env.SWEEP_START === '1') {
    const r = await sweeper.start({
      scope: { kind: 'all' },
      requester: { aadObjectId: 'op', name: 'Op' },
      conversation: CONVERSATION,
    });
    process.stdout.write(`started ${r.kind === 'started' ? r.jobId : 'no'}\n`);
  } else {
    process.stdout.write(`resumed ${String(await sweeper.resumeOnBoot())}\n`);
  }
  await sweeper.idle();
  await storage.close();
  process.stdout.write('finished\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
