/** Sending declared reads: one request, a paged collection, or several in one `$batch`, parsed by their schemas. */
import type { z } from 'zod';
import { CodedError } from '../errors';
import { batch, batchItemValue, type BatchItem, type BatchItemResult } from './batch';
import type { GraphClient, GraphRequestSpec } from './client';
import { permissionText, type BoundRead } from './endpoint';
import { collectAll, nextLinkPath, pageResults, type Page, type PagingOptions } from './paging';
import type { Priority } from './scheduler';

export interface ReadOptions {
  priority?: Priority;
  signal?: AbortSignal;
}

/** The request a bound read makes: its declared method, version, headers, permission and throttling class. */
export function requestOf(read: BoundRead<unknown>, opts: ReadOptions = {}): GraphRequestSpec {
  const e = read.endpoint;
  return {
    method: e.method,
    path: read.path,
    version: e.version,
    permission: permissionText(e),
    throttleClass: e.throttle,
    priority: opts.priority ?? 'interactive',
    ...(e.headers ? { headers: e.headers } : {}),
    // A POST among the reads changes nothing (checkMemberGroups), so it may be replayed like a GET.
    ...(read.body !== undefined ? { body: read.body, readOnly: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** One declared read, parsed; a non-2xx reply is the coded error the client maps it to. */
export async function readOne<T>(client: GraphClient, read: BoundRead<T>, opts: ReadOptions = {}): Promise<T> {
  const res = await client.request(requestOf(read, opts));
  const parsed = read.endpoint.schema.safeParse(res.body);
  if (!parsed.success)
    throw new CodedError('unexpected_response', `unexpected ${read.endpoint.name} shape from Graph`, {
      requestId: res.headers['request-id'],
      issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  return parsed.data;
}

function pagingOf(read: BoundRead<unknown>, opts: Omit<PagingOptions, 'request'>): PagingOptions {
  const { method: _m, path: _p, ...request } = requestOf(read, opts);
  return { ...opts, request };
}

function itemOf<T>(read: BoundRead<{ value: T[] }>): z.ZodType<T> {
  const item = read.endpoint.item;
  if (!item) throw new CodedError('internal', `${read.endpoint.name} is not a collection`, {});
  return item as z.ZodType<T>;
}

/** Every item of a declared collection, following `@odata.nextLink` up to the bounds. */
export function readAll<T>(
  client: GraphClient,
  read: BoundRead<{ value: T[] }>,
  opts: Omit<PagingOptions, 'request'> = {},
): Promise<{ items: T[]; pages: number; complete: boolean }> {
  return collectAll(client, read.path, itemOf(read), pagingOf(read, opts));
}

/** The pages of a declared collection, one at a time (the poller ingests each before reading the next). */
export function readPages<T>(
  client: GraphClient,
  read: BoundRead<{ value: T[] }>,
  opts: Omit<PagingOptions, 'request'> = {},
): AsyncGenerator<Page<T>, void, undefined> {
  return pageResults(client, read.path, itemOf(read), pagingOf(read, opts));
}

/** The rest of a declared collection after a first page that came with `@odata.nextLink` (in a `$batch` reply). */
export function readRest<T>(
  client: GraphClient,
  read: BoundRead<{ value: T[] }>,
  nextLink: string,
  opts: Omit<PagingOptions, 'request'> = {},
): Promise<{ items: T[]; pages: number; complete: boolean }> {
  return collectAll(client, nextLinkPath(nextLink), itemOf(read), pagingOf(read, opts));
}

/** Named reads for one `$batch`: the key is the batch item id (an undefined entry is left out). */
export type Reads = Readonly<Record<string, BoundRead<unknown> | undefined>>;
type ValueOf<R> = R extends BoundRead<infer T> ? T : never;

/** The replies of a `$batch` of declared reads, parsed on demand. */
export interface BatchReplies<R extends Reads> {
  /** The parsed reply; a non-2xx reply throws its coded error (a 403 names the declared permission). */
  value<K extends keyof R & string>(key: K): ValueOf<R[K]>;
  /** Like value, but Graph's 404 (no such record: no report row, no risk record) is null. */
  valueOrNull<K extends keyof R & string>(key: K): ValueOf<R[K]> | null;
}

/** Send independent declared reads in as few `$batch` round trips as Graph allows (20 per batch, class budgets). */
export async function readBatch<R extends Reads>(
  client: GraphClient,
  reads: R,
  opts: ReadOptions = {},
): Promise<BatchReplies<R>> {
  const items = new Map<string, BatchItem>(
    Object.entries(reads).flatMap(([id, read]) => {
      if (read === undefined) return [];
      const spec = requestOf(read);
      const item: BatchItem = {
        id,
        method: spec.method,
        url: spec.path,
        readOnly: true,
        throttleClass: read.endpoint.throttle,
        permission: permissionText(read.endpoint),
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
      };
      return [[id, item] as const];
    }),
  );
  const results: Map<string, BatchItemResult> = await batch(client, [...items.values()], {
    priority: opts.priority ?? 'interactive',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const parse = <K extends keyof R & string>(key: K): ValueOf<R[K]> => {
    const item = items.get(key);
    const read = reads[key];
    if (!item || !read) throw new CodedError('internal', `no batch read ${key}`, { key });
    return batchItemValue(results.get(key), item, read.endpoint.schema) as ValueOf<R[K]>;
  };
  return {
    value: parse,
    valueOrNull: (key) => (results.get(key)?.status === 404 ? null : parse(key)),
  };
}
