import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './demo-process';

/** The real bot (bot/main.ts) as a child process, ready once /readyz answers 200. */
export interface BotProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown code runs, leases stay held until they expire. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function signal(child: ChildProcess, name: NodeJS.Signals): Promise<void> {
  if (exited(child)) return;
  const done = once(child, 'exit');
  child.kill(name);
  await done;
}

/** Starts bot/main.ts in demo mode on a free port with `env` on top (STORAGE_URL, DEMO_GRAPH_PORT, …). */
export async function startBotProcess(env: Record<string, string>, timeoutMs = 40_000): Promise<BotProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: { ...process.env, SECBOT_MODE: 'demo', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child)) throw new Error(`bot exited:\n${output}`);
    if (Date.now() > deadline) {
      await signal(child, 'SIGKILL');
      throw new Error(`bot not ready:\n${output}`);
    }
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    kill9: () => signal(child, 'SIGKILL'),
    stop: () => signal(child, 'SIGTERM'),
  };
}
