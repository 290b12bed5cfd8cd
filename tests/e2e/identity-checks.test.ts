import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

// A multi-line paste and the identity checks through the real demo: Playground → bot → demo tenant.
describe('e2e: sspr-check, sspr, signins, msa in the Playground', function () {
  this.timeout(90_000);
  let child: ChildProcess;
  let output = '';
  let client: PlaygroundClient;
  let dataDir: string;
  let chat = '';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'secbot-e2e-id-'));
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
    chat = (await client.config()).personalChat.id;
  });

  after(async () => {
    await client?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
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
