import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { PLAYGROUND_USERS } from '../../demo/constants';
import { DEMO_BOT_ID, DEMO_TENANT_ID } from '../../demo/constants';
import type { DemoTenant } from '../../demo/server';
import { freePort } from './demo-process';
import type { FakeConnector } from './fake-connector';

/** A real bot process (bot/main.ts under tsx, demo mode) and what it printed. */
export interface BotProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

type PlaygroundUser = (typeof PLAYGROUND_USERS)[number];

/** The group chat the approval tests designate as the approvals conversation. */
export const APPROVALS_GROUP = {
  id: 'group-approvals',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: DEMO_TENANT_ID,
};

/** Starts bot/main.ts in demo mode on a free port, against `tenant`, on `storageUrl`; resolves once /readyz is 200. */
export async function startBot(tenant: DemoTenant, storageUrl: string): Promise<BotProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      ...process.env,
      SECBOT_MODE: 'demo',
      PORT: String(port),
      GRAPH_BASE_URL: tenant.url,
      LOGIN_BASE_URL: tenant.url,
      STORAGE_URL: storageUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`bot not ready:\n${output}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exited = (bot: BotProcess): boolean => bot.child.exitCode !== null || bot.child.signalCode !== null;

/** SIGKILL: the process dies wherever it is, as a crash would. */
export async function kill9(bot: BotProcess): Promise<void> {
  if (exited(bot)) return;
  const done = once(bot.child, 'exit');
  bot.child.kill('SIGKILL');
  await done;
}

/** SIGTERM: a clean stop (the worker finishes what it runs, storage is closed). */
export async function stopBot(bot: BotProcess): Promise<void> {
  if (exited(bot)) return;
  const done = once(bot.child, 'exit');
  bot.child.kill('SIGTERM');
  await done;
}

/** A Teams activity from `user`, in the approvals group chat or in their personal chat, via the fake connector. */
export function activity(
  connector: FakeConnector,
  user: PlaygroundUser,
  where: 'group' | 'personal',
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    id: `act-${Math.random().toString(16).slice(2)}`,
    from: { id: user.playgroundId, name: user.displayName, aadObjectId: user.aadObjectId },
    recipient: { id: DEMO_BOT_ID, name: 'SecOps Bot' },
    conversation:
      where === 'group'
        ? APPROVALS_GROUP
        : { id: `personal-${user.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
    ...extra,
  };
}

/** An Approve click on the card of `data` by `user` (an adaptiveCard/action invoke). */
export function approveInvoke(
  connector: FakeConnector,
  user: PlaygroundUser,
  data: { requestId: string; hash: string },
): Record<string, unknown> {
  return activity(connector, user, 'group', {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'reply-2',
    value: { action: { type: 'Action.Execute', verb: 'approval.approve', data } },
  });
}

/** POSTs an activity to the bot; resolves with the HTTP answer and how long it took. */
export async function postActivity(
  bot: BotProcess,
  body: Record<string, unknown>,
): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

/** Polls `check` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The approval cards the connector received and answered, with the request id and hash their buttons carry. */
export function postedApprovalCards(connector: FakeConnector): { requestId: string; hash: string; path: string }[] {
  return connector.requests.flatMap((r) => {
    if (r.method !== 'POST' || r.status !== 200) return [];
    const match = /"verb":"approval\.approve","requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(
      JSON.stringify(r.body),
    );
    return match ? [{ requestId: match[1] ?? '', hash: match[2] ?? '', path: r.path }] : [];
  });
}
