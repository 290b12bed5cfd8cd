import assert from 'node:assert/strict';
import { graphMfaChecker } from '../../support/demo-turn';
import { startBotHarness, type BotHarness } from './bot-harness';

const DEADLINE_MS = 300;
const isAnswer = (body: unknown): boolean => /MFA is usable/.test(JSON.stringify(body));

// Late answers as the bot sends them in production (bot/main.ts): the late messenger → the send queue → the messenger
// → the proactive adapter, over real HTTP to a fake Bot Connector. The answer replaces "working on it" exactly once:
// a throttled update waits and is retried by the queue; a 500 is not retried by anyone (the SDK's own retry policy is
// removed), and the answer is posted instead.
describe('integration: a late answer is delivered once, through the send queue (real HTTP)', function () {
  this.timeout(30_000);
  let h: BotHarness;
  beforeEach(async () => {
    h = await startBotHarness({
      production: true,
      tenant: { latencyMs: 400 },
      deadlineMs: DEADLINE_MS,
      routes: (graph) => ({
        mfa: graphMfaChecker(graph),
      }),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('Teams throttles the update (429, Retry-After 1 s): one retry after the wait, one answer', async () => {
    h.connector.failSends(1, 429, 1, isAnswer);
    const answer = await h.post(h.activity('alex', { text: 'mfa mfatest1@example.com' }));
    assert.equal(answer.status, 200);
    const started = Date.now();
    await h.background.drain();
    const waited = Date.now() - started;
    const requests = h.connector.requests.map((r) => [r.method, r.status, isAnswer(r.body)]);
    assert.deepEqual(requests, [
      ['POST', 200, false],
      ['PUT', 429, true],
      ['PUT', 200, true],
    ]);
    const [working, throttled, delivered] = h.connector.requests;
    assert.match(JSON.stringify(working?.body), /Working on it/);
    assert.equal(throttled?.path, delivered?.path, 'the same message is updated');
    assert.ok(delivered?.path.endsWith(`/activities/${encodeURIComponent('reply-1')}`), delivered?.path);
    assert.ok(waited >= 900, `the retry waited for Retry-After: ${waited} ms`);
  });

  it('a 500 on the update is not retried: the answer is posted once instead', async () => {
    h.connector.failSends(1, 500, undefined, isAnswer);
    await h.post(h.activity('alex', { text: 'mfa mfatest1@example.com' }));
    await h.background.drain();
    const requests = h.connector.requests.map((r) => [r.method, r.status, isAnswer(r.body)]);
    assert.deepEqual(requests, [
      ['POST', 200, false],
      ['PUT', 500, true],
      ['POST', 200, true],
    ]);
  });
});
