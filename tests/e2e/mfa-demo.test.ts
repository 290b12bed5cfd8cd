import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { adaptiveCardsOf } from '../../demo/playground/frames';
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

    // The operator unticks the phone and presses "Contain selected": Teams posts the choice set's value as `items`.
    const choices = adaptiveCardsOf(frame)
      .flatMap(
        (c) =>
          ((c as { body?: unknown[] }).body ?? []) as { items?: { type?: string; choices?: { value: string }[] }[] }[],
      )
      .flatMap((b) => b.items ?? [])
      .find((e) => e.type === 'Input.ChoiceSet');
    const keys = (choices?.choices ?? []).map((c) => c.value).filter((k) => !k.startsWith('method:'));
    // The Graph sections' grant and device, and the Exchange sections' FullAccess delegate and ActiveSync phone
    // (the demo enables the Exchange admin API).
    assert.deepEqual(
      keys.map((k) => k.split(':')[0]),
      ['grant', 'device', 'delegate', 'mobile-device'],
    );
    // The whole card, Exchange sections included, stays under Teams' ~28 KB message limit.
    assert.ok(Buffer.byteLength(text) < 26 * 1024, `${Buffer.byteLength(text)} bytes`);
    await client.invoke(frame.actionConversationId ?? config.personalChat.id, frame.message.messageId, {
      verb: 'contain.pick',
      data: { verb: 'contain.pick', upn: 'compromised@example.com', items: keys.join(','), justification: 'phished' },
    });
    const request = await client.waitForMessage(
      (f) => cardText(f).includes('DESKTOP-7Q2K9XB') && cardText(f).includes('approval.approve'),
      30_000,
    );
    const asked = cardText(request);
    assert.match(asked, /Mail Backup Pro/);
    assert.match(asked, /svc-mailbackup@example\.com/);
    assert.match(asked, /Block the mobile device/);
    assert.doesNotMatch(asked, /\+40 721555501/, 'the unticked phone is not in the request');
  });

  it('says mfatest2 is registered but never verified, with the remove and TAP buttons', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'mfa mfatest2@example.com');
    const two = await client.waitForMessage((f) => cardText(f).includes('mfatest2@example.com'), 20_000);
    assert.match(cardText(two), /Registered but not usable: registration was never verified/);
    assert.match(cardText(two), /remove-method/);
  });
});
