import { randomUUID } from 'node:crypto';
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import { silentLogger } from '../log';
import type { Logger } from '../log';
import { traceGraphRequest } from '../telemetry/graph';
import { noopTelemetry, type Telemetry } from '../telemetry/port';
import { acquireBudget, createSchedulers } from './class-schedulers';
import type { Budget } from './class-schedulers';
import { normaliseBaseUrl } from './base-url';
import { classifyRequest } from './classify';
import type { ThrottleClass } from './classify';
import { createTokenSource, graphScopeFor } from './credentials';
import type { GraphCredentialSettings } from './credentials';
import { graphErrorFromResponse, outcomeUnknown, requestIdOf, resourceTemplate } from './errors';
import { resolveLimits } from './limits';
import type { GraphLimits } from './limits';
import { backoffDelay, parseRetryAfter } from './retry-timing';
import type { ClassScheduler, Priority, Release } from './scheduler';
import { BearerForOrigin, FetchOnce } from './transport';
import type { FetchLike } from './transport';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One Graph call. `path` is relative to the version (`/users/{id}?$select=id`), already escaped (see odata.ts). */
export interface GraphRequestSpec {
  method: HttpMethod;
  path: string;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  priority?: Priority;
  /** A POST that changes nothing (checkMemberGroups, a `$batch` of reads), so it may be replayed like a GET. */
  readOnly?: boolean;
  version?: 'v1.0' | 'beta';
  /** Names the permission in a 403 (declared reads pass theirs; else looked up by the path). */
  permission?: string;
  /** The throttling class the endpoint declares; else classified from the path. */
  throttleClass?: ThrottleClass;
  signal?: AbortSignal;
  /** Told of every retry and wait this request makes, so an action can record them in its audit trail. */
  onRetry?: (event: RetryEvent) => void;
}

/** One retry the client made (or, for a write, the wait it suggests before the caller re-reads). */
export interface RetryEvent {
  method: HttpMethod;
  resource: string;
  reason: 'throttled' | 'unavailable' | 'timeout' | 'network' | 'unauthorized';
  status: number | null;
  waitMs: number;
}

/** A 2xx reply; header names lower-case, body parsed when it is JSON. */
export interface GraphResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export type { Budget } from './class-schedulers';

/** The Graph access port used by every Graph area module. */
export interface GraphClient {
  /** Scheduled, retried where safe, and mapped to a CodedError on failure. */
  request(spec: GraphRequestSpec, budget?: Budget): Promise<GraphResponse>;
  scheduler(throttleClass: ThrottleClass): ClassScheduler;
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: GraphLimits;
  /** Spans and the 429 count, for the $batch helper's per-item throttling. */
  readonly telemetry?: Telemetry;
}

export { normaliseBaseUrl } from './base-url';

export interface GraphClientOptions {
  baseUrl: string;
  credential: GraphCredentialSettings;
  clock?: Clock;
  logger?: Logger;
  limits?: Partial<GraphLimits>;
  requestTimeoutMs?: number;
  /** Replaces global fetch; tests use it to trust a locally generated CA. */
  fetch?: FetchLike;
  /** Jitter source for backoff; tests fix it. */
  random?: () => number;
  telemetry?: Telemetry;
}

class TransportFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'network',
    cause: unknown,
  ) {
    super(reason === 'timeout' ? 'request timed out' : 'network error', { cause });
  }
}

/** Create the Graph client: SDK middleware chain (bearer for our origin, one fetch) under our scheduler and retry policy. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = normaliseBaseUrl(options.baseUrl);
  const baseUrl = base.toString().replace(/\/$/, '');
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'graph' });
  const limits = resolveLimits(options.limits);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const random = options.random ?? Math.random;
  const tokens = createTokenSource(options.credential, graphScopeFor(baseUrl));
  const telemetry = options.telemetry ?? noopTelemetry;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  const auth = new BearerForOrigin(base.origin, tokens);
  auth.setNext(new FetchOnce(fetchImpl));
  const sdk = Client.initWithMiddleware({
    baseUrl: `${baseUrl}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([base.hostname]),
    middleware: auth,
  });

  const schedulers = createSchedulers(limits, clock);
  const acquireAll = (budget: Budget, priority: Priority, signal?: AbortSignal): Promise<Release[]> =>
    acquireBudget(schedulers, budget, priority, signal);

  async function attempt(spec: GraphRequestSpec): Promise<GraphResponse> {
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(spec.signal?.reason);
    spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    try {
      let req: GraphRequest = sdk
        .api(spec.path)
        .version(spec.version ?? 'v1.0')
        .header('client-request-id', randomUUID())
        .option('signal', controller.signal)
        .responseType(ResponseType.RAW);
      if (spec.headers) req = req.headers({ ...spec.headers });
      const raw: unknown = await send(req, spec);
      if (!(raw instanceof Response)) throw new TransportFailure('network', new Error('no response'));
      const headers: Record<string, string> = {};
      raw.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const text = await raw.text();
      return { status: raw.status, headers, body: parseBody(text) };
    } catch (err) {
      if (spec.signal?.aborted) throw err;
      if (err instanceof TransportFailure) throw err;
      throw new TransportFailure(timedOut ? 'timeout' : 'network', err);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function request(spec: GraphRequestSpec, budget?: Budget): Promise<GraphResponse> {
    const priority = spec.priority ?? 'interactive';
    const charge: Budget = budget ?? [budgetOf(spec.method, spec.path, spec.throttleClass)];
    const retrySafe = spec.method === 'GET' || spec.readOnly === true;
    const resource = resourceTemplate(spec.path);
    const retrying = (reason: RetryEvent['reason'], status: number | null, waitMs: number): void =>
      spec.onRetry?.({ method: spec.method, resource, reason, status, waitMs });
    let serverRetries = 0;
    let throttleRetries = 0;
    let refreshed = false;
    for (;;) {
      const releases = await acquireAll(charge, priority, spec.signal);
      let result: GraphResponse;
      try {
        result = await traceGraphRequest(telemetry, { method: spec.method, resource, host: base.host }, () =>
          attempt(spec),
        );
      } catch (err) {
        if (!(err instanceof TransportFailure)) throw err;
        if (!retrySafe) throw outcomeUnknown(spec, err.reason);
        if (serverRetries >= limits.maxRetries) {
          throw new CodedError('graph_unavailable', `Graph did not answer ${spec.method} ${resource} (${err.reason})`, {
            method: spec.method,
            resource,
            reason: err.reason,
          });
        }
        const wait = backoffDelay(serverRetries, limits.backoffBaseMs, limits.backoffMaxMs, random);
        serverRetries += 1;
        retrying(err.reason, null, wait);
        logger.warn(
          { resource, reason: err.reason, waitMs: wait, attempt: serverRetries },
          'Graph request failed; retrying',
        );
        await clock.sleep(wait, spec.signal);
        continue;
      } finally {
        for (const r of releases) r();
      }

      const status = result.status;
      if (status < 400) return result;
      const requestId = requestIdOf(result);
      if (status === 401 && !refreshed) {
        // A rotated or revoked credential: Graph refused before executing, so one retry with a fresh token is safe
        // even for a write. A second 401 is final (graph_unauthorized), never a loop.
        refreshed = true;
        tokens.invalidate?.();
        retrying('unauthorized', status, 0);
        logger.warn({ resource, requestId }, 'Graph answered 401; retrying once with a freshly acquired token');
        continue;
      }
      if (status === 429) {
        const wait =
          parseRetryAfter(result.headers['retry-after'], clock.now()) ??
          backoffDelay(throttleRetries, limits.backoffBaseMs, limits.backoffMaxMs, random);
        if (!retrySafe) {
          // A throttled write is not replayed: a 429 inside $batch has been seen to have executed, so the caller
          // re-reads the target after the wait. The class still pauses, as Graph would refuse its siblings too.
          pauseClasses(charge, wait);
          throw outcomeUnknown(spec, `HTTP ${status}`, { status, requestId, retryAfterMs: wait });
        }
        if (throttleRetries >= limits.maxThrottleRetries || wait > limits.maxRetryAfterMs) {
          const err = graphErrorFromResponse(result, spec);
          throw new CodedError(err.code, err.message, {
            ...err.details,
            retryAfterMs: wait,
            attempts: throttleRetries + 1,
          });
        }
        throttleRetries += 1;
        // The whole class waits, not just this request: Graph would refuse its siblings too.
        pauseClasses(charge, wait);
        retrying('throttled', status, wait);
        logger.warn(
          { resource, requestId, waitMs: wait, classes: charge.map((b) => b.throttleClass) },
          'Graph throttled (429); pausing class',
        );
        continue;
      }
      if (status === 503 || status === 504) {
        const wait =
          parseRetryAfter(result.headers['retry-after'], clock.now()) ??
          backoffDelay(serverRetries, limits.backoffBaseMs, limits.backoffMaxMs, random);
        // A 5xx on a write may have been applied server-side; replaying could act twice, so the caller re-reads.
        if (!retrySafe) throw outcomeUnknown(spec, `HTTP ${status}`, { status, requestId, retryAfterMs: wait });
        if (serverRetries >= limits.maxRetries) throw graphErrorFromResponse(result, spec);
        serverRetries += 1;
        retrying('unavailable', status, wait);
        logger.warn(
          { resource, requestId, status, waitMs: wait, attempt: serverRetries },
          'Graph unavailable; retrying read',
        );
        await clock.sleep(wait, spec.signal);
        continue;
      }
      if (status >= 500 && !retrySafe) throw outcomeUnknown(spec, `HTTP ${status}`, { status, requestId });
      throw graphErrorFromResponse(result, spec);
    }
  }

  function pauseClasses(charge: Budget, waitMs: number): void {
    const until = clock.now() + waitMs;
    for (const b of charge) schedulers[b.throttleClass].pauseUntil(until);
  }

  return {
    request,
    scheduler: (cls) => schedulers[cls],
    baseUrl,
    clock,
    logger,
    limits,
    telemetry,
  };
}

function send(req: GraphRequest, spec: GraphRequestSpec): Promise<unknown> {
  switch (spec.method) {
    case 'GET':
      return req.get() as Promise<unknown>;
    case 'POST':
      return req.post(spec.body ?? {}) as Promise<unknown>;
    case 'PATCH':
      return req.patch(spec.body ?? {}) as Promise<unknown>;
    case 'PUT':
      return req.put(spec.body ?? {}) as Promise<unknown>;
    case 'DELETE':
      return req.delete() as Promise<unknown>;
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Non-JSON bodies (HTML error pages from proxies) are kept as text for the error mapper.
    return text;
  }
}

/** The scheduler charge of one request: its declared (or classified) class, and resource units for identity. */
export function budgetOf(method: string, path: string, declared?: ThrottleClass): Budget[number] {
  const c = classifyRequest(method, path);
  const throttleClass = declared ?? c.throttleClass;
  return { throttleClass, weight: throttleClass === c.throttleClass ? c.cost : 1 };
}
