import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request as the fault server saw it; `url` is path + query exactly as sent. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  at: number;
}

/** One scripted reply. A string body is sent as-is; anything else as JSON. */
export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Extra delay before answering (on top of the server's latency). */
  delayMs?: number;
}

export type Responder = ScriptedResponse | ((req: RecordedRequest) => ScriptedResponse);

export interface FaultServerOptions {
  tls?: { cert: string; key: string };
  /** Delay added to every reply (for benchmarks). */
  latencyMs?: number;
  /** Used when the script is exhausted; default 500 with a note, so a test that under-scripts fails loudly. */
  fallback?: (req: RecordedRequest) => ScriptedResponse;
}

/** A tiny local HTTP(S) server that replays a scripted sequence of responses and records every request. */
export interface FaultServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Append replies; each request consumes the next one. */
  script(...responders: Responder[]): void;
  /** Requests currently being answered (for concurrency assertions). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Recorded for assertions; a non-JSON body is legitimate (no body on GET, for instance).
    return undefined;
  }
}

/** Start on 127.0.0.1, port 0. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const queue: Responder[] = [];
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fallback: (req: RecordedRequest) => ScriptedResponse =
    options.fallback ??
    ((req: RecordedRequest) => ({
      status: 500,
      body: { error: { code: 'unscripted', message: `no scripted reply for ${req.method} ${req.url}` } },
    }));

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers,
        body,
        json: parseJson(body),
        at: Date.now(),
      };
      requests.push(recorded);
      const next = queue.shift();
      const reply: ScriptedResponse =
        next === undefined ? fallback(recorded) : typeof next === 'function' ? next(recorded) : next;
      const delay = (options.latencyMs ?? 0) + (reply.delayMs ?? 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const text =
        typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
      const outHeaders: Record<string, string> = {
        ...(typeof reply.body === 'string' || reply.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...reply.headers,
      };
      if (!res.destroyed) {
        res.writeHead(reply.status, outHeaders);
        res.end(text);
      }
    })()
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      })
      .finally(() => {
        inFlight -= 1;
      });
  };

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = options.tls ? 'localhost' : '127.0.0.1';
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    requests,
    script: (...responders) => queue.push(...responders),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
