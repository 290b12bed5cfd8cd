import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_BOT_ID, DEMO_GRAPH_TOKEN, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../demo/constants';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../demo/server';
import { freePort } from './demo-process';
import { startFakeConnector, type FakeConnector } from './fake-connector';

/** A bot process (tsx bot/main.ts or node dist/bot/main.js) on a free loopback port. */
export interface BotProcess {
  child: ChildProcess;
  url: string;
  /** Everything the bot wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the exit; SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

export interface BotProcessOptions {
  /** The node arguments: the entry file, after any `--import tsx`. */
  args: string[];
  cwd?: string;
  /** Settings on top of demo mode, the port and LOG_LEVEL=warn. */
  env: Record<string, string>;
  /** How long to wait for `ready` (default 30 s). */
  timeoutMs?: number;
  /** The path polled until it answers 200 (default /readyz). */
  readyPath?: string;
}

/**
 * Spawns a bot in demo mode and waits until `readyPath` answers 200. NODE_OPTIONS is dropped so nothing (tsx)
 * is preloaded unless `args` asks for it.
 */
export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const port = await freePort();
  const { NODE_OPTIONS: _ignored, ...parentEnv } = process.env;
  let output = '';
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...parentEnv, SECBOT_MODE: 'demo', PORT: String(port), LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 30_000): Promise<number | null> => {
    if (hasExited()) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (hasExited()) throw new Error(`bot exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`bot not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    const ok = await fetch(`${url}${options.readyPath ?? '/readyz'}`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, url, output: () => output, exited, stop };
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A Teams message from Alex (an operator of the demo tenant) in his personal chat, replying to `serviceUrl`. */
export function demoMessage(serviceUrl: string, text: string): Record<string, unknown> {
  const alex = PLAYGROUND_USERS[0];
  return {
    type: 'message',
    id: `act-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    text,
    from: { id: alex.playgroundId, name: alex.displayName, aadObjectId: alex.aadObjectId },
    recipient: { id: DEMO_BOT_ID, name: 'SecOps Bot' },
    conversation: { id: `personal-${alex.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  };
}

/** POSTs an activity to the bot's /api/messages. */
export async function postActivity(url: string, activity: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
}

/** Polls `check` every 50 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a bot-process test works with; filled in by the suite's before hook. */
export interface BotProcessFixture {
  dir: string;
  tenant: DemoTenant;
  connector: FakeConnector;
  /** Set by the test; killed after the suite. */
  bot: BotProcess | undefined;
}

/**
 * Mocha hooks for a suite that runs a bot process: a temp folder, a demo tenant (static demo token) and a fake Bot
 * Connector before; the bot killed, the servers closed and the folder removed after.
 */
export function useBotProcessFixture(tenantOptions: DemoTenantOptions = {}): BotProcessFixture {
  const fixture = {} as BotProcessFixture;
  before(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), 'secbot-process-'));
    fixture.tenant = await startDemoTenant({ requireToken: DEMO_GRAPH_TOKEN, ...tenantOptions });
    fixture.connector = await startFakeConnector();
  });
  after(async () => {
    await fixture.bot?.stop('SIGKILL');
    await fixture.tenant?.close();
    await fixture.connector?.close();
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
