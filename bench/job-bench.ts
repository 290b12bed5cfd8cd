import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ConversationRef, Messenger } from '../services/messaging/port';

/** What the background-job benchmarks (forwarding sweep, report mfa) share: a conversation, a quiet messenger, a tenant. */
export const BENCH_CONVERSATION: ConversationRef = {
  conversationId: 'bench',
  conversationType: 'personal',
  tenantId: 'bench',
  serviceUrl: 'http://127.0.0.1:1',
  reference: {},
};

/** Cards go nowhere: the benchmark measures the job, not Teams. */
export const quietMessenger: Messenger = {
  send: () => Promise.resolve({ activityId: 'a1' }),
  update: () => Promise.resolve(),
  personalChat: (via) => Promise.resolve(via),
};

/**
 * The demo tenant with `users` generated users in its own process (published limits, injected latency), so the RSS
 * measured is the bot's alone; the benchmark's node flags are not passed on to it.
 */
export async function startTenant(
  users: number,
  latencyMs: number,
): Promise<{ url: string; stop: () => void; pid: number | undefined }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'demo', 'main.ts')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DEMO_GRAPH_PORT: '0',
      DEMO_EXTRA_USERS: String(users),
      DEMO_LATENCY_MS: String(latencyMs),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Demo tenant: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`demo tenant exited (${code ?? 'signal'})`)));
  });
  return { url, stop: () => child.kill('SIGTERM'), pid: child.pid };
}
