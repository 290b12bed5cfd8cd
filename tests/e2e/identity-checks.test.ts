import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaygroundClient } from '../../demo/playground/client';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// A multi-line paste and the identity checks through the real demo: Playground → bot → demo tenant.
describe('e2e: sspr-check, sspr, signins, msa in the Playground', function () {
  this.timeout(90_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;
  let chat = '';

  before(async () => {
    demo = await startDemo();
    client = demo.client;
    chat = (await client.config()).personalChat.id;
  });

  after(async () => {
    await demo?.stop();
  });

  it('judges the pasted genuine email about sspr.user as genuine (the paste keeps its lines)', async () => {
    // The demo seeds sspr.user's failed SSPR attempt an hour before it started; the email follows it.
    const sent = new Date(Date.now() - 50 * 60_000).toUTCString().replace('GMT', '+0000');
    const email = readFileSync(join(__dirname, '..', 'fixtures', 'emails', 'sspr-genuine.eml'), 'utf8').replace(
      /^Date: .*$/m,
      `Date: ${sent}`,
    );
    await client.send(chat, `sspr-check\n${email}`);
    const frame = await client.waitForMessage((f) => cardText(f).includes('SSPR request email check'), 20_000);
    assert.match(cardText(frame), /\*\*Genuine\*\*/);
    assert.match(cardText(frame), /203\.0\.113\.45/);
  });

  it('answers sspr, signins and msa for the seeded users', async () => {
    await client.send(chat, 'sspr sspr.user@example.com');
    const sspr = await client.waitForMessage((f) => cardText(f).includes('Self-service password reset'), 20_000);
    assert.match(cardText(sspr), /Failed → told to contact an admin/);
    await client.send(chat, 'signins risky@example.com');
    const signins = await client.waitForMessage((f) => cardText(f).includes('Sign-ins and risk'), 20_000);
    assert.match(cardText(signins), /Sign-in from a new country/);
    assert.match(cardText(signins), /Mobile app notification/);
    await client.send(chat, 'msa consumer@example.com');
    const msa = await client.waitForMessage((f) => cardText(f).includes('Personal Microsoft account?'), 20_000);
    assert.match(cardText(msa), /also has a personal Microsoft account/);
  });
});
