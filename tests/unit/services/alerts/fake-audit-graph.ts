import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
import { CodedError } from '../../../../services/errors';

/** A directoryAudits record as Graph returns it. */
export function auditRecord(
  id: string,
  at: number,
  activity: string,
  user = { id: 'u-1', upn: 'pat@example.com' },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    activityDisplayName: activity,
    activityDateTime: new Date(at).toISOString(),
    loggedByService: 'Authentication Methods',
    category: 'UserManagement',
    result: 'success',
    resultReason: 'User registered Mobile Phone SMS',
    initiatedBy: { user: { id: user.id, userPrincipalName: user.upn, ipAddress: '203.0.113.9' }, app: null },
    targetResources: [{ id: user.id, userPrincipalName: user.upn, type: 'User', modifiedProperties: [] }],
    ...extra,
  };
}

/**
 * The one Graph read the poller makes, served from an in-memory log: honours the `ge`/`le` window, orders by
 * time, pages with `@odata.nextLink`, and fails on demand (a page that throws, an expired link, a 429).
 */
export function createFakeAuditGraph(pageSize = 2) {
  const log: Record<string, unknown>[] = [];
  const paths: string[] = [];
  const priorities: string[] = [];
  let failNext: ((path: string) => Error | null) | null = null;
  const client = {
    request(spec: GraphRequestSpec): Promise<GraphResponse> {
      paths.push(spec.path);
      priorities.push(spec.priority ?? 'interactive');
      const failure = failNext?.(spec.path) ?? null;
      if (failure) return Promise.reject(failure);
      const url = new URL(spec.path, 'https://graph.invalid');
      const filter = url.searchParams.get('$filter') ?? '';
      const ge = /activityDateTime ge (\S+)/.exec(filter)?.[1];
      const le = /activityDateTime le (\S+)/.exec(filter)?.[1];
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const inWindow = log
        .filter((e) => {
          const at = Date.parse(e.activityDateTime as string);
          return (!ge || at >= Date.parse(ge)) && (!le || at <= Date.parse(le));
        })
        .sort((a, b) => Date.parse(a.activityDateTime as string) - Date.parse(b.activityDateTime as string));
      const value = inWindow.slice(skip, skip + pageSize);
      const next = new URLSearchParams(url.searchParams);
      next.set('$skiptoken', String(skip + pageSize));
      const body = {
        value,
        ...(skip + pageSize < inWindow.length
          ? { '@odata.nextLink': `https://graph.microsoft.com/v1.0${url.pathname}?${next.toString()}` }
          : {}),
      };
      return Promise.resolve({ status: 200, headers: {}, body });
    },
  };
  return {
    client: client as unknown as GraphClient,
    log,
    paths,
    priorities,
    failWhen(rule: ((path: string) => Error | null) | null) {
      failNext = rule;
    },
  };
}

export const throttled = (): Error =>
  new CodedError('graph_throttled', 'Graph throttled the request', { status: 429, retryAfterMs: 5000 });
export const expiredLink = (): Error =>
  new CodedError('graph_bad_request', 'Graph answered 400: the skip token has expired', { status: 400 });
