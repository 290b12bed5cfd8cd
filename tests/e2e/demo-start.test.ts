import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import type { MessageFrame } from '../../demo/playground/frames';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isUserCard(frame: MessageFrame, upn: string): boolean {
  const text = cardText(frame);
  return text.includes('Proxy addresses') && text.includes(upn);
}

// The whole demo as a newcomer runs it (`npm start`): three processes, driven through the Playground's own API.
describe('e2e: npm start (demo tenant + bot + Playground)', function () {
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

  it('answers help with the command card in the personal chat', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'help');
    const frame = await client.waitForMessage((f) => cardText(f).includes('SecOps Bot commands'), 20_000);
    assert.match(cardText(frame), /user <upn>/);
  });

  it('answers user <seeded upn> with the summary card', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'user upntest@example.net');
    const frame = await client.waitForMessage((f) => isUserCard(f, 'upntest@example.net'), 20_000);
    const card = cardText(frame);
    assert.match(card, /Synced from on-premises AD/);
    assert.match(card, /kept as an smtp: proxy by design/);
    assert.match(card, /upntest@example\.com/);
  });

  it('reads a question with a name as a command: the name resolved in the demo directory, the answer says how', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'tell me about Nora?');
    const frame = await client.waitForMessage((f) => isUserCard(f, 'noaudit@example.com'), 20_000);
    assert.match(cardText(frame), /"text":"Reading this as ".*?"text":"user noaudit@example\.com"/);
  });

  it('serves an operator in the group chat (with the mention) and refuses a plain user', async () => {
    const config = await client.config();
    const group = config.groupChats[0]?.id ?? '';
    await client.send(group, 'user noaudit@example.com', { from: 'user-id-2', mentionBot: true });
    const card = await client.waitForMessage((f) => isUserCard(f, 'noaudit@example.com'), 20_000);
    assert.match(cardText(card), /Not licensed: MailItemsAccessed is not recorded/);
    await client.send(group, 'user noaudit@example.com', { from: 'user-id-3', mentionBot: true });
    const denial = await client.waitForMessage(
      (f) => (f.message.text ?? '').includes("not in the bot's operators group"),
      20_000,
    );
    assert.equal(denial.actionConversationId, group);
  });

  it('stops all three processes on Ctrl-C', async () => {
    const output = demo.output();
    const pids = [...output.matchAll(/pids?: bot (\d+), Playground (\d+)|\(pid (\d+)\)/g)].flatMap((m) =>
      m.slice(1).filter(Boolean).map(Number),
    );
    assert.equal(pids.length, 3, output);
    await demo.interrupt();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(pids.filter(isAlive), []);
  });
});
