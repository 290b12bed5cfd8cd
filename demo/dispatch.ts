import type { Clock } from '../services/clock';
import { badRequest, graphError, throttledBody } from './http/graph-error';
import { matchRoute, type CompiledRoute } from './http/router';
import type { DemoRequest, DemoResponse, HandlerContext, Route, ThrottleClass } from './http/types';
import { findUser, recordWrite, type DemoState } from './state';
import { identityUnits, type DemoThrottle } from './throttle';

export interface DemoStats {
  requests: number;
  throttled: number;
  byClass: Record<string, number>;
}

/** Everything one request needs besides itself; shared by the HTTP server and $batch. */
export interface Dispatcher {
  state: DemoState;
  table: readonly CompiledRoute[];
  throttle: DemoThrottle;
  clock: Clock;
  latencyMs: number;
  /** Held after a successful write is applied, before answering (a slow write; killed clients see no answer). */
  writeDelayMs?: number;
  /** Answers for the next writes instead of their own (consumed in order); see WriteFault. */
  writeFaults?: WriteFault[];
  faultRate: number;
  timeFactor: number;
  random(): number;
  baseUrl(): string;
  stats: DemoStats;
}

/**
 * A write answered with a failure: `applied` writes first and then fails (a 504 or 429 on a write that in fact ran,
 * as Graph has been seen to do inside $batch), otherwise nothing is written.
 */
export interface WriteFault {
  status: 429 | 500 | 502 | 503 | 504;
  applied: boolean;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export function handlerContext(d: Dispatcher, ids: RequestIds): HandlerContext {
  return {
    state: d.state,
    now: () => d.clock.now(),
    baseUrl: d.baseUrl(),
    requestId: ids.requestId,
    clientRequestId: ids.clientRequestId,
    random: () => d.random(),
  };
}

/** The throttling class of a request, or null when no route serves it. */
export function classify(d: Dispatcher, req: DemoRequest): ThrottleClass | null {
  const match = matchRoute(d.table, req.method, req.version, req.segments);
  return match.kind === 'match' ? match.route.throttle : null;
}

function injectFault(d: Dispatcher, ctx: HandlerContext, allowHang: boolean): DemoResponse | null {
  if (d.faultRate <= 0 || d.random() >= d.faultRate) return null;
  const pick = Math.floor(d.random() * (allowHang ? 4 : 3));
  if (pick === 0) {
    d.stats.throttled++;
    const retryAfter = (Math.ceil(2000 * d.timeFactor) / 1000).toString();
    return { status: 429, headers: { 'Retry-After': retryAfter }, body: throttledBody(ctx) };
  }
  if (pick === 1)
    return graphError(ctx, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.', {
      'Retry-After': '1',
    });
  if (pick === 2) return graphError(ctx, 504, 'UnknownError', 'The gateway did not receive a timely response.');
  return { status: 504, hang: true };
}

async function run(
  d: Dispatcher,
  route: Route,
  ctx: HandlerContext,
  req: DemoRequest,
  params: Record<string, string>,
): Promise<DemoResponse> {
  const mailbox = route.throttle === 'outlook' ? (findUser(d.state, params.id ?? '')?.id ?? params.id ?? null) : null;
  const admission = d.throttle.admit({
    cls: route.throttle,
    units: identityUnits(route.cost ?? 1, req.query),
    write: route.write === true,
    mailbox,
  });
  if (!admission.ok) {
    d.stats.throttled++;
    const headers: Record<string, string> = { ...admission.headers };
    if (admission.retryAfter !== null) headers['Retry-After'] = String(admission.retryAfter);
    return { status: 429, headers, body: throttledBody(ctx) };
  }
  try {
    if (d.latencyMs > 0) await d.clock.sleep(d.latencyMs * d.timeFactor);
    const fault = route.write ? d.writeFaults?.shift() : undefined;
    if (fault && !fault.applied) return writeFault(ctx, fault);
    const response = route.handler(ctx, req, params);
    if (route.write && response.status < 300) {
      recordWrite(
        d.state,
        req.method,
        `/${[req.version, ...req.segments].filter((s) => s !== '').join('/')}`,
        d.clock.now(),
      );
      if ((d.writeDelayMs ?? 0) > 0) await d.clock.sleep((d.writeDelayMs ?? 0) * d.timeFactor);
    }
    if (fault) return writeFault(ctx, fault);
    return { ...response, headers: { ...admission.headers, ...response.headers } };
  } finally {
    admission.release();
  }
}

function writeFault(ctx: HandlerContext, fault: WriteFault): DemoResponse {
  const headers = fault.retryAfter === undefined ? undefined : { 'Retry-After': String(fault.retryAfter) };
  if (fault.status === 429) return { status: 429, headers: headers ?? {}, body: throttledBody(ctx) };
  return graphError(ctx, fault.status, 'serviceNotAvailable', 'The service is temporarily unavailable.', headers);
}

/** Routes, fault-injects, throttles, delays and answers one request. */
export async function dispatch(
  d: Dispatcher,
  req: DemoRequest,
  ids: RequestIds,
  inBatch: boolean,
): Promise<DemoResponse> {
  const ctx = handlerContext(d, ids);
  d.stats.requests++;
  const match = matchRoute(d.table, req.method, req.version, req.segments);
  if (match.kind === 'none') {
    const last = req.segments[req.segments.length - 1] ?? '';
    return badRequest(ctx, `Resource not found for the segment '${last}'.`);
  }
  if (match.kind === 'method-not-allowed') {
    return graphError(ctx, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  }
  d.stats.byClass[match.route.throttle] = (d.stats.byClass[match.route.throttle] ?? 0) + 1;
  if (req.method === 'GET' && match.route.throttle !== 'login') {
    const fault = injectFault(d, ctx, !inBatch);
    if (fault) return fault;
  }
  return run(d, match.route, ctx, req, match.params);
}
