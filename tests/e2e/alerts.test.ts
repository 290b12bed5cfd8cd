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

// The newcomer's alert demo: subscribe the Playground team's General channel, make a registration stall in the
// demo tenant, see the alert card arrive, press Investigate and get the investigation card in the thread.
describe('e2e: alerts in the Playground team channel', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let output = '';
  let client: PlaygroundClient;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'secbot-alerts-e2e-'));
    const [bot, graph, playground] = [await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, ['--import', 'tsx', 'bot/demo-start.ts'], {
      env: {
        ...process.env,
        PORT: String(bot),
        DEMO_GRAPH_PORT: String(graph),
        PLAYGROUND_PORT: String(playground),
        STORAGE_URL: `sqlite:${join(dataDir, 'secbot.db')}`,
        ALERT_POLL_SECONDS: '5',
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
