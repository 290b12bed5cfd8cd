import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext } from '../http/types';
import { FilterSyntaxError, parseFilter, type FilterNode } from './filter-parse';
import { checkFilterSupport, type FilterSupport, UnsupportedFilterError } from './filter-eval';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: DemoResponse };

/** Parses and checks $filter; `null` when absent. Errors come back as Graph's 400 responses. */
export function readFilter(
  ctx: HandlerContext,
  req: DemoRequest,
  support: FilterSupport,
  errorCode = 'BadRequest',
): Parsed<FilterNode | null> {
  const source = req.query.get('$filter');
  if (source === null || source.trim() === '') return { ok: true, value: null };
  try {
    const node = parseFilter(source);
    checkFilterSupport(node, support);
    return { ok: true, value: node };
  } catch (err) {
    if (err instanceof FilterSyntaxError) {
      return { ok: false, response: badRequest(ctx, `Invalid filter clause: ${err.message}`, errorCode) };
    }
    if (err instanceof UnsupportedFilterError) {
      return { ok: false, response: badRequest(ctx, err.message, 'Request_UnsupportedQuery') };
    }
    throw err;
  }
}

/** $skiptoken is opaque to clients; here it carries the offset of the next page. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeSkipToken(token: string): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'o' in parsed && typeof parsed.o === 'number') {
      return parsed.o >= 0 && Number.isInteger(parsed.o) ? parsed.o : null;
    }
    return null;
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

export interface PageOptions {
  contextPath: string;
  defaultTop: number;
  maxTop: number;
  /** Properties a $select may name; when absent $select is ignored. */
  selectable?: readonly string[];
  /** What an item shows without $select (Graph's default property set). */
  defaultProperties?: readonly string[];
  typeName?: string;
  count?: boolean;
}

/** Reads $top and $skiptoken. */
export function readPaging(
  ctx: HandlerContext,
  req: DemoRequest,
  opts: PageOptions,
): Parsed<{ top: number; offset: number }> {
  const topRaw = req.query.get('$top');
  let top = opts.defaultTop;
  if (topRaw !== null) {
    const n = Number(topRaw);
    if (!Number.isInteger(n) || n < 1 || n > opts.maxTop) {
      return {
        ok: false,
        response: badRequest(
          ctx,
          `Invalid page size specified: '${topRaw}'. Must be between 1 and ${opts.maxTop} inclusive.`,
          'Request_BadRequest',
        ),
      };
    }
    top = n;
  }
  const tokenRaw = req.query.get('$skiptoken');
  let offset = 0;
  if (tokenRaw !== null) {
    const decoded = decodeSkipToken(tokenRaw);
    if (decoded === null)
      return { ok: false, response: badRequest(ctx, 'Invalid $skiptoken value.', 'Request_BadRequest') };
    offset = decoded;
  }
  return { ok: true, value: { top, offset } };
}

/** Reads $select against the resource's property list. */
export function readSelect(ctx: HandlerContext, req: DemoRequest, opts: PageOptions): Parsed<string[] | null> {
  const raw = req.query.get('$select');
  if (raw === null || raw.trim() === '' || !opts.selectable) return { ok: true, value: null };
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const chosen: string[] = [];
  for (const field of fields) {
    const known = opts.selectable.find((p) => p.toLowerCase() === field.toLowerCase());
    if (!known) {
      return {
        ok: false,
        response: badRequest(
          ctx,
          `Could not find a property named '${field}' on type '${opts.typeName ?? 'microsoft.graph.entity'}'.`,
          'Request_BadRequest',
        ),
      };
    }
    chosen.push(known);
  }
  return { ok: true, value: chosen };
}

/** Keeps only the named properties (and @odata.type, which Graph keeps on derived types). */
export function project(item: GraphObject, fields: readonly string[] | null | undefined): GraphObject {
  if (!fields) return item;
  const out: GraphObject = {};
  if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
  for (const field of fields) out[field] = item[field] ?? null;
  return out;
}

/** One page of a collection with @odata.context, @odata.count and @odata.nextLink as Graph sends them. */
export function pageResponse(
  ctx: HandlerContext,
  req: DemoRequest,
  items: readonly GraphObject[],
  opts: PageOptions,
): DemoResponse {
  const paging = readPaging(ctx, req, opts);
  if (!paging.ok) return paging.response;
  const select = readSelect(ctx, req, opts);
  if (!select.ok) return select.response;
  const { top, offset } = paging.value;
  const fields = select.value ?? opts.defaultProperties ?? null;
  const page = items.slice(offset, offset + top).map((item) => project(item, fields));
  const context = select.value ? `${opts.contextPath}(${select.value.join(',')})` : opts.contextPath;
  const body: GraphObject = { '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#${context}` };
  if (opts.count) body['@odata.count'] = items.length;
  if (offset + top < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', encodeSkipToken(offset + top));
    next.delete('$count');
    body['@odata.nextLink'] =
      `${ctx.baseUrl}/${req.version}/${req.segments.map(encodeURIComponent).join('/')}?${next.toString().replace(/%24/g, '$')}`;
  }
  body.value = page;
  return { status: 200, body };
}

/**
 * Like pageResponse over `sources.map(toItem)`, but only the requested page is built: an unfiltered listing of a large
 * tenant (users, the registration report) costs one page of work per request, not the whole directory.
 */
export function lazyPageResponse<S>(
  ctx: HandlerContext,
  req: DemoRequest,
  sources: readonly S[],
  toItem: (source: S) => GraphObject,
  opts: PageOptions,
): DemoResponse {
  const paging = readPaging(ctx, req, opts);
  if (!paging.ok) return paging.response;
  const { top, offset } = paging.value;
  const items: GraphObject[] = new Array<GraphObject>(sources.length);
  const end = Math.min(sources.length, offset + top);
  for (let i = offset; i < end; i += 1) items[i] = toItem(sources[i] as S);
  return pageResponse(ctx, req, items, opts);
}

/** $count=true needs ConsistencyLevel: eventual on directory objects, as in Graph. */
export function readCount(ctx: HandlerContext, req: DemoRequest): Parsed<boolean> {
  const raw = req.query.get('$count');
  if (raw === null || raw.toLowerCase() === 'false') return { ok: true, value: false };
  if (raw.toLowerCase() !== 'true') return { ok: false, response: badRequest(ctx, `Invalid $count value '${raw}'.`) };
  if ((req.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
    return {
      ok: false,
      response: graphError(ctx, 400, 'Request_BadRequest', 'Count is not currently supported.'),
    };
  }
  return { ok: true, value: true };
}

/** A single object with its @odata.context. */
export function entityResponse(
  ctx: HandlerContext,
  req: DemoRequest,
  contextPath: string,
  item: GraphObject,
): DemoResponse {
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#${contextPath}`, ...item } };
}
