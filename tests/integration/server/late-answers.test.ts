import assert from 'node:assert/strict';
import { graphMfaChecker } from '../../support/demo-turn';
import { startBotHarness, type BotHarness } from './bot-harness';

const DEADLINE_MS = 300;

// issue 10 item 12 over HTTP: Teams' request is answered by the deadline even when Graph is slow; the card follows
// as an update of the "working on it" message (PUT), through the messenger.
describe('integration: slow answers are delivered after Teams is answered (real HTTP)', function () {
  this.timeout(20_000);
  let h: BotHarness;
  before(async () => {
    h = await startBotHarness({
      tenant: { latencyMs: 400 },
      deadlineMs: DEADLINE_MS,
      routes: (graph) => ({
        mfa: graphMfaChecker(graph),
      }),
    });
  });
  after(async () => {
    await h.close();
  });

  it('answers a slow command by the deadline, then replaces "working on it" with the card', async () => {
    const started = Date.now();
    const answer = await h.post(h.activity('alex', { text: 'mfa mfatest1@example.com' }));
    const elapsed = Date.now() - started;
    assert.equal(answer.status, 200);
    assert.ok(elapsed < DEADLINE_MS + 1_000, `answered in ${elapsed} ms`);
    assert.ok(h.background.size > 0, 'the command is still running');
    await h.background.drain();
    const [working, update] = h.connector.requests;
    assert.equal(working?.method, 'POST');
    assert.match(JSON.stringify(working?.body), /Working on it/);
    assert.equal(update?.method, 'PUT');
    assert.ok(update?.path.endsWith(`/activities/${encodeURIComponent('reply-1')}`), update?.path);
    assert.match(JSON.stringify(update?.body), /MFA is usable/);
    assert.equal(h.connector.requests.length, 2, 'exactly one final answer');
  });

  it('answers a card button that runs a slow command at once; the card is posted when ready', async () => {
    const before = h.connector.requests.length;
    const answer = await h.post(
      h.activity('alex', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'command.run',
            data: { command: 'mfa', args: 'mfatest2@example.com' },
          },
        },
      }),
    );
    assert.equal(answer.status, 200);
    assert.match(answer.text, /Working on it/);
    await h.background.drain();
    const posted = h.connector.requests.slice(before);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]?.method, 'POST');
    assert.match(JSON.stringify(posted[0]?.body), /Registered but not usable/);
  });
});
