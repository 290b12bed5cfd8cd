import type { DemoState, GraphObject } from '../state';

/** One Graph request as handlers see it, whether it came over HTTP or inside a $batch. */
export interface DemoRequest {
  method: string;
  /** 'v1.0' | 'beta' for Graph, '' for the login and Exchange admin endpoints. */
  version: string;
  /** Path segments after the version, decoded; `users('x')` arrives as ['users', 'x']. */
  segments: string[];
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
}

export interface DemoResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Hold the socket and destroy it instead of answering (a simulated timeout). */
  hang?: boolean;
}

/** What a handler may use besides the request. */
export interface HandlerContext {
  state: DemoState;
  now(): number;
  /** Absolute root of this server, e.g. http://127.0.0.1:56160 */
  baseUrl: string;
  requestId: string;
  clientRequestId: string;
  random(): number;
}

export type Handler = (ctx: HandlerContext, req: DemoRequest, params: Record<string, string>) => DemoResponse;

/** Graph's throttling classes (graph-api.md §13). */
export type ThrottleClass =
  | 'reports'
  | 'identity'
  | 'identityProtection'
  | 'outlook'
  | 'exchangeAdmin'
  | 'login'
  | 'security'
  /** Teams' own service limits (teamwork): not simulated. */
  | 'teams';

export interface Route {
  method: string;
  pattern: string;
  /** Which versions serve it: Graph 'v1.0'/'beta', or '' for non-Graph roots. */
  versions: readonly string[];
  throttle: ThrottleClass;
  /** Identity resource units before the $select/$top adjustments. */
  cost?: number;
  write?: boolean;
  handler: Handler;
}

export type { GraphObject };
