import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { classify, dispatch, handlerContext, type Dispatcher, type RequestIds } from './dispatch';
import { badRequest, graphError } from './http/graph-error';
import { splitPath } from './http/router';
import type { DemoRequest, DemoResponse } from './http/types';

export const BATCH_LIMIT = 20;
export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const batchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

type BatchItem = z.infer<typeof batchSchema>['requests'][number];

interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function toInner(id: string, response: DemoResponse): InnerResponse {
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache', ...response.headers };
  if (response.body !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
  return { id, status: response.status, headers, ...(response.body !== undefined ? { body: response.body } : {}) };
}

function innerRequest(item: BatchItem, version: string): DemoRequest {
  const url = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'http://batch.invalid');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    method: item.method.toUpperCase(),
    version,
    segments: splitPath(url.pathname),
    query: url.searchParams,
    headers,
    body: item.body ?? null,
  };
}

/** A tiny semaphore: Outlook runs at most four requests of a batch at once (graph-api.md §12). */
function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    while (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export interface BatchOptions {
  shuffle: boolean;
  outlookParallel: number;
}

/** POST /$batch: validates, runs inner requests (dependsOn in order, 424 on a failed dependency), each throttled alone. */
export async function runBatch(
  d: Dispatcher,
  req: DemoRequest,
  ids: RequestIds,
  opts: BatchOptions,
): Promise<DemoResponse> {
  const ctx = handlerContext(d, ids);
  const parsed = batchSchema.safeParse(req.body);
  if (!parsed.success) return badRequest(ctx, 'Invalid batch payload format.');
  const items = parsed.data.requests;
  if (items.length === 0) return badRequest(ctx, 'Invalid batch payload format: the batch has no requests.');
  if (items.length > BATCH_LIMIT) {
    return badRequest(ctx, `The number of batch requests exceeds the limit of ${BATCH_LIMIT}.`);
  }
  const known = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (known.has(key)) return badRequest(ctx, `Batch request id '${item.id}' is duplicated.`);
    known.add(key);
    if (item.body !== undefined && !Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) {
      return badRequest(ctx, `Content-Type header is required for request '${item.id}' with a body.`);
    }
  }
  for (const item of items) {
    for (const dep of item.dependsOn ?? []) {
      if (!known.has(dep.toLowerCase()))
        return badRequest(ctx, `Request '${item.id}' depends on unknown request '${dep}'.`);
    }
  }
  const outlook = limiter(opts.outlookParallel);
  const results = new Map<string, Promise<InnerResponse>>();
  const start = (item: BatchItem): Promise<InnerResponse> => {
    const existing = results.get(item.id.toLowerCase());
    if (existing) return existing;
    const promise = (async (): Promise<InnerResponse> => {
      for (const dep of item.dependsOn ?? []) {
        const depItem = items.find((i) => i.id.toLowerCase() === dep.toLowerCase());
        const depResult = depItem ? await start(depItem) : undefined;
        if (!depResult || depResult.status >= 400) {
          return toInner(
            item.id,
            graphError(ctx, 424, 'FailedDependency', `Request '${item.id}' depends on request '${dep}', which failed.`),
          );
        }
      }
      const inner = innerRequest(item, req.version);
      const innerIds = {
        requestId: randomUUID(),
        clientRequestId: inner.headers['client-request-id'] ?? ids.clientRequestId,
      };
      const go = (): Promise<DemoResponse> => dispatch(d, inner, innerIds, true);
      const response = classify(d, inner) === 'outlook' ? await outlook(go) : await go();
      return toInner(item.id, response);
    })();
    results.set(item.id.toLowerCase(), promise);
    return promise;
  };
  const responses = await Promise.all(items.map(start));
  if (opts.shuffle) {
    for (let i = responses.length - 1; i > 0; i--) {
      const j = Math.floor(d.random() * (i + 1));
      const a = responses[i];
      const b = responses[j];
      if (a && b) {
        responses[i] = b;
        responses[j] = a;
      }
    }
  }
  return { status: 200, body: { responses } };
}
