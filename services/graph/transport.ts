import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenSource } from './credentials';

/** The fetch signature the client needs; tests pass one that trusts a local CA. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

function urlOf(context: Context): string {
  // RequestInfo comes from the DOM lib, which this project does not load; the SDK passes a string or a Request.
  const request: unknown = context.request;
  return typeof request === 'string' ? request : (request as { url: string }).url;
}

function setHeader(context: Context, name: string, value: string | undefined): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) {
    if (value === undefined) headers.delete(name);
    else headers.set(name, value);
    return;
  }
  const record: Record<string, string> = Array.isArray(headers)
    ? Object.fromEntries(headers.map(([k, v]) => [k ?? '', v ?? '']))
    : { ...(headers as Record<string, string> | undefined) };
  for (const key of Object.keys(record)) if (key.toLowerCase() === name.toLowerCase()) delete record[key];
  if (value !== undefined) record[name] = value;
  options.headers = record;
}

/**
 * Attaches `Authorization: Bearer …` to requests for the configured Graph origin and strips it from any other.
 * Replaces the SDK's AuthenticationHandler, whose host check ignores the port, needs customHosts, and skips http.
 */
export class BearerForOrigin implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly origin: string,
    private readonly tokens: TokenSource,
  ) {}

  async execute(context: Context): Promise<void> {
    const sameOrigin = new URL(urlOf(context)).origin === this.origin;
    setHeader(context, 'Authorization', sameOrigin ? `Bearer ${await this.tokens.getToken()}` : undefined);
    if (!this.next) throw new Error('BearerForOrigin must not be the last middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The last link: one fetch, no retries (retrying is the client's decision, by method and status). */
export class FetchOnce implements Middleware {
  constructor(private readonly fetchImpl: FetchLike) {}

  async execute(context: Context): Promise<void> {
    context.response = await this.fetchImpl(urlOf(context), context.options ?? {});
  }
}
