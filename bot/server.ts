import { randomUUID } from 'node:crypto';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import restify from 'restify';
import type { Logger } from '../services/log';
import { noopTelemetry, type Telemetry } from '../services/telemetry/port';
import type { Config } from './config';
import { parseInboundActivity } from './middleware/inbound-activity';

/** Largest accepted /api/messages body. Teams activities are a few KB; a card submit stays well below this. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_DRAIN_MS = 10_000;
const READINESS_TIMEOUT_MS = 5_000;

/** turnState key under which each turn carries its request's correlation id. */
export const CORRELATION_ID_KEY = Symbol('secbot.correlationId');

/** The correlation id of the HTTP request that started this turn (the "ref" users and logs quote). */
export function getCorrelationId(context: TurnContext): string | undefined {
  const value: unknown = context.turnState.get(CORRELATION_ID_KEY);
  return typeof value === 'string' ? value : undefined;
}

/** What createBotServer needs; the adapter and routes are built here, the bot logic comes in as onTurn. */
export interface BotServerOptions {
  config: Config;
  logger: Logger;
  auth: BotFrameworkAuthentication;
  onTurn: (context: TurnContext) => Promise<void>;
  /** Runs after the failure is logged (e.g. to reply "Something failed (ref …)"); the HTTP answer is a generic 500 either way. */
  onTurnError?: (context: TurnContext, error: unknown) => Promise<void>;
  readiness: () => Promise<Record<string, boolean>>;
  maxBodyBytes?: number;
  /** Further GET routes of features (e.g. the sweep's signed CSV download); registered after the built-in ones. */
  extraRoutes?: (server: restify.Server) => void;
  /** How long close() waits for in-flight requests before cutting connections. */
  drainTimeoutMs?: number;
  /** Told of every body refused as not a valid activity (answered 400): the field and problem, never the value. */
  onInvalidActivity?: (problem: string, ref: string) => void;
  /** A server span per turn, parent of the turn's Graph requests. */
  telemetry?: Telemetry;
}

/** The running HTTP edge. */
export interface BotServer {
  server: restify.Server;
  adapter: CloudAdapter;
  listen(): Promise<{ url: string; port: number }>;
  /** Shutdown, first step: from now on /readyz and new requests get 503 (/healthz stays 200); the listener stays open. */
  stopAccepting(): void;
  /** Resolves when no request is in flight (the caller bounds the wait). */
  drain(): Promise<void>;
  /** Stops accepting, waits up to drainTimeoutMs for requests in flight, then closes the listener and connections. */
  close(): Promise<void>;
}

/** Marks a turn whose failure was already logged under `ref`; its message never reaches a response body. */
class TurnFailedError extends Error {
  constructor(readonly ref: string | undefined) {
    super('turn_failed');
    this.name = 'TurnFailedError';
  }
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

function errorBody(status: number, ref: string): Record<string, string> {
  // Bodies are fixed strings: botbuilder and restify put exception text into bodies, which can describe our internals.
  return status >= 500 && status !== 503
    ? { error: 'internal_error', ref }
    : { error: ERROR_CODES[status] ?? 'request_failed', ref };
}

function describe(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'unknown';
  return text.slice(0, 300);
}

/** Combines named checks into a readiness function; a check that throws or takes over 5 s counts as not ready. */
export function combineReadinessChecks(
  checks: Record<string, () => Promise<boolean>>,
): () => Promise<Record<string, boolean>> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await withTimeout(check(), READINESS_TIMEOUT_MS).catch(() => false)] as const,
      ),
    );
    return Object.fromEntries(entries);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Builds the restify server: POST /api/messages (CloudAdapter), GET /healthz, GET /readyz. */
export function createBotServer(options: BotServerOptions): BotServer {
  const { config, logger, onTurn, readiness } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
  const telemetry = options.telemetry ?? noopTelemetry;
  const log = logger.child({ component: 'http' });
  const adapter = new CloudAdapter(options.auth);
  const server = restify.createServer({ name: 'secbot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let closing = false;
  const drained = new Set<() => void>();

  adapter.onTurnError = async (context, error) => {
    const ref = getCorrelationId(context);
    log.error({ err: error, ref, activityType: context.activity.type }, 'turn failed');
    if (options.onTurnError) {
      try {
        await options.onTurnError(context, error);
      } catch (handlerError) {
        log.error({ err: handlerError, ref }, 'onTurnError handler failed');
      }
    }
    throw new TurnFailedError(ref);
  };

  server.pre((req, res, next) => {
    // Liveness stays green while draining, or the platform would kill the process before its turns finish.
    if (closing && req.path() !== '/healthz') {
      res.setHeader('connection', 'close');
      res.send(503, { error: 'unavailable' });
      return next(false);
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) for (const wake of drained) wake();
    });
    return next();
  });

  server.on(
    'restifyError',
    (
      req: restify.Request,
      _res: restify.Response,
      err: Error & { statusCode?: number; toJSON?: () => unknown },
      callback: () => void,
    ) => {
      const status = err.statusCode ?? 500;
      const ref = randomUUID();
      if (status >= 500)
        log.error({ ref, method: req.method, path: req.path(), reason: describe(err) }, 'request failed');
      else log.warn({ ref, method: req.method, path: req.path(), status }, 'request refused');
      err.toJSON = () => errorBody(status, ref);
      callback();
    },
  );

  const limitBody: restify.RequestHandler = (req, res, next) => {
    // Refuse before reading when the client declares the size; bodyParser still enforces the limit on streamed bodies.
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      res.setHeader('connection', 'close');
      res.send(413, errorBody(413, randomUUID()));
      return next(false);
    }
    // gzip would be inflated past the byte limit by restify's reader, so compressed bodies are refused.
    if (req.headers['content-encoding'] !== undefined && req.headers['content-encoding'] !== 'identity') {
      res.send(415, errorBody(415, randomUUID()));
      return next(false);
    }
    return next();
  };

  server.post(
    '/api/messages',
    limitBody,
    restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }),
    async (req: restify.Request, res: restify.Response) => {
      const ref = randomUUID();
      res.setHeader('x-correlation-id', ref);
      const captured: { status: number; body: unknown } = { status: 200, body: undefined };
      // CloudAdapter writes exception messages into the body; it answers into this capture and we write the real response.
      const capture = {
        socket: req.socket,
        status: (code: number) => {
          captured.status = code;
        },
        header: () => undefined,
        send: (body: unknown) => {
          captured.body = body;
        },
        end: () => undefined,
      };
      let turnStarted = false;
      let failureLogged = false;
      // Checked before CloudAdapter sees the body: botbuilder's own checks throw plain Errors (answered 500), and a
      // handler must never meet a half-valid activity (a stored request whose card then cannot be built).
      const activity = parseInboundActivity(req.body, config.mode === 'demo' ? 'demo' : 'guid');
      if (!activity.ok) {
        captured.status = 400;
        log.warn({ ref, problem: activity.problem }, 'activity refused: invalid');
        options.onInvalidActivity?.(activity.problem, ref);
      } else {
        // The parsed form carries canonical values (lower-case Entra ids) to botbuilder and the turn.
        req.body = activity.activity;
        try {
          await adapter.process(req, capture, async (context) => {
            turnStarted = true;
            context.turnState.set(CORRELATION_ID_KEY, ref);
            const attributes = { 'secbot.correlation_id': ref, 'secbot.activity_type': context.activity.type };
            await telemetry.span('turn', { kind: 'server', attributes }, () => onTurn(context));
          });
        } catch (err) {
          log.error({ ref, err }, 'activity processing failed');
          failureLogged = true;
          captured.status = 500;
          captured.body = undefined;
        }
      }
      const { status } = captured;
      if (status >= 400 && status < 500 && turnStarted && captured.body !== undefined) {
        // A refusal the turn wrote itself (an invoke answered 403/404 with its reason) keeps its status and text.
        res.send(status, captured.body);
      } else if (status === 401 || status === 403) {
        log.warn({ ref, reason: describe(captured.body) }, 'inbound request rejected by Bot Framework authentication');
        res.send(401, errorBody(401, ref));
      } else if (status >= 400) {
        if (status >= 500 && !turnStarted && !failureLogged)
          log.error({ ref, reason: describe(captured.body) }, 'activity failed before the turn started');
        res.send(status, errorBody(status, ref));
      } else if (captured.body === undefined) {
        res.send(status);
      } else {
        res.send(status, captured.body);
      }
    },
  );

  server.get('/healthz', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    let checks: Record<string, boolean>;
    try {
      checks = await withTimeout(readiness(), READINESS_TIMEOUT_MS);
    } catch (err) {
      log.warn({ reason: describe(err) }, 'readiness probe failed');
      checks = {};
      res.send(503, { status: 'unavailable', checks });
      return;
    }
    const ready = Object.values(checks).every((ok) => ok === true);
    res.send(ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
  });

  options.extraRoutes?.(server);

  function untilIdle(timeoutMs?: number): Promise<void> {
    if (inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        drained.delete(done);
        resolve();
      }
      drained.add(done);
    });
  }

  return {
    server,
    adapter,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.removeListener('error', reject);
          const { port } = server.address();
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolve({ url: `http://${host}:${port}`, port });
        });
      }),
    stopAccepting: () => {
      closing = true;
    },
    drain: () => untilIdle(),
    close: async () => {
      closing = true;
      const http = server.server;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await untilIdle(drainTimeoutMs);
      http.closeAllConnections();
      await stopped;
    },
  };
}
