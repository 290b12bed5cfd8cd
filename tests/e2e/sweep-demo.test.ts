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

// forwarding and sweep through the real demo (bot + demo tenant + Playground): the summary arrives proactively.
describe('e2e: forwarding and sweep in the demo', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let output = '';
  let client: PlaygroundClient;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'secbot-sweep-e2e-'));
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
    const deadline = Date.now() + 100_000;
    while (!/Playground \(open this\):\s+(\S+)/.test(output)) {
      if (child.exitCode !== null) throw new Error(`demo exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`demo did not come up:\n${output}`);
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
