import type { Telemetry } from './port';

/**
 * One Graph HTTP request as a client span named `<method> <resource template>` (no UPN or id in it), carrying
 * the status and Graph's `request-id` (what Microsoft support asks for); every 429 is counted.
 */
export function traceGraphRequest<T extends { status: number; headers: Readonly<Record<string, string>> }>(
  telemetry: Telemetry,
  request: { method: string; resource: string; host: string },
  send: () => Promise<T>,
): Promise<T> {
  const attributes = {
    'http.request.method': request.method,
    'url.template': request.resource,
    'server.address': request.host,
  };
  return telemetry.span(`${request.method} ${request.resource}`, { kind: 'client', attributes }, async (span) => {
    const response = await send();
    span.set('http.response.status_code', response.status);
    const requestId = response.headers['request-id'];
    if (requestId !== undefined) span.set('graph.request_id', requestId);
    if (response.status === 429) telemetry.add('graphThrottled', 1, { 'url.template': request.resource });
    return response;
  });
}
