import assert from 'node:assert/strict';
import { createDropAuditor } from '../../../../bot/middleware/drop-audit';
import { createAuditLog } from '../../../../services/audit/audit-log';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

// A few turns of the event loop: the audit log defers each write by one (entries arriving together share it), and
// the auditor appends one reason after the other.
const settle = async (): Promise<void> => {
  for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

function setup() {
  const clock = new ManualClock(Date.parse('2026-11-22T12:00:10Z'));
  const audit = createAuditLog(createMemoryStorage(), clock);
  const drops = createDropAuditor({ audit, clock, logger: createRecordingLogger() });
  return { clock, audit, drops };
}

// issue 10 item 9: drops are audited, aggregated per reason per minute, so a flood cannot flood the log.
describe('bot/middleware/drop-audit', () => {
  it('turns a flood of 1,000 drops in a minute into one record per reason with the count', async () => {
    const { clock, audit, drops } = setup();
    for (let i = 0; i < 1000; i += 1) drops.record('wrong_tenant', `tenant=t-${i % 7}`, `ref-${i}`);
    drops.record('not_operator', 'caller-1 command:user', 'ref-x');
    clock.advance(49_000); // 12:00:59, still the same minute
    await settle();
    assert.equal((await audit.list()).length, 0, 'nothing written before the minute ends');
    clock.advance(1_000);
    await settle();
    const records = await audit.list();
    assert.deepEqual(
      records.map((r) => [r.action, r.outcome, r.details?.count, r.details?.minute]),
      [
        ['drop:wrong_tenant', 'dropped', 1000, '2026-11-22T12:00:00.000Z'],
        ['drop:not_operator', 'dropped', 1, '2026-11-22T12:00:00.000Z'],
      ],
    );
    assert.equal(records[0]?.correlationId, 'ref-0', 'the first drop of the minute names the searchable ref');
    assert.deepEqual(records[0]?.actor, { aadObjectId: null, name: 'activity guard' }, 'no caller is trusted as actor');
    assert.equal(String(records[0]?.details?.samples).split('; ').length, 5, 'a few distinct samples, not all');
    assert.ok((await audit.verify()).ok);
  });

  it('starts a new record when the minute changes, and flush() writes what is counted', async () => {
    const { clock, audit, drops } = setup();
    drops.record('invalid_activity', 'from.name: expected string', 'r1');
    clock.advance(60_000);
    drops.record('invalid_activity', 'text: expected string', 'r2');
    drops.record('invalid_activity', 'text: expected string', 'r3');
    await drops.flush();
    const counts = (await audit.list()).map((r) => [r.details?.minute, r.details?.count, r.details?.samples]);
    assert.deepEqual(counts, [
      ['2026-11-22T12:00:00.000Z', 1, 'from.name: expected string'],
      ['2026-11-22T12:01:00.000Z', 2, 'text: expected string'],
    ]);
  });

  it('keeps samples clean: control and bidi characters stripped, capped', async () => {
    const { audit, drops } = setup();
    drops.record('wrong_channel', `channel=\u202eevil\u0000${'x'.repeat(500)}`, 'r');
    await drops.flush();
    const samples = String((await audit.list())[0]?.details?.samples);
    // eslint-disable-next-line no-control-regex -- control characters are what must be stripped
    assert.doesNotMatch(samples, /[\u202e\u0000]/);
    assert.ok(samples.length <= 120);
  });

  it('flush() with nothing counted writes nothing and does not fail (shutdown of an idle bot)', async () => {
    const { audit, drops } = setup();
    await drops.flush();
    await drops.flush();
    assert.equal((await audit.list()).length, 0);
  });

  it('a failed audit write is logged and the other reasons of the minute are still written', async () => {
    const clock = new ManualClock(Date.parse('2026-11-22T12:00:10Z'));
    const audit = createAuditLog(createMemoryStorage(), clock);
    const logger = createRecordingLogger();
    const failing = {
      ...audit,
      append: (entry: Parameters<typeof audit.append>[0]) =>
        entry.action === 'drop:wrong_tenant' ? Promise.reject(new Error('storage down')) : audit.append(entry),
    };
    const drops = createDropAuditor({ audit: failing, clock, logger });
    drops.record('wrong_tenant', 'tenant=t-1', 'r1');
    drops.record('wrong_tenant', 'tenant=t-2', 'r2');
    drops.record('not_operator', 'caller-1', 'r3');
    await drops.flush();
    assert.deepEqual(
      (await audit.list()).map((r) => r.action),
      ['drop:not_operator'],
    );
    const error = logger.lines.find((line) => line.level === 'error');
    assert.equal(error?.fields.reason, 'wrong_tenant');
    assert.equal(error?.fields.count, 2);
    assert.equal((error?.fields.err as Error | undefined)?.message, 'storage down');
  });
});
