import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../services/clock';
import { silentLogger, type Logger } from '../services/log';
import { handleDemoControl } from './emit-route';
import { JSON_CONTENT_TYPE, runBatch } from './batch';
import { DEMO_TENANT_ID } from './constants';
import { dispatch, handlerContext, type Dispatcher, type DemoStats, type WriteFault } from './dispatch';
import { graphError } from './http/graph-error';
import { compileRoutes, splitPath } from './http/router';
import type { DemoRequest, DemoResponse } from './http/types';
import { createRandom } from './random';
import { allRoutes } from './routes';
import { seedTenant } from './seed';
import type { DemoState } from './state';
import { DemoThrottle, PUBLISHED_LIMITS, type DemoLimits } from './throttle';

export type { DemoLimits } from './throttle';
export type { DemoState } from './state';
export type { WriteFault } from './dispatch';

export interface DemoTenantOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  tls?: { cert: string; key: string };
  /** When set, every Graph request must carry `Authorization: Bearer <token>`, else 401 with Graph's error body. */
  requireToken?: string;
  latencyMs?: number;
  /** A slow write: the change is applied, then the answer waits this long (scaled by timeFactor). */
  writeDelayMs?: number;
  /** Failures for the next writes, in order; the array is consumed as given, so a test can add to it later. */
  writeFaults?: WriteFault[];
  /** 0..1 of reads answered with 429/503/504 or a timeout. */
  faultRate?: number;
  /** Scales every limit window, Retry-After, latency and timeout hold (0.01 makes throttling tests run in ms). */
  timeFactor?: number;
  limits?: Partial<DemoLimits>;
  extraUsers?: number;
  seed?: number;
  /** Shuffle inner $batch responses (Graph may return them out of order). */
  shuffleBatch?: boolean;
  clock?: Clock;
  logger?: Logger;
}

export interface DemoTenant {
  url: string;
  port: number;
  state: DemoState;
  stats(): DemoStats & { writes: { method: string; path: string }[] };
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
/** How long a simulated timeout holds the socket before destroying it, before the time factor. */
const HANG_MS = 10_000;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function lowerHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/**
 * Writes a response without chaining on writeHead: restify (loaded by the bot in the same process) replaces
 * http.ServerResponse.prototype.writeHead with a version that does not return `this`.
 */
function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

/** Splits `/v1.0/users/x` into version and segments; non-Graph roots get version ''. */
function route(pathname: string): { version: string; segments: string[] } {
  const segments = splitPath(pathname);
  const first = segments[0] ?? '';
  if (first === 'v1.0' || first === 'beta') return { version: first, segments: segments.slice(1) };
  return { version: '', segments };
}

/** Starts the demo tenant: a local Graph v1.0 subset with seeded scenarios and Graph's throttling. */
export async function startDemoTenant(options: DemoTenantOptions = {}): Promise<DemoTenant> {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'demo-tenant' });
  const timeFactor = options.timeFactor ?? 1;
  const limits: DemoLimits = { ...PUBLISHED_LIMITS, ...options.limits };
  const seed = options.seed ?? 1;
  const state = seedTenant({ tenantId: DEMO_TENANT_ID, t0: clock.now(), extraUsers: options.extraUsers ?? 0, seed });
  const random = createRandom(seed ^ 0x5eed);
  let baseUrl = '';
  const stats: DemoStats = { requests: 0, throttled: 0, byClass: {} };
  const dispatcher: Dispatcher = {
    state,
    table: compileRoutes(allRoutes),
    throttle: new DemoThrottle(
      limits,
      timeFactor,
      () => clock.now(),
      () => state.users.size,
    ),
    clock,
    latencyMs: options.latencyMs ?? 0,
    writeDelayMs: options.writeDelayMs ?? 0,
    ...(options.writeFaults ? { writeFaults: options.writeFaults } : {}),
    faultRate: options.faultRate ?? 0,
    timeFactor,
    random,
    baseUrl: () => baseUrl,
    stats,
  };
  const hanging = new Set<NodeJS.Timeout>();

  const handle = async (req: http.IncomingMessage): Promise<DemoResponse> => {
    const headers = lowerHeaders(req);
    const ids = { requestId: randomUUID(), clientRequestId: headers['client-request-id'] ?? randomUUID() };
    const ctx = handlerContext(dispatcher, ids);
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const { version, segments } = route(url.pathname);
    const isLogin = version === '' && /^(common|getuserrealm\.srf)$/i.test(segments[0] ?? '');
    if (options.requireToken !== undefined && !isLogin) {
      const auth = headers.authorization ?? '';
      if (auth === '') return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      if (auth !== `Bearer ${options.requireToken}`) {
        return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      }
    }
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw.trim() !== '') {
      const isForm = (headers['content-type'] ?? '').includes('x-www-form-urlencoded');
      if (isForm) body = Object.fromEntries(new URLSearchParams(raw));
      else {
        try {
          body = JSON.parse(raw);
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          return graphError(
            ctx,
            400,
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          );
        }
      }
    }
    const request: DemoRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      version,
      segments,
      query: url.searchParams,
      headers,
      body,
    };
    if (version === '' && segments[0] === '_demo') {
      return handleDemoControl(
        state,
        request.method,
        segments,
        req.socket.remoteAddress,
        clock.now(),
        url.searchParams,
      );
    }
    if (version !== '' && segments.length === 1 && segments[0] === '$batch' && request.method === 'POST') {
      stats.requests++;
      return runBatch(dispatcher, request, ids, {
        shuffle: options.shuffleBatch ?? false,
        outlookParallel: limits.outlookConcurrent,
      });
    }
    const response = await dispatch(dispatcher, request, ids, false);
    return {
      ...response,
      headers: { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, ...response.headers },
    };
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req).then(
      (response) => {
        if (response.hang) {
          const timer = setTimeout(() => {
            hanging.delete(timer);
            req.socket.destroy();
          }, HANG_MS * timeFactor);
          hanging.add(timer);
          return;
        }
        const headers: Record<string, string> = {
          'Cache-Control': 'no-cache',
          'OData-Version': '4.0',
          ...response.headers,
        };
        if (!headers['request-id']) headers['request-id'] = randomUUID();
        if (response.status === 401) {
          headers['WWW-Authenticate'] =
            'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
        }
        if (response.body !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
        send(res, response.status, headers, response.body === undefined ? undefined : JSON.stringify(response.body));
      },
      (err: unknown) => {
        logger.error({ err }, 'demo tenant request failed');
        if (!res.headersSent) {
          send(
            res,
            500,
            { 'Content-Type': JSON_CONTENT_TYPE, 'request-id': randomUUID() },
            JSON.stringify({
              error: { code: 'InternalServerError', message: 'The demo tenant failed to handle the request.' },
            }),
          );
        } else res.destroy();
      },
    );
  };

  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : http.createServer(listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  baseUrl = `${options.tls ? 'https' : 'http'}://${urlHost === '127.0.0.1' && options.tls ? 'localhost' : urlHost}:${port}`;
  logger.info({ url: baseUrl, users: state.users.size }, 'demo tenant listening');
  return {
    url: baseUrl,
    port,
    state,
    stats: () => ({
      ...stats,
      byClass: { ...stats.byClass },
      writes: state.writes.map((w) => ({ method: w.method, path: w.path })),
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of hanging) clearTimeout(timer);
        hanging.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
