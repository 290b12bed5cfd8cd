import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlaygroundClient, type PlaygroundClient } from '../../demo/playground/client';
import { adaptiveCardsOf, type MessageFrame } from '../../demo/playground/frames';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cardText(frame: MessageFrame): string {
  return JSON.stringify(adaptiveCardsOf(frame));
}

function isUserCard(frame: MessageFrame, upn: string): boolean {
  const text = cardText(frame);
  return text.includes('Proxy addresses') && text.includes(upn);
}

// The whole demo as a newcomer runs it (`npm start`): three processes, driven through the Playground's own API.
describe('e2e: npm start (demo tenant + bot + Playground)', function () {
  this.timeout(90_000);
  let child: ChildProcess;
  let output = '';
  let client: PlaygroundClient;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'secbot-e2e-'));
    const [bot, graph, playground] = [await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, ['--import', 'tsx', 'bot/demo-start.ts'], {
      env: {
        ...process.env,
        PORT: String(bot),
        DEMO_GRAPH_PORT: String(graph),
        PLAYGROUND_PORT: String(playground),
        STORAGE_URL: `sqlite:${join(dataDir, 'secbot.db')}`,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 80_000;
    while (!/Playground \(open this\):\s+(\S+)/.test(output)) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = /Playground \(open this\):\s+(\S+)/.exec(output)?.[1] ?? '';
    client = createPlaygroundClient(url);
    await client.connect();
  });

  after(async () => {
    await client?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
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
    const pids = [...output.matchAll(/pids?: bot (\d+), Playground (\d+)|\(pid (\d+)\)/g)].flatMap((m) =>
      m.slice(1).filter(Boolean).map(Number),
    );
    assert.equal(pids.length, 3, output);
    child.kill('SIGINT');
    await once(child, 'exit');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(pids.filter(isAlive), []);
  });
});
