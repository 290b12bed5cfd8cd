import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// `mfa` and `investigate` in the real demo (demo tenant + bot + Playground), driven through the Playground's API.
describe('e2e: mfa and investigate in the demo', function () {
  this.timeout(90_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;

  before(async () => {
    demo = await startDemo();
    client = demo.client;
  });

  after(async () => {
    await demo?.stop();
  });

  it('answers investigate with the compromised-account card', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'investigate risky@example.com');
    const frame = await client.waitForMessage((f) => cardText(f).includes('Investigation'), 20_000);
    const text = cardText(frame);
    assert.match(text, /Identity Protection/);
    assert.match(text, /Lagos/);
    assert.match(text, /Inbox rules and forwarding/);
    assert.match(text, /Verdict: OK\./);
    assert.match(text, /Hidden inbox rules/);
    assert.doesNotMatch(text, /Not checked yet/);
  });

  it("investigate compromised@example.com: the attacker's app, device and phone, the timeline and Contain selected", async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'investigate compromised@example.com');
    const frame = await client.waitForMessage(
      (f) => cardText(f).includes('Investigation') && cardText(f).includes('compromised@example.com'),
      30_000,
    );
    const text = cardText(frame);
    assert.match(text, /Mail Backup Pro/);
    assert.match(text, /unverified third party/);
    assert.match(text, /DESKTOP-7Q2K9XB/);
    assert.match(text, /Method added/);
    assert.match(text, /FIRST SUSPICIOUS — .*Signed in from a new country/);
    assert.match(text, /Contain selected/);
    assert.match(text, /contain\.pick/);
  });

  it('says mfatest2 is registered but never verified, with the remove and TAP buttons', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'mfa mfatest2@example.com');
    const two = await client.waitForMessage((f) => cardText(f).includes('mfatest2@example.com'), 20_000);
    assert.match(cardText(two), /Registered but not usable: registration was never verified/);
    assert.match(cardText(two), /remove-method/);
  });
});
