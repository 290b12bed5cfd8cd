import assert from 'node:assert/strict';
import { hashForLog } from '../../../bot/log-values';
import { connectorBodies, startBotHarness, type BotHarness } from './bot-harness';

// reliability-security.md §8 row 9: 5 MB body → 413; a 10 KB UPN, NUL and bidi characters → a validation message;
// the value reaches the log only truncated and hashed.
describe('integration: oversized and hostile input (row 9, real HTTP)', function () {
  this.timeout(20_000);
  let h: BotHarness;
  before(async () => {
    h = await startBotHarness();
  });
  after(async () => {
    await h.close();
  });

  it('refuses a 5 MB body with 413 before any turn', async () => {
    const answer = await h.post(h.activity('alex', { text: `user ${'x'.repeat(5 * 1024 * 1024)}` }));
    assert.equal(answer.status, 413);
    assert.equal(h.tenant.stats().requests, 0);
  });

  const cases: { name: string; value: string; raw: RegExp }[] = [
    { name: 'a 10 KB UPN', value: `${'a'.repeat(10 * 1024)}@example.com`, raw: /a{200}/ },
    // eslint-disable-next-line no-control-regex -- the NUL character is what must not reach the log
    { name: 'a NUL character', value: 'ali\u0000ce@example.com', raw: /\u0000/ },
    { name: 'a bidi override', value: '\u202emoc.elpmaxe@ecila', raw: /\u202e/ },
  ];
  for (const { name, value, raw } of cases) {
    it(`${name}: a short validation message, and the log holds it only truncated and hashed`, async () => {
      const sentBefore = h.connector.requests.length;
      const logBefore = h.logger.lines.length;
      const answer = await h.post(h.activity('alex', { text: `user ${value}` }));
      assert.equal(answer.status, 200);
      const [reply] = connectorBodies(h.connector).slice(sentBefore);
      assert.match(reply ?? '', /is not a user/);
      assert.ok((reply ?? '').length < 600, 'the reply does not echo the input');
      assert.doesNotMatch(reply ?? '', raw);
      const lines = h.logger.lines.slice(logBefore);
      const rejected = lines.find((l) => l.msg === 'command arguments rejected');
      assert.equal(rejected?.fields.argsHash, hashForLog(value));
      assert.ok(String(rejected?.fields.args).length <= 120);
      const logged = lines.flatMap((l) => [l.msg, ...Object.values(l.fields)]).filter((v) => typeof v === 'string');
      for (const v of logged) assert.doesNotMatch(v, raw);
    });
  }
});
