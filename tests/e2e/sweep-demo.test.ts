import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// forwarding and sweep through the real demo (bot + demo tenant + Playground): the summary arrives proactively.
describe('e2e: forwarding and sweep in the demo', function () {
  this.timeout(120_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;

  before(async () => {
    demo = await startDemo({ timeoutMs: 100_000 });
    client = demo.client;
  });

  after(async () => {
    await demo?.stop();
  });

  it('forwarding <upn> shows rules, mailbox forwarding (Exchange, on in demo) and the hidden-rules note', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'forwarding forwarder@example.com');
    const frame = await client.waitForMessage((f) => cardText(f).includes('Mail forwarding'), 30_000);
    const text = cardText(frame);
    assert.match(text, /Verdict: HIGH/);
    assert.match(text, /Mailbox forwards \(ForwardingSmtpAddress\)/);
    assert.match(text, /Hidden inbox rules/);
  });

  it('sweep forwarding posts a progress card, then a summary with a CSV link that downloads', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'sweep forwarding');
    await client.waitForMessage((f) => cardText(f).includes('Forwarding sweep progress'), 30_000);
    const summary = await client.waitForMessage((f) => cardText(f).includes('Forwarding sweep: summary'), 60_000);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/sweep\/[^"]+)"/.exec(cardText(summary))?.[1];
    assert.ok(url, cardText(summary));
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /forwarder@example\.com.*forward-external/);
    const forged = await fetch(url.replace(/t=[^&]+/, 't=x.y'));
    assert.equal(forged.status, 403);
  });
});
