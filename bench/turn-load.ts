import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createBotAuthentication } from '../bot/auth';
import { loadConfig, type Config } from '../bot/config';
import { createBotServer, type BotServerOptions } from '../bot/server';
import { DEMO_TENANT_ID } from '../demo/constants';
import { silentLogger } from '../services/log';
import { percentile } from './timing';

/** The bot's real HTTP edge (restify + CloudAdapter, demo mode, anonymous) around `onTurn`, on a free port. */
export async function serveTurns(
  onTurn: BotServerOptions['onTurn'],
  config: Config = loadConfig({ SECBOT_MODE: 'demo', PORT: '0', LOG_LEVEL: 'silent' }),
): Promise<{ url: string; close: () => Promise<void> }> {
  const bot = createBotServer({
    config,
    logger: silentLogger,
    auth: createBotAuthentication(config),
    onTurn,
    readiness: () => Promise.resolve({}),
  });
  const { url } = await bot.listen();
  return { url, close: () => bot.close() };
}

/** A Bot Connector stand-in that tells the sender when the reply to each activity arrives. */
export interface ReplyConnector {
  serviceUrl: string;
  /** Resolves with the arrival time (performance.now()) of the bot's reply to `activityId`. */
  replyTo(activityId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startReplyConnector(): Promise<ReplyConnector> {
  const waiting = new Map<string, (at: number) => void>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      // Replies go to /v3/conversations/{conversation}/activities/{id of the activity answered}.
      const id = decodeURIComponent(/\/activities\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
      waiting.get(id)?.(at);
      waiting.delete(id);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `reply-${id}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    replyTo: (activityId) => new Promise((resolve) => waiting.set(activityId, resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Throughput and per-message latency (POST sent → reply at the connector) of one load run. */
export interface TurnLoadResult {
  messages: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Sends `messages` Teams message activities with `text`, `concurrency` at a time, spread round-robin over the bot
 * endpoints (as a load balancer would) and the callers; each worker sends its next message once the reply arrived.
 */
export async function drive(options: {
  endpoints: readonly string[];
  connector: ReplyConnector;
  text: string;
  messages: number;
  concurrency: number;
  callers: readonly { aadObjectId: string; name: string }[];
}): Promise<TurnLoadResult> {
  const latencies: number[] = [];
  let sent = 0;
  const one = async (n: number): Promise<void> => {
    const id = `act-${randomUUID()}`;
    const caller = options.callers[n % options.callers.length];
    const endpoint = options.endpoints[n % options.endpoints.length];
    const reply = options.connector.replyTo(id);
    const start = performance.now();
    const res = await fetch(`${endpoint}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        channelId: 'msteams',
        serviceUrl: options.connector.serviceUrl,
        text: options.text,
        from: { id: `user-${n % options.callers.length}`, name: caller?.name, aadObjectId: caller?.aadObjectId },
        recipient: { id: 'bot' },
        conversation: {
          id: `a:bench-${n % options.concurrency}`,
          conversationType: 'personal',
          tenantId: DEMO_TENANT_ID,
        },
        channelData: { tenant: { id: DEMO_TENANT_ID } },
      }),
    });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`bot answered ${res.status}`);
    latencies.push((await reply) - start);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (sent < options.messages) await one(sent++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    messages: options.messages,
    perSecond: options.messages / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
