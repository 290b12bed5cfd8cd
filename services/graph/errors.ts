import { CodedError } from '../errors';
import type { ErrorCode } from '../errors';
import { requiredPermission } from './permissions';
import { graphErrorBodySchema } from './schemas/error-body';

/** A finished HTTP exchange as the error mapper needs it; header names are lower-case. */
export interface GraphHttpResult {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export interface RequestDescription {
  method: string;
  path: string;
  /** Overrides the permission table for requests whose need depends on the body (PATCH /users/{id}). */
  permission?: string;
}

/** Graph's request-id: from the error body's innerError, else the response header. */
export function requestIdOf(result: Pick<GraphHttpResult, 'headers' | 'body'>): string | undefined {
  const parsed = graphErrorBodySchema.safeParse(result.body);
  const fromBody = parsed.success ? parsed.data.error.innerError?.['request-id'] : undefined;
  return fromBody ?? result.headers['request-id'] ?? undefined;
}

/** The path with user keys replaced, so errors and logs show the resource and not the UPN. */
export function resourceTemplate(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare
    .replace(/^\/users\('[^/]*'\)/i, '/users/{id}')
    .replace(/^\/users\/[^/]+/i, '/users/{id}')
    .replace(/^\/groups\/[^/]+/i, '/groups/{id}');
}

function isUserPath(path: string): boolean {
  return /^\/users(\/[^/?]+|\('[^/]*'\))/i.test(path);
}

/** Turn a non-2xx Graph response into the coded error the bot switches on. Never includes the token. */
export function graphErrorFromResponse(result: GraphHttpResult, request: RequestDescription): CodedError {
  const parsed = graphErrorBodySchema.safeParse(result.body);
  const graphCode = parsed.success ? parsed.data.error.code : undefined;
  const graphMessage = parsed.success ? parsed.data.error.message : undefined;
  const resource = resourceTemplate(request.path);
  const details: Record<string, unknown> = {
    status: result.status,
    requestId: requestIdOf(result),
    graphCode,
    method: request.method,
    resource,
  };
  const what = `${request.method} ${resource}`;
  const make = (code: ErrorCode, message: string): CodedError => new CodedError(code, message, details);
  const s = result.status;
  if (s === 401) return make('graph_unauthorized', `Graph rejected the token for ${what}: check the app credential`);
  if (s === 403) {
    const permission = request.permission ?? requiredPermission(request.method, request.path);
    details.permission = permission;
    const grant = permission === undefined ? 'grant the permission it needs' : `grant ${permission}`;
    return make('graph_forbidden', `Graph returned 403 for ${what}: ${grant} and admin consent`);
  }
  if (s === 404 && isUserPath(request.path)) return make('user_not_found', `no such user (${what})`);
  if (s === 404) return make('graph_not_found', `Graph returned 404 for ${what}`);
  if (s === 429) return make('graph_throttled', `Graph kept throttling ${what}`);
  if (s >= 500) return make('graph_unavailable', `Graph returned ${s} for ${what}`);
  return make(
    'graph_bad_request',
    `Graph returned ${s} for ${what}${graphMessage ? `: ${graphMessage.slice(0, 200)}` : ''}`,
  );
}

/** A write whose result we cannot know (timeout or 5xx): the caller must re-read state instead of replaying it. */
export function outcomeUnknown(
  request: RequestDescription,
  reason: string,
  extra: Record<string, unknown> = {},
): CodedError {
  return new CodedError(
    'graph_outcome_unknown',
    `${request.method} ${resourceTemplate(request.path)} may or may not have been applied (${reason}); re-read before retrying`,
    { method: request.method, resource: resourceTemplate(request.path), reason, ...extra },
  );
}
