import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// report mfa through the real demo (bot + demo tenant + Playground): progress card, then the result with charts.
describe('e2e: report mfa in the demo', function () {
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

  it('posts a progress card, then the result with a donut, method bars, mfa buttons and a CSV link that downloads', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'report mfa');
    await client.waitForMessage((f) => cardText(f).includes('MFA report progress'), 30_000);
    const result = await client.waitForMessage(
      (f) => cardText(f).includes('"Chart.Donut"') && cardText(f).includes('Finished'),
      60_000,
    );
    const text = cardText(result);
    assert.match(text, /"Chart\.HorizontalBar"/);
    assert.match(text, /"command":"mfa","args":"nomfa@example\.com"/);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/report\/mfa\/[^"]+)"/.exec(text)?.[1];
    assert.ok(url, text);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"nomfa@example\.com","[^"]+","No MFA","not-registered"/);
    const forged = await fetch(url.replace(/t=[^&]+/, 't=x.y'));
    assert.equal(forged.status, 403);
  });
});
