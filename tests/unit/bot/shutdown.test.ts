import assert from 'node:assert/strict';
import { createShutdown, type Shutdown } from '../../../bot/shutdown';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger, type RecordingLogger } from '../../fakes/recording-logger';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A hook that resolves when the test says so, recording when it started. */
function gate(events: string[], name: string): { hook: () => Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    hook: () => {
      events.push(`${name} started`);
      return done.then(() => void events.push(`${name} done`));
    },
    open: () => open(),
  };
}

describe('bot/shutdown: the SIGTERM sequence', () => {
  let clock: ManualClock;
  let logger: RecordingLogger;
  let shutdown: Shutdown;
  let events: string[];

  beforeEach(() => {
    clock = new ManualClock();
    logger = createRecordingLogger();
    shutdown = createShutdown({ graceMs: 20_000, clock, logger, stepTimeoutMs: 5_000 });
    events = [];
  });

  it('runs refuse, drain, release and close in order, the hooks of one phase together', async () => {
    const turns = gate(events, 'turns');
    const outbox = gate(events, 'outbox');
    shutdown.on('close', 'storage', () => void events.push('storage closed'));
    shutdown.on('release', 'leases', () => void events.push('leases released'));
    shutdown.on('drain', 'turns', turns.hook);
    shutdown.on('drain', 'outbox', outbox.hook);
    shutdown.on('refuse', 'readiness', () => void events.push('refusing'));
    assert.equal(shutdown.stopping, false);
    const report = shutdown.run('SIGTERM');
    assert.equal(shutdown.stopping, true);
    await flush();
    assert.deepEqual(events, ['refusing', 'turns started', 'outbox started']);
    turns.open();
    await flush();
    assert.ok(!events.includes('leases released'), 'release waits for every drain step');
    outbox.open();
    assert.deepEqual(await report, { exitCode: 0, failed: [], unfinished: [] });
    assert.deepEqual(events.slice(-2), ['leases released', 'storage closed']);
  });

  it('stops draining at the grace deadline, counted from the signal, and still releases leases and closes', async () => {
    const slowRefuse = gate(events, 'refuse');
    shutdown.on('refuse', 'server', slowRefuse.hook);
    shutdown.on('drain', 'send queue', () => new Promise(() => undefined));
    shutdown.on('release', 'poller lease', () => void events.push('released'));
    shutdown.on('close', 'storage', () => void events.push('closed'));
    const report = shutdown.run('SIGTERM');
    clock.advance(3_000);
    slowRefuse.open();
    await flush();
    clock.advance(16_999);
    await flush();
    assert.ok(!events.includes('released'), 'still inside the 20 s grace (3 s refusing + 16.999 s draining)');
    clock.advance(1);
    const done = await report;
    assert.deepEqual(done, { exitCode: 0, failed: [], unfinished: ['send queue'] });
    assert.deepEqual(events.slice(-2), ['released', 'closed']);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && JSON.stringify(l.fields).includes('send queue')));
  });

  it('a failing step is logged and the sequence goes on, exiting 1', async () => {
    shutdown.on('drain', 'approval worker', () => Promise.reject(new Error('storage down')));
    shutdown.on('release', 'sweep lease', () => {
      throw new Error('lease gone');
    });
    shutdown.on('close', 'storage', () => void events.push('closed'));
    const report = await shutdown.run('SIGTERM');
    assert.deepEqual(report, { exitCode: 1, failed: ['approval worker', 'sweep lease'], unfinished: [] });
    assert.deepEqual(events, ['closed']);
  });

  it('a hung release step does not keep the process from closing storage', async () => {
    shutdown.on('release', 'lease', () => new Promise(() => undefined));
    shutdown.on('close', 'storage', () => void events.push('closed'));
    const report = shutdown.run('SIGTERM');
    await flush();
    clock.advance(5_000);
    assert.deepEqual((await report).unfinished, ['lease']);
    assert.deepEqual(events, ['closed']);
  });

  it('runs once: a second signal gets the same result, and no hook can join a running shutdown', async () => {
    let runs = 0;
    shutdown.on('refuse', 'count', () => void runs++);
    const first = shutdown.run('SIGTERM');
    assert.equal(shutdown.run('SIGINT'), first);
    await first;
    assert.equal(runs, 1);
    assert.throws(() => shutdown.on('close', 'late', () => undefined), /already running/);
  });
});
