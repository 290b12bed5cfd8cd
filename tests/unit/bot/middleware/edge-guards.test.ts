import assert from 'node:assert/strict';
import { createBackgroundTasks } from '../../../../bot/background';
import { DEDUPE_TTL_MS } from '../../../../bot/middleware/inbound-dedupe';
import { createEdgeGuards } from '../../../../bot/middleware/edge-guards';
import { createAuditLog } from '../../../../services/audit/audit-log';
import { silentLogger } from '../../../../services/log';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

describe('bot/middleware/edge-guards', () => {
  it('the dedupe clean-up is tracked background work (shutdown waits for it); its failure is logged under "edge"', async () => {
    const clock = new ManualClock();
    const memory = createMemoryStorage();
    const storage = { ...memory, list: () => Promise.reject(new Error('list failed')) };
    const logger = createRecordingLogger();
    const background = createBackgroundTasks(silentLogger);
    const edge = createEdgeGuards({
      storage,
      audit: createAuditLog(memory, clock),
      clock,
      logger,
      background,
      callerRatePerMinute: 30,
    });
    await edge.dedupe.claim('c', 'a');
    assert.equal(background.size, 0, 'no clean-up within the first minute');
    clock.advance(DEDUPE_TTL_MS);
    const claim = edge.dedupe.claim('c', 'b');
    assert.equal(background.size, 1, 'the clean-up is tracked');
    assert.equal((await claim).kind, 'first', 'a failing clean-up does not stop claims');
    await background.drain();
    const warning = logger.lines.find((line) => line.msg === 'inbound dedupe clean-up failed');
    assert.equal(warning?.level, 'warn');
    assert.equal(warning?.fields.component, 'edge');
    assert.equal((warning?.fields.err as Error | undefined)?.message, 'list failed');
  });
});
