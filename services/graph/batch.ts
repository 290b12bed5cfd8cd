import type { z } from 'zod';
import { CodedError } from '../errors';
import { budgetOf } from './client';
import type { Budget, GraphClient, HttpMethod } from './client';
import type { ThrottleClass } from './classify';
import { graphErrorFromResponse, outcomeUnknown, resourceTemplate } from './errors';
import { backoffDelay, parseRetryAfter } from './retry-timing';
import type { Priority } from './scheduler';
import { batchResponseSchema } from './schemas/batch';
import type { BatchItemResponse } from './schemas/batch';

/** Graph accepts at most 20 requests per `$batch`. */
export const MAX_BATCH_SIZE = 20;

/** One request inside a `$batch`; `url` is version-relative and already escaped, like GraphRequestSpec.path. */
export interface BatchItem {
  id: string;
  method: HttpMethod;
  url: string;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  dependsOn?: readonly string[];
  /** A POST that changes nothing, so a throttled or 5xx reply may be retried. */
  readOnly?: boolean;
  /** Declared by the endpoint (read.ts); else classified from the url. */
  throttleClass?: ThrottleClass;
  /** Named in the 403 error; else looked up by the url. */
  permission?: string;
}

/** The final reply for one item (after retries); header names lower-case. */
export type BatchItemResult = BatchItemResponse;

const RETRYABLE = new Set([429, 503, 504]);

function retrySafe(item: BatchItem): boolean {
  return item.method === 'GET' || item.readOnly === true;
}

/** Split items into dependency groups (a request and everything it depends on travel together). */
function dependencyGroups(items: readonly BatchItem[]): BatchItem[][] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const parent = new Map<string, string>(items.map((i) => [i.id.toLowerCase(), i.id.toLowerCase()]));
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    return root;
  };
  for (const item of items) {
    for (const dep of item.dependsOn ?? []) {
      if (!byId.has(dep.toLowerCase())) {
        throw new CodedError('internal', `batch item ${item.id} depends on unknown id ${dep}`, { id: item.id });
      }
      parent.set(find(item.id.toLowerCase()), find(dep.toLowerCase()));
    }
  }
  const groups = new Map<string, BatchItem[]>();
  for (const item of items) {
    const root = find(item.id.toLowerCase());
    groups.set(root, [...(groups.get(root) ?? []), item]);
  }
  return [...groups.values()];
}

/** Pack groups into batches of ≤ 20 whose reports / identity-protection items fit one scheduler window. */
function packChunks(client: GraphClient, items: readonly BatchItem[]): BatchItem[][] {
  const caps: Partial<Record<string, number>> = {
    reports: client.limits.reports.requests,
    identityProtection: client.limits.identityProtection.requests,
  };
  const chunks: BatchItem[][] = [];
  let current: BatchItem[] = [];
  let counts = new Map<string, number>();
  for (const group of dependencyGroups(items)) {
    if (group.length > MAX_BATCH_SIZE) {
      throw new CodedError('internal', `a dependsOn chain of ${group.length} requests does not fit one batch`, {});
    }
    const groupCounts = new Map<string, number>();
    for (const i of group) {
      const cls = budgetOf(i.method, i.url, i.throttleClass).throttleClass;
      groupCounts.set(cls, (groupCounts.get(cls) ?? 0) + 1);
    }
    const fits =
      current.length + group.length <= MAX_BATCH_SIZE &&
      [...groupCounts].every(
        ([cls, n]) => caps[cls] === undefined || (counts.get(cls) ?? 0) + n <= (caps[cls] ?? 0) || current.length === 0,
      );
    if (!fits) {
      chunks.push(current);
      current = [];
      counts = new Map();
    }
    current.push(...group);
    for (const [cls, n] of groupCounts) counts.set(cls, (counts.get(cls) ?? 0) + n);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Send requests as JSON `$batch`es: ≤ 20 per batch, each inner request charged to its own class budget.
 * Items answered 429/503/504 (writes: 429 only) are retried on their own after the longest Retry-After, together
 * with the 424s that failed because of them. SDKs do not retry inside a batch (graph-api.md §12), so we do.
 */
export async function batch(
  client: GraphClient,
  items: readonly BatchItem[],
  opts: { priority?: Priority; signal?: AbortSignal } = {},
): Promise<Map<string, BatchItemResult>> {
  const ids = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (ids.has(key)) throw new CodedError('internal', `duplicate batch id ${item.id}`, { id: item.id });
    ids.add(key);
  }
  const results = new Map<string, BatchItemResult>();
  const chunks = packChunks(client, items);
  await Promise.all(chunks.map((chunk) => runChunk(client, chunk, results, opts)));
  return results;
}

async function runChunk(
  client: GraphClient,
  chunk: readonly BatchItem[],
  results: Map<string, BatchItemResult>,
  opts: { priority?: Priority; signal?: AbortSignal },
): Promise<void> {
  const { limits, clock } = client;
  let pending = [...chunk];
  let throttleRounds = 0;
  let serverRounds = 0;
  for (;;) {
    const pendingIds = new Set(pending.map((p) => p.id.toLowerCase()));
    const requests = pending.map((item) => ({
      id: item.id,
      method: item.method,
      url: item.url,
      ...(item.body !== undefined
        ? { body: item.body, headers: { 'Content-Type': 'application/json', ...item.headers } }
        : {}),
      ...(item.body === undefined && item.headers ? { headers: item.headers } : {}),
      ...(item.dependsOn?.some((d) => pendingIds.has(d.toLowerCase()))
        ? { dependsOn: item.dependsOn.filter((d) => pendingIds.has(d.toLowerCase())) }
        : {}),
    }));
    const budget: Budget = pending.map((item) => budgetOf(item.method, item.url, item.throttleClass));
    const reply = await client.request(
      {
        method: 'POST',
        path: '/$batch',
        body: { requests },
        readOnly: pending.every(retrySafe),
        ...(opts.priority ? { priority: opts.priority } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      budget,
    );
    const parsed = batchResponseSchema.safeParse(reply.body);
    if (!parsed.success) {
      throw new CodedError('unexpected_response', 'Graph returned a $batch reply that does not parse', {
        requestId: reply.headers['request-id'],
      });
    }
    const byId = new Map(parsed.data.responses.map((r) => [r.id.toLowerCase(), r]));
    const retry = new Set<string>();
    let longestWait: number | undefined;
    let throttled = false;
    for (const item of pending) {
      const key = item.id.toLowerCase();
      // A reply that lacks an item is treated like a gateway timeout for that item.
      const res = byId.get(key) ?? { id: item.id, status: 504, headers: {}, body: undefined };
      results.set(item.id, res);
      // A throttled write inside $batch has been seen to have executed: only reads are replayed.
      if (RETRYABLE.has(res.status) && retrySafe(item)) {
        retry.add(key);
        if (res.status === 429) {
          throttled = true;
          client.telemetry?.add('graphThrottled', 1, { 'url.template': resourceTemplate(item.url) });
        }
        const wait = parseRetryAfter(res.headers['retry-after'], clock.now());
        if (wait !== undefined) longestWait = Math.max(longestWait ?? 0, wait);
      }
    }
    // A 424 failed only because its dependency did; if that dependency is retried, retry the dependant too.
    let grew = true;
    while (grew) {
      grew = false;
      for (const item of pending) {
        const key = item.id.toLowerCase();
        const res = results.get(item.id);
        if (res?.status === 424 && !retry.has(key) && item.dependsOn?.some((d) => retry.has(d.toLowerCase()))) {
          retry.add(key);
          grew = true;
        }
      }
    }
    if (retry.size === 0) return;
    const round = throttled ? throttleRounds : serverRounds;
    const bound = throttled ? limits.maxThrottleRetries : limits.maxRetries;
    if (round >= bound) return;
    if (throttled) throttleRounds += 1;
    else serverRounds += 1;
    const wait = longestWait ?? backoffDelay(round, limits.backoffBaseMs, limits.backoffMaxMs);
    pending = pending.filter((p) => retry.has(p.id.toLowerCase()));
    client.logger.warn({ items: pending.length, waitMs: wait, throttled }, 'retrying failed $batch items');
    if (throttled) {
      const until = clock.now() + wait;
      for (const p of pending)
        client.scheduler(budgetOf(p.method, p.url, p.throttleClass).throttleClass).pauseUntil(until);
    } else {
      await clock.sleep(wait, opts.signal);
    }
  }
}

/** The parsed body of a 2xx batch item, or the coded error its status means (same mapping as a single request). */
export function batchItemValue<T extends z.ZodType>(
  result: BatchItemResult | undefined,
  item: BatchItem,
  schema: T,
): z.infer<T> {
  if (!result) throw new CodedError('graph_unavailable', `no reply for batch item ${item.id}`, { id: item.id });
  if (result.status >= 400) {
    if (!retrySafe(item) && (result.status >= 500 || result.status === 429)) {
      throw outcomeUnknown({ method: item.method, path: item.url }, `HTTP ${result.status} in $batch`, {
        status: result.status,
      });
    }
    throw graphErrorFromResponse(
      { status: result.status, headers: result.headers, body: result.body },
      { method: item.method, path: item.url, ...(item.permission ? { permission: item.permission } : {}) },
    );
  }
  const parsed = schema.safeParse(result.body);
  if (!parsed.success) {
    throw new CodedError('unexpected_response', `unexpected shape in batch item ${item.id}`, {
      id: item.id,
      issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return parsed.data;
}
