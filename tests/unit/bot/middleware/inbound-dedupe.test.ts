import assert from 'node:assert/strict';
import { createBackgroundTasks } from '../../../../bot/background';
import { createInboundDedupe, DEDUPE_TTL_MS } from '../../../../bot/middleware/inbound-dedupe';
import { silentLogger } from '../../../../services/log';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';

function setup() {
  const clock = new ManualClock();
  const storage = createMemoryStorage();
  const background = createBackgroundTasks(silentLogger);
  const dedupe = createInboundDedupe({ storage, clock, logger: silentLogger, background: (w) => background.track(w) });
  return { clock, storage, background, dedupe };
}

const ANSWER = {
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' },
};

// issue 10 item 11: one run per activity id and conversation, durably, for well past Teams' retry window.
describe('bot/middleware/inbound-dedupe', () => {
  it('lets the first copy run; a copy gets the first answer once it is kept, another conversation is separate', async () => {
    const { dedupe } = setup();
    const first = await dedupe.claim('conv-1', 'act-1');
    assert.equal(first.kind, 'first');
    const copy = await dedupe.claim('conv-1', 'act-1');
    assert.equal(copy.kind, 'duplicate');
    assert.equal((await dedupe.claim('conv-2', 'act-1')).kind, 'first', 'ids are unique per conversation only');
    const waiting = copy.kind === 'duplicate' ? copy.answer(3_000) : null;
    if (first.kind === 'first') await first.complete(ANSWER);
    assert.deepEqual(await waiting, ANSWER);
    const later = await dedupe.claim('conv-1', 'act-1');
    assert.deepEqual(later.kind === 'duplicate' ? await later.answer(0) : null, ANSWER);
  });

  it('two instances on one store: only one claim wins', async () => {
    const { storage, clock } = setup();
    const one = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    const two = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    const claims = await Promise.all([one.claim('c', 'a'), two.claim('c', 'a'), one.claim('c', 'a')]);
    assert.deepEqual(claims.map((c) => c.kind).sort(), ['duplicate', 'duplicate', 'first']);
  });

  it('forgets an id after the retry window, and cleans expired records out of storage', async () => {
    const { dedupe, clock, storage, background } = setup();
    await dedupe.claim('conv-1', 'old');
    clock.advance(DEDUPE_TTL_MS - 1);
    assert.equal((await dedupe.claim('conv-1', 'old')).kind, 'duplicate', 'still within ten minutes');
    clock.advance(2);
    assert.equal((await dedupe.claim('conv-1', 'old')).kind, 'first', 'a new activity reusing an old id');
    await dedupe.claim('conv-1', 'other');
    clock.advance(DEDUPE_TTL_MS + 1);
    await dedupe.claim('conv-1', 'new'); // a claim a minute after the last clean-up starts one
    await background.drain();
    assert.equal((await storage.list('inbound/')).length, 1, 'only the fresh record is left');
  });
});
