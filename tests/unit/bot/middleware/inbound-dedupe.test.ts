import assert from 'node:assert/strict';
import { createBackgroundTasks } from '../../../../bot/background';
import { createInboundDedupe, DEDUPE_TTL_MS } from '../../../../bot/middleware/inbound-dedupe';
import { silentLogger } from '../../../../services/log';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

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

  it('the id is not confused across the conversation boundary ("a"+"bc" is not "ab"+"c")', async () => {
    const { dedupe } = setup();
    assert.equal((await dedupe.claim('a', 'bc')).kind, 'first');
    assert.equal((await dedupe.claim('ab', 'c')).kind, 'first');
  });

  it('a copy at another instance polls storage for the answer while the first runs elsewhere', async () => {
    const { storage, clock } = setup();
    const one = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    const two = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    const first = await one.claim('c', 'a');
    const copy = await two.claim('c', 'a');
    assert.ok(first.kind === 'first' && copy.kind === 'duplicate');
    let answered: unknown = 'pending';
    const waiting = copy.answer(5_000).then((a) => (answered = a));
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(100);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, 'pending', 'nothing kept yet: it keeps polling');
    await first.complete(ANSWER);
    for (let i = 0; i < 5 && answered === 'pending'; i++) {
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waiting;
    assert.deepEqual(answered, ANSWER);
  });

  it('a copy gives up with no answer at its deadline; a first copy completed without an answer keeps none', async () => {
    const { dedupe, clock } = setup();
    const first = await dedupe.claim('c', 'a');
    const copy = await dedupe.claim('c', 'a');
    assert.ok(first.kind === 'first' && copy.kind === 'duplicate');
    const waiting = copy.answer(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1_000);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(100);
    }
    assert.equal(await waiting, null);
    await first.complete(null);
    const later = await dedupe.claim('c', 'a');
    assert.equal(later.kind, 'duplicate', 'still a duplicate: it ran once');
    assert.equal(later.kind === 'duplicate' ? await later.answer(0) : 'x', null);
  });

  it('clean-up pages through more than 500 records and removes only the expired ones', async () => {
    const { dedupe, clock, storage, background } = setup();
    for (let i = 0; i < 620; i++) await dedupe.claim('conv', `old-${i}`);
    clock.advance(DEDUPE_TTL_MS - 30_000);
    await dedupe.claim('conv', 'young');
    await background.drain();
    clock.advance(60_000); // the next clean-up is due a minute after the last
    await dedupe.claim('conv', 'trigger');
    await background.drain();
    assert.equal((await storage.list('inbound/')).length, 2, 'young and trigger are left');
  });

  it('exactly ten minutes after the first copy it is still a duplicate, even right after a clean-up at that moment', async () => {
    const { dedupe, clock, background } = setup();
    await dedupe.claim('conv-1', 'edge');
    clock.advance(DEDUPE_TTL_MS);
    assert.equal((await dedupe.claim('conv-1', 'trigger')).kind, 'first'); // starts a clean-up (a minute has passed)
    await background.drain();
    assert.equal((await dedupe.claim('conv-1', 'edge')).kind, 'duplicate');
    clock.advance(1);
    assert.equal((await dedupe.claim('conv-1', 'edge')).kind, 'first');
  });

  it('a copy waiting in the same process gets "no answer" as soon as the first completes without one', async () => {
    const { dedupe } = setup();
    const first = await dedupe.claim('c', 'a');
    const copy = await dedupe.claim('c', 'a');
    assert.ok(first.kind === 'first' && copy.kind === 'duplicate');
    let answered: unknown = 'pending';
    const waiting = copy.answer(10_000).then((a) => (answered = a));
    await first.complete(null);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, null, 'answered at once, not at the 10 s deadline (the clock has not moved)');
    await waiting;
  });

  it('a copy whose record was cleaned away meanwhile gets "no answer" instead of failing', async () => {
    const { storage, clock } = setup();
    const one = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    const two = createInboundDedupe({ storage, clock, logger: silentLogger, background: () => undefined });
    await one.claim('c', 'a');
    const copy = await two.claim('c', 'a');
    assert.ok(copy.kind === 'duplicate');
    for (const item of await storage.list('inbound/')) await storage.delete(item.key);
    assert.equal(await copy.answer(0), null);
  });

  it('when the answer cannot be kept, the first copy still completes and a warning is logged', async () => {
    const clock = new ManualClock();
    const memory = createMemoryStorage();
    const storage = {
      ...memory,
      put: <T>(key: string, value: T, condition: Parameters<typeof memory.put>[2]) =>
        'ifVersion' in condition ? Promise.reject(new Error('storage down')) : memory.put(key, value, condition),
    };
    const logger = createRecordingLogger();
    const dedupe = createInboundDedupe({ storage, clock, logger, background: () => undefined });
    const first = await dedupe.claim('c', 'a');
    assert.ok(first.kind === 'first');
    await first.complete(ANSWER);
    const warning = logger.lines.find((line) => line.level === 'warn');
    assert.equal(warning?.msg, 'could not keep the answer for re-deliveries');
    assert.equal((warning?.fields.err as Error | undefined)?.message, 'storage down');
  });
});
