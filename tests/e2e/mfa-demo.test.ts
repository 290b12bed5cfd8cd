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

const cardText = (frame: MessageFrame): string => JSON.stringify(adaptiveCardsOf(frame));

// `mfa` and `investigate` in the real demo (demo tenant + bot + Playground), driven through the Playground's API.
describe('e2e: mfa and investigate in the demo', function () {
  this.timeout(90_000);
  let child: ChildProcess;
  let output = '';
  let client: PlaygroundClient;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'secbot-e2e-mfa-'));
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
    client = createPlaygroundClient(/Playground \(open this\):\s+(\S+)/.exec(output)?.[1] ?? '');
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

  it('says mfatest2 is registered but never verified, with the remove and TAP buttons', async () => {
    const config = await client.config();
    await client.send(config.personalChat.id, 'mfa mfatest2@example.com');
    const two = await client.waitForMessage((f) => cardText(f).includes('mfatest2@example.com'), 20_000);
    assert.match(cardText(two), /Registered but not usable: registration was never verified/);
    assert.match(cardText(two), /remove-method/);
  });
});
