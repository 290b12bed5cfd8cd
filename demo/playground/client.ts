import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { z } from 'zod';
import { silentLogger, type Logger } from '../../services/log';
import { findPlaygroundUser, parsePlaygroundConfig, type PlaygroundConfig } from './config';
import { PlaygroundError } from './errors';
import { isMessageFrame, parseFrame, type MessageFrame, type PlaygroundFrame } from './frames';

/** Who sends a message and whether it @mentions the bot (default: mention everywhere but the personal chat). */
export interface SendOptions {
  from?: string;
  mentionBot?: boolean;
}

/** What the Playground returns for a sent message; `postConversationId` is the new thread of a channel post. */
export interface SentMessage {
  messageId: string;
  postConversationId?: string;
}

/** The bot's invoke response as relayed by the Playground (it drops the bot's statusCode). */
export interface InvokeResult {
  type?: string;
  value?: unknown;
}

/** A client of the Playground's undocumented local API, for automated tests and the demo start script. */
export interface PlaygroundClient {
  readonly url: string;
  readonly frames: readonly PlaygroundFrame[];
  config(): Promise<PlaygroundConfig>;
  connect(): Promise<void>;
  send(conversationId: string, text: string, options?: SendOptions): Promise<SentMessage>;
  invoke(
    conversationId: string,
    replyToId: string,
    action: { verb: string; data: Record<string, unknown> },
    from?: string,
  ): Promise<InvokeResult>;
  submit(conversationId: string, replyToId: string, value: Record<string, unknown>, from?: string): Promise<void>;
  installBot(conversationId: string): Promise<void>;
  waitForMessage(predicate: (frame: MessageFrame) => boolean, timeoutMs?: number): Promise<MessageFrame>;
  close(): Promise<void>;
}

/** Dependencies of the client; fetch is injected so tests can observe requests. */
export interface PlaygroundClientOptions {
  fetch?: typeof fetch;
  logger?: Logger;
}

const sentSchema = z.object({ messageId: z.coerce.string(), postConversationId: z.string().optional() });
const invokeResultSchema = z.object({ type: z.string().optional(), value: z.unknown() });
const errorBodySchema = z.object({ code: z.string(), message: z.string() });
const templateSchema = z.looseObject({
  serviceUrl: z.string(),
  channelId: z.string(),
  recipient: z.object({ id: z.string(), name: z.string().optional() }),
  conversation: z.looseObject({ id: z.string() }),
});

type Waiter = {
  predicate: (frame: MessageFrame) => boolean;
  resolve: (frame: MessageFrame) => void;
  reject: (err: Error) => void;
};

function summarize(frames: readonly PlaygroundFrame[]): string {
  const last = frames
    .slice(-5)
    .map((f) =>
      isMessageFrame(f) ? `${f.action} ${f.message.messageId} ${JSON.stringify(f.message.text ?? '')}` : f.action,
    );
  return frames.length === 0 ? 'no frames received' : `${frames.length} frames, last: ${last.join('; ')}`;
}

/** Creates a client for the Playground at `url` (for example the `url` of startPlayground). */
export function createPlaygroundClient(url: string, options: PlaygroundClientOptions = {}): PlaygroundClient {
  const base = url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const logger = options.logger ?? silentLogger;
  const frames: PlaygroundFrame[] = [];
  const waiters = new Set<Waiter>();
  let socket: WebSocket | undefined;
  let cachedConfig: Promise<PlaygroundConfig> | undefined;

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: unknown = undefined;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
    }
    if (!res.ok) {
      const error = errorBodySchema.safeParse(json);
      const detail = error.success ? `${error.data.code}: ${error.data.message}` : text.slice(0, 300);
      throw new PlaygroundError('playground_request_failed', `${method} ${path} answered ${res.status} (${detail}).`);
    }
    return json;
  }

  function config(): Promise<PlaygroundConfig> {
    if (cachedConfig === undefined) {
      const pending = request('GET', '/_internal/v1/config').then(parsePlaygroundConfig);
      pending.catch(() => {
        if (cachedConfig === pending) cachedConfig = undefined;
      });
      cachedConfig = pending;
    }
    return cachedConfig;
  }

  function user(cfg: PlaygroundConfig, id: string): { id: string; name: string; aadObjectId: string } {
    const found = findPlaygroundUser(cfg, id);
    if (found === undefined) {
      throw new PlaygroundError(
        'playground_unknown_user',
        `The Playground has no user ${id}; it knows user-id-0 to user-id-${cfg.users.length}.`,
      );
    }
    return { id: found.id, name: found.name, aadObjectId: found.aadObjectId };
  }

  function isPersonal(cfg: PlaygroundConfig, conversationId: string): boolean {
    return conversationId === cfg.personalChat.id;
  }

  function channelDataFor(cfg: PlaygroundConfig, conversationId: string): Record<string, unknown> {
    const channelId = conversationId.split(';')[0] ?? conversationId;
    const team = cfg.teams.find((t) => t.channels.some((c) => c.id === channelId));
    const tenant = { id: cfg.tenantId };
    if (team === undefined) return { tenant };
    return {
      teamsChannelId: channelId,
      teamsTeamId: team.id,
      tenant,
      team: { id: team.id },
      channel: { id: channelId },
    };
  }

  function deliver(frame: PlaygroundFrame, botId: string): void {
    frames.push(frame);
    if (!isMessageFrame(frame) || frame.message.from.id !== botId) return;
    for (const waiter of waiters) {
      if (waiter.predicate(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  }

  async function connect(): Promise<void> {
    if (socket !== undefined) return;
    const { bot } = await config();
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`);
    socket = ws;
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(new Uint8Array(data)).toString('utf8');
      const frame = parseFrame(text);
      if (frame === undefined) {
        logger.warn({ frame: text.slice(0, 300) }, 'Unknown Playground WebSocket frame ignored');
        return;
      }
      deliver(frame, bot.id);
    });
    ws.on('close', () => {
      for (const waiter of waiters)
        waiter.reject(new PlaygroundError('playground_closed', 'The Playground WebSocket closed.'));
      waiters.clear();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (err) =>
        reject(new PlaygroundError('playground_request_failed', `WebSocket to ${base}: ${err.message}`)),
      );
    });
  }

  async function send(conversationId: string, text: string, opts: SendOptions = {}): Promise<SentMessage> {
    const cfg = await config();
    const from = user(cfg, opts.from ?? cfg.currentUser.id);
    const mention = opts.mentionBot ?? !isPersonal(cfg, conversationId);
    const atBot = `<at>${cfg.bot.name}</at>`;
    const fullText = mention ? `${atBot} ${text}` : text;
    if (from.id === cfg.currentUser.id) {
      const body = {
        type: 'text',
        text: fullText,
        textFormat: 'plain',
        from: { id: from.id },
        ...(mention ? { mentions: [{ mentioned: { id: cfg.bot.id, name: cfg.bot.name }, text: atBot }] } : {}),
      };
      return sentSchema.parse(
        await request('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body),
      );
    }
    // The messages API checks `from` but always sends as the current user, so another user's message goes
    // through the custom-activity API: the bot gets it as sent, the Playground neither stores nor shows it.
    const template = templateSchema.parse(
      await request(
        'GET',
        `/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`,
      ),
    );
    const now = new Date().toISOString();
    const activity = {
      ...template,
      type: 'message',
      id: randomUUID(),
      timestamp: now,
      localTimestamp: now,
      from,
      text: fullText,
      textFormat: 'plain',
      locale: 'en-US',
      entities: mention ? [{ type: 'mention', mentioned: { id: cfg.bot.id, name: cfg.bot.name }, text: atBot }] : [],
      channelData: channelDataFor(cfg, conversationId),
    };
    await request('POST', '/_internal/v1/customActivities', activity);
    return { messageId: activity.id };
  }

  async function invoke(
    conversationId: string,
    replyToId: string,
    action: { verb: string; data: Record<string, unknown> },
    from?: string,
  ): Promise<InvokeResult> {
    const cfg = await config();
    const body = {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data } },
      from: { id: from ?? cfg.currentUser.id },
      conversation: { id: conversationId },
      replyToId,
    };
    return invokeResultSchema.parse(await request('POST', '/_conversation/v1/invoke', body));
  }

  async function submit(
    conversationId: string,
    replyToId: string,
    value: Record<string, unknown>,
    from?: string,
  ): Promise<void> {
    const cfg = await config();
    const body = { conversation: { id: conversationId }, replyToId, value, from: { id: from ?? cfg.currentUser.id } };
    await request('POST', '/_conversation/v1/submit', body);
  }

  async function installBot(conversationId: string): Promise<void> {
    await request('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
  }

  async function waitForMessage(predicate: (frame: MessageFrame) => boolean, timeoutMs = 5000): Promise<MessageFrame> {
    const { bot } = await config();
    const seen = frames.find(
      (f): f is MessageFrame => isMessageFrame(f) && f.message.from.id === bot.id && predicate(f),
    );
    if (seen !== undefined) return seen;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      throw new PlaygroundError('playground_closed', 'Call connect() before waiting for messages.');
    }
    return new Promise<MessageFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new PlaygroundError(
            'playground_timeout',
            `No matching bot message within ${timeoutMs} ms (${summarize(frames)}).`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      waiters.add(waiter);
    });
  }

  async function close(): Promise<void> {
    const ws = socket;
    socket = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.close();
    const timer = setTimeout(() => ws.terminate(), 1000);
    await closed;
    clearTimeout(timer);
  }

  return { url: base, frames, config, connect, send, invoke, submit, installBot, waitForMessage, close };
}
