import { z } from 'zod';
import { CodedError } from '../errors';
import type { GraphClient, GraphRequestSpec } from './client';
import type { Priority } from './scheduler';

/** Bounds and scheduling for a paged read. */
export interface PagingOptions {
  maxPages?: number;
  maxItems?: number;
  priority?: Priority;
  version?: 'v1.0' | 'beta';
  signal?: AbortSignal;
  /** What a declared read adds to every page's request: headers, permission, throttling class (read.ts). */
  request?: Omit<GraphRequestSpec, 'method' | 'path'>;
}

const pageSchema = z.looseObject({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/**
 * `@odata.nextLink` as a version-relative path, so the next page goes through our client to GRAPH_BASE_URL
 * (and the token never follows a link to another host).
 */
export function nextLinkPath(nextLink: string): string {
  const url = new URL(nextLink, 'https://graph.microsoft.com');
  const segments = url.pathname.split('/');
  const v = segments.findIndex((s) => s === 'v1.0' || s === 'beta');
  const rest = v === -1 ? url.pathname : `/${segments.slice(v + 1).join('/')}`;
  return `${rest}${url.search}`;
}

/** One fetched page: its parsed items and whether Graph offered another. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/** Pages of a collection with paging state; a page that fails with 429/5xx is retried by the client, never skipped. */
export async function* pageResults<T extends z.ZodType>(
  client: GraphClient,
  path: string,
  itemSchema: T,
  opts: PagingOptions = {},
): AsyncGenerator<Page<z.infer<T>>, void, undefined> {
  let next: string | undefined = path;
  let pageCount = 0;
  let itemCount = 0;
  while (next !== undefined) {
    if (opts.maxPages !== undefined && pageCount >= opts.maxPages) return;
    const res = await client.request({
      priority: opts.priority ?? 'interactive',
      ...(opts.version ? { version: opts.version } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...opts.request,
      method: 'GET',
      path: next,
    });
    const page = pageSchema.safeParse(res.body);
    if (!page.success) {
      throw new CodedError('unexpected_response', 'Graph returned a page without value[]', {
        requestId: res.headers['request-id'],
      });
    }
    const parsed = z.array(itemSchema).safeParse(page.data.value);
    if (!parsed.success) {
      throw new CodedError('unexpected_response', 'unexpected item shape in a Graph page', {
        requestId: res.headers['request-id'],
        issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    pageCount += 1;
    const link = page.data['@odata.nextLink'];
    next = link === undefined ? undefined : nextLinkPath(link);
    let items = parsed.data as z.infer<T>[];
    let truncated = false;
    if (opts.maxItems !== undefined && itemCount + items.length > opts.maxItems) {
      items = items.slice(0, opts.maxItems - itemCount);
      truncated = true;
    }
    itemCount += items.length;
    const atBound =
      (opts.maxItems !== undefined && itemCount >= opts.maxItems) ||
      (opts.maxPages !== undefined && pageCount >= opts.maxPages);
    yield { items, hasMore: truncated || next !== undefined };
    if (atBound) return;
  }
}

/** The items of each page of a collection, up to the bounds. */
export async function* pages<T extends z.ZodType>(
  client: GraphClient,
  path: string,
  itemSchema: T,
  opts: PagingOptions = {},
): AsyncGenerator<z.infer<T>[], void, undefined> {
  for await (const page of pageResults(client, path, itemSchema, opts)) yield page.items;
}

/** Every item of a collection (up to the bounds); `complete` is false when a bound stopped it before the end. */
export async function collectAll<T extends z.ZodType>(
  client: GraphClient,
  path: string,
  itemSchema: T,
  opts: PagingOptions = {},
): Promise<{ items: z.infer<T>[]; pages: number; complete: boolean }> {
  const items: z.infer<T>[] = [];
  let pageCount = 0;
  let complete = true;
  for await (const page of pageResults(client, path, itemSchema, opts)) {
    pageCount += 1;
    items.push(...page.items);
    complete = !page.hasMore;
  }
  return { items, pages: pageCount, complete };
}
