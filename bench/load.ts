import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_TENANT_ID, PLAYGROUND_USERS } from '../demo/constants';
import type { DemoStats } from '../demo/dispatch';
import { freePort } from '../tests/support/demo-process';
import { startFakeConnector, type ConnectorRequest } from '../tests/support/fake-connector';

/**
 * `npm run bench -- load`: 200 mixed commands, 20 at a time, POSTed over HTTP to the real bot process (bot/main.ts,
 * demo mode) on the demo tenant with Graph's published limits and an injected latency. Measures how fast Teams'
 * HTTP request is answered, and checks at a local connector that every command got exactly one final answer.
 */

const EMAIL = readFileSync(join(__dirname, '..', 'tests', 'fixtures', 'emails', 'sspr-genuine.eml'), 'utf8');
const MIX = [
  'mfa mfatest1@example.com',
  'signins risky@example.com',
  'sspr sspr.user@example.com',
  'investigate risky@example.com',
  `sspr-check\n${EMAIL}`,
  'user upntest@example.net',
  'mfa mfatest2@example.com',
  'forwarding forwarder@example.com',
  'signins mfatest1@example.com',
  'user noaudit@example.com',
];
// Waiting notices are not answers: "working on it" and its updates while Graph holds the work back.
const NOTICE = /Working on it|so I'm waiting/;

export interface LoadResult {
  commands: number;
  concurrency: number;
  latencyMs: number;
  http: { p50: number; p99: number; max: number; over5s: number; statuses: Record<string, number> };
  finals: { exactlyOne: number; none: number; more: number; cards: number; busy: number; otherText: number };
  lastFinalAfterMs: number;
  tenant429s: number;
}

type Operator = (typeof PLAYGROUND_USERS)[number];

/** A Teams message from `user` in a conversation of its own, so its answers can be counted at the connector. */
function activityFor(serviceUrl: string, conversationId: string, text: string, user: Operator | undefined) {
  const from = user ?? PLAYGROUND_USERS[0];
  return {
    type: 'message',
    id: `${conversationId}-activity`,
    channelId: 'msteams',
    serviceUrl,
    text,
    from: { id: from.playgroundId, name: from.displayName, aadObjectId: from.aadObjectId },
    recipient: { id: 'bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  };
}

async function post(url: string, activity: object): Promise<number> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  return response.status;
}

function tenantStats(tenant: ChildProcess): Promise<DemoStats> {
  const answer = once(tenant, 'message') as Promise<[DemoStats]>;
  tenant.send('stats');
  return answer.then(([stats]) => stats);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
}

/** What the bot posted or updated in one conversation that is an answer rather than a waiting notice. */
function finalsOf(requests: ConnectorRequest[]): string[] {
  return requests.map((r) => JSON.stringify(r.body)).filter((body) => !NOTICE.test(body));
}

export async function run(): Promise<LoadResult> {
  const commands = arg('commands', 200);
  const concurrency = arg('concurrency', 20);
  const latencyMs = arg('latency', 100);
  // Graph's stand-in and the bot each run in their own process, so this one only sends requests and counts answers.
  const tenant = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'tenant-process.ts')], {
    env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [line] = (await once(tenant.stdout ?? tenant, 'data')) as [Buffer];
  const tenantUrl = /ready (\S+)/.exec(line.toString())?.[1];
  if (!tenantUrl) throw new Error('the demo tenant did not start');
  const connector = await startFakeConnector();
  const port = await freePort();
  const bot = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      SECBOT_MODE: 'demo',
      PORT: String(port),
      GRAPH_BASE_URL: tenantUrl,
      STORAGE_URL: 'sqlite::memory:',
      LOG_LEVEL: 'warn',
      // Two demo operators send all 200 commands; the per-person limit is not what this measures.
      CALLER_RATE_PER_MINUTE: '10000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i += 1) {
      if (
        (await fetch(`${url}/healthz`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        break;
      if (i > 240) throw new Error('the bot did not start');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const operators = PLAYGROUND_USERS.filter((u) => (u.roles as readonly string[]).includes('operator'));
    // A process just started compiles and caches as its first requests arrive; the run measures the steady state.
    for (const [i, text] of ['help', 'user alexw@example.com', 'help', 'user adelev@example.com'].entries())
      await post(url, activityFor(connector.serviceUrl, `warm-${i}`, text, operators[i % operators.length]));
    const httpMs: number[] = [];
    const statuses: Record<string, number> = {};
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < commands) {
        const i = next++;
        const activity = activityFor(
          connector.serviceUrl,
          `bench-${i}`,
          MIX[i % MIX.length] ?? 'help',
          operators[i % operators.length],
        );
        const t0 = performance.now();
        const status = await post(url, activity);
        httpMs.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    const byConversation = (): Map<string, ConnectorRequest[]> => {
      const map = new Map<string, ConnectorRequest[]>();
      for (const r of connector.requests) {
        const id = decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(r.path)?.[1] ?? '');
        map.set(id, [...(map.get(id) ?? []), r]);
      }
      return map;
    };
    const deadline = Date.now() + 15 * 60_000;
    let lastFinalAfterMs = 0;
    for (;;) {
      const map = byConversation();
      const done = Array.from({ length: commands }, (_, i) => finalsOf(map.get(`bench-${i}`) ?? []).length > 0);
      if (done.every(Boolean)) {
        lastFinalAfterMs = performance.now() - started;
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Late duplicates would arrive after the last first answer; give them a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const map = byConversation();
    const finals = { exactlyOne: 0, none: 0, more: 0, cards: 0, busy: 0, otherText: 0 };
    for (let i = 0; i < commands; i += 1) {
      const answers = finalsOf(map.get(`bench-${i}`) ?? []);
      if (answers.length === 1) finals.exactlyOne += 1;
      else if (answers.length === 0) finals.none += 1;
      else finals.more += 1;
      const first = answers[0] ?? '';
      if (first.includes('AdaptiveCard')) finals.cards += 1;
      else if (first.includes('The bot is busy')) finals.busy += 1;
      else if (first !== '') finals.otherText += 1;
    }
    const sorted = [...httpMs].sort((a, b) => a - b);
    const result: LoadResult = {
      commands,
      concurrency,
      latencyMs,
      http: {
        p50: Math.round(percentile(sorted, 50)),
        p99: Math.round(percentile(sorted, 99)),
        max: Math.round(sorted.at(-1) ?? 0),
        over5s: sorted.filter((ms) => ms > 5_000).length,
        statuses,
      },
      finals,
      lastFinalAfterMs: Math.round(lastFinalAfterMs),
      tenant429s: await tenantStats(tenant).then((stats) => stats.throttled),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    bot.kill('SIGTERM');
    await once(bot, 'exit');
    await connector.close();
    tenant.kill('SIGTERM');
    await once(tenant, 'exit');
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
