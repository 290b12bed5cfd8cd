import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// The newcomer's alert demo: subscribe the Playground team's General channel, make a registration stall in the
// demo tenant, see the alert card arrive, press Investigate and get the investigation card in the thread.
describe('e2e: alerts in the Playground team channel', function () {
  this.timeout(120_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;

  before(async () => {
    demo = await startDemo({ env: { ALERT_POLL_SECONDS: '5' } });
    client = demo.client;
  });

  after(async () => {
    await demo?.stop();
  });

  it('alerts on, emit the unverified registration, the card arrives; Investigate answers in the thread', async () => {
    await client.send('team-id', 'alerts on');
    await client.waitForMessage((f) => (f.message.text ?? '').includes('Alerts are on for this channel'), 20_000);

    await client.send('team-id', 'alerts emit stalled-registration');
    await client.waitForMessage((f) => (f.message.text ?? '').includes('stalled-registration happened'), 20_000);
    const emittedAt = Date.now();

    const alert = await client.waitForMessage(
      (f) =>
        cardText(f).includes('Authenticator added but never verified') && cardText(f).includes('lynner@example.com'),
      30_000,
    );
    // Poll interval (5 s here) + 2 s, plus the poller's first tick after start-up.
    assert.ok(Date.now() - emittedAt < 5_000 + 2_000 + 5_000, `arrived after ${Date.now() - emittedAt} ms`);
    assert.match(cardText(alert), /"title":"Investigate"/);
    assert.match(cardText(alert), /"title":"Revoke sessions"/);

    const thread = alert.message.postConversationId ?? alert.actionConversationId;
    await client.invoke(thread, alert.message.messageId, {
      verb: 'command.run',
      data: { verb: 'command.run', command: 'investigate', args: 'lynner@example.com' },
    });
    const investigation = await client.waitForMessage(
      (f) => cardText(f).includes('Investigation') && cardText(f).includes('lynner@example.com'),
      30_000,
    );
    assert.equal(investigation.actionConversationId, thread);

    await client.send('team-id', 'alerts status');
    const status = await client.waitForMessage((f) => cardText(f).includes('Active poller'), 20_000);
    assert.match(cardText(status), /1 delivered/);
  });
});
