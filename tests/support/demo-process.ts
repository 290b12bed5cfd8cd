import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlaygroundClient, type PlaygroundClient } from '../../demo/playground/client';
import { adaptiveCardsOf, type MessageFrame } from '../../demo/playground/frames';

const PLAYGROUND_LINE = /Playground \(open this\):\s+(\S+)/;

/** A port that was free on 127.0.0.1 a moment ago (never the demo's default ports, which others use). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The Adaptive Cards of a Playground frame as one JSON string, for matching. */
export const cardText = (frame: MessageFrame): string => JSON.stringify(adaptiveCardsOf(frame));

export interface DemoOptions {
  /** Extra environment for the demo process (on top of the ports, storage and LOG_LEVEL=warn). */
  env?: Record<string, string>;
  /** How long to wait for the Playground line in the output; 80 s unless told. */
  timeoutMs?: number;
}

/** `npm start` (demo/start.ts) running on free ports with its own SQLite file, and a connected Playground client. */
export interface DemoProcess {
  /** The Playground URL the demo printed. */
  url: string;
  client: PlaygroundClient;
  ports: { bot: number; graph: number; playground: number };
  /** Everything the demo wrote to stdout and stderr so far. */
  output(): string;
  /** Ctrl-C: SIGINT to the demo process, resolves once it exited (at once if it already had). */
  interrupt(): Promise<void>;
  /** Closes the client, interrupts the demo and removes its data directory. */
  stop(): Promise<void>;
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Spawns the whole demo (demo tenant + bot + Playground) and connects a Playground client to it. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'secbot-e2e-'));
  const ports = { bot: await freePort(), graph: await freePort(), playground: await freePort() };
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    env: {
      ...process.env,
      PORT: String(ports.bot),
      DEMO_GRAPH_PORT: String(ports.graph),
      PLAYGROUND_PORT: String(ports.playground),
      STORAGE_URL: `sqlite:${join(dataDir, 'secbot.db')}`,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const interrupt = async (): Promise<void> => {
    if (hasExited(child)) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
  };
  let client: PlaygroundClient | undefined;
  const stop = async (): Promise<void> => {
    await client?.close();
    await interrupt();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (options.timeoutMs ?? 80_000);
    while (!PLAYGROUND_LINE.test(output)) {
      if (hasExited(child)) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = PLAYGROUND_LINE.exec(output)?.[1] ?? '';
    client = createPlaygroundClient(url);
    await client.connect();
    return { url, client, ports, output: () => output, interrupt, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
