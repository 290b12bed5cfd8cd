import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { CodedError } from '../errors';
import type { TokenSource } from '../graph/credentials';
import { encodeRfc3986 } from '../graph/odata';
import { backoffDelay, parseRetryAfter } from '../graph/retry-timing';

/**
 * The documented Exchange Online Admin API (v2.0, preview): each endpoint accepts only these cmdlets
 * (learn.microsoft.com/exchange/reference/admin-api-endpoints-reference). Anything else needs the proxy below.
 */
export const DOCUMENTED_ENDPOINTS = {
  AcceptedDomain: ['Get-AcceptedDomain'],
  DistributionGroupMember: ['Get-DistributionGroupMember'],
  DynamicDistributionGroupMember: ['Get-DynamicDistributionGroupMember'],
  Mailbox: ['Get-Mailbox', 'Set-Mailbox'],
  MailboxFolderPermission: [
    'Get-MailboxFolderPermission',
    'Add-MailboxFolderPermission',
    'Set-MailboxFolderPermission',
    'Remove-MailboxFolderPermission',
  ],
  OrganizationConfig: ['Get-OrganizationConfig'],
} as const;
export type DocumentedEndpoint = keyof typeof DOCUMENTED_ENDPOINTS;

/** App-only permission of the documented v2.0 API. */
export const EXCHANGE_V2_PERMISSION =
  'Exchange.ManageAsAppV2 (Office 365 Exchange Online) + an Exchange RBAC role covering the objects read';
/** App-only permission of the REST module's beta surface and its InvokeCommand proxy. */
export const EXCHANGE_PERMISSION =
  'Exchange.ManageAsApp (Office 365 Exchange Online) + an Exchange role such as View-Only Recipients';

/** One cmdlet call. Writes are never retried: a timeout, 5xx or 429 on one is `graph_outcome_unknown`. */
export interface CmdletCall<T> {
  cmdlet: string;
  parameters?: Record<string, unknown>;
  /** Each returned object is parsed with it; a mismatch is an internal error naming the cmdlet. */
  schema: z.ZodType<T>;
  write?: boolean;
  /** X-AnchorMailbox routing hint (the docs: `UPN:<address>` for mailbox-scoped calls). */
  anchorMailbox?: string;
  /** Stop after this many pages (default 50). */
  maxPages?: number;
}

/** The Exchange Online admin surfaces the bot reads. Failures are CodedErrors with `details.service = 'exchange'`. */
export interface ExchangeAdminApi {
  /** A documented endpoint: `POST {base}/adminapi/v2.0/{tenant}/{endpoint}`. */
  run<T>(endpoint: DocumentedEndpoint, call: CmdletCall<T>): Promise<T[]>;
  /**
   * The undocumented `InvokeCommand` proxy of the Exchange PowerShell module (also used by CIPP):
   * `POST {base}/adminapi/beta/{tenant}/InvokeCommand`. Microsoft does not support it; callers say "can't tell" when it fails.
   */
  invoke<T>(call: CmdletCall<T>): Promise<T[]>;
  /** GET on the REST module's beta resources (`Mailbox?$filter=…`), page by page. */
  pages<T>(resource: string, query: Record<string, string>, schema: z.ZodType<T>): AsyncGenerator<T[], void, undefined>;
}

export interface ExchangeAdminOptions {
  /** https://outlook.office365.com in production; the demo tenant's URL in demo mode. */
  baseUrl: string;
  /** Tenant id or a verified domain. */
  tenant: string;
  tokens: TokenSource;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  clock?: Clock;
  timeoutMs?: number;
  maxRetries?: number;
  random?: () => number;
}

const pageSchema = z.looseObject({ value: z.array(z.unknown()).optional(), '@odata.nextLink': z.string().optional() });
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

class Transport extends Error {}

/** Creates the client. The token only ever goes to the configured Exchange origin. */
export function createExchangeAdminApi(options: ExchangeAdminOptions): ExchangeAdminApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const tenant = encodeRfc3986(options.tenant);
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 3;
  const random = options.random ?? Math.random;

  async function once(url: string, init: RequestInit): Promise<Response> {
    const token = await options.tokens.getToken();
    try {
      return await fetchImpl(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Transport('Exchange admin API did not answer', { cause: error });
    }
  }

  /** One page: retried (reads only) on 429/503/504 and transport failures, honouring Retry-After. */
  async function page(url: string, init: RequestInit, what: string, write: boolean, permission: string) {
    // A nextLink to another host must never receive the token.
    if (new URL(url).origin !== origin)
      throw new CodedError('unexpected_response', 'Exchange returned a link to another host');
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await once(url, init);
      } catch (error) {
        if (write)
          throw new CodedError('graph_outcome_unknown', `${what}: no answer from Exchange`, { service: 'exchange' });
        if (attempt >= maxRetries)
          throw new CodedError(
            'graph_unavailable',
            `${what}: Exchange did not answer`,
            { service: 'exchange' },
            { cause: error },
          );
        await clock.sleep(backoffDelay(attempt, BACKOFF_BASE_MS, BACKOFF_MAX_MS, random));
        continue;
      }
      const body: unknown = await res.json().catch(() => undefined);
      const requestId = res.headers.get('request-id') ?? undefined;
      const details = { status: res.status, service: 'exchange', cmdlet: what, ...(requestId ? { requestId } : {}) };
      if (res.status < 400) {
        const parsed = pageSchema.safeParse(body ?? {});
        if (!parsed.success)
          throw new CodedError('unexpected_response', `${what}: unexpected answer shape from Exchange`, details);
        return parsed.data;
      }
      const retryable = res.status === 429 || res.status === 503 || res.status === 504;
      if (write && (retryable || res.status >= 500))
        throw new CodedError('graph_outcome_unknown', `${what}: Exchange answered ${res.status}`, details);
      if (retryable && attempt < maxRetries) {
        const wait =
          parseRetryAfter(res.headers.get('retry-after') ?? undefined, clock.now()) ??
          backoffDelay(attempt, BACKOFF_BASE_MS, BACKOFF_MAX_MS, random);
        await clock.sleep(wait);
        continue;
      }
      throw errorFor(res.status, what, details, permission, body);
    }
  }

  async function post<T>(path: string, call: CmdletCall<T>, permission: string): Promise<T[]> {
    const body = JSON.stringify({
      CmdletInput: { CmdletName: call.cmdlet, ...(call.parameters ? { Parameters: call.parameters } : {}) },
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (call.anchorMailbox) headers['x-anchormailbox'] = call.anchorMailbox;
    const out: T[] = [];
    let url: string | undefined = `${base}${path}`;
    // Pages of a POST are fetched by posting the same body to the nextLink.
    for (let n = 0; url !== undefined && n < (call.maxPages ?? 50); n++) {
      const result = await page(url, { method: 'POST', headers, body }, call.cmdlet, call.write === true, permission);
      out.push(...parseItems(result.value ?? [], call.schema, call.cmdlet));
      url = result['@odata.nextLink'];
    }
    return out;
  }

  return {
    run: async (endpoint, call) => {
      if (!(DOCUMENTED_ENDPOINTS[endpoint] as readonly string[]).includes(call.cmdlet))
        // A programming error, not a tenant condition: the documented endpoints refuse any other cmdlet.
        throw new Error(`${call.cmdlet} is not served by the ${endpoint} endpoint`);
      return await post(`/adminapi/v2.0/${tenant}/${endpoint}`, call, EXCHANGE_V2_PERMISSION);
    },
    invoke: (call) => post(`/adminapi/beta/${tenant}/InvokeCommand`, call, EXCHANGE_PERMISSION),
    async *pages(resource, query, schema) {
      const search = Object.entries(query)
        .map(([k, v]) => `${k}=${encodeRfc3986(v)}`)
        .join('&');
      let url: string | undefined = `${base}/adminapi/beta/${tenant}/${resource}${search ? `?${search}` : ''}`;
      while (url !== undefined) {
        const result = await page(url, { method: 'GET' }, resource, false, EXCHANGE_PERMISSION);
        yield parseItems(result.value ?? [], schema, resource);
        url = result['@odata.nextLink'];
      }
    },
  };
}

function parseItems<T>(items: unknown[], schema: z.ZodType<T>, what: string): T[] {
  return items.map((item) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success)
      throw new CodedError('unexpected_response', `${what}: unexpected object shape from Exchange`, {
        service: 'exchange',
      });
    return parsed.data;
  });
}

/** Exchange's message in an error body (`{"error":{"code","message"}}`), if any. */
function errorMessage(body: unknown): string {
  const parsed = z.object({ error: z.object({ message: z.string() }) }).safeParse(body);
  return parsed.success ? parsed.data.error.message : '';
}

/** The permission to name when the app's Exchange role does not include a cmdlet. */
export function exchangeRoleFor(cmdlet: string): string {
  return `an Exchange role that includes ${cmdlet} (assigned to the app's service principal)`;
}

function errorFor(
  status: number,
  what: string,
  details: Record<string, unknown>,
  permission: string,
  body: unknown,
): CodedError {
  // A token that is valid but whose role lacks the cmdlet gets 401 "User is not allowed to call <cmdlet>"
  // (MicrosoftDocs/office-docs-powershell#7970): a missing permission, not a bad token.
  const denied = status === 401 ? /not allowed to call (\S+)/i.exec(errorMessage(body)) : null;
  if (denied) {
    const role = exchangeRoleFor(denied[1] ?? what);
    return new CodedError('graph_forbidden', `Exchange refused ${what}: grant ${role}`, {
      ...details,
      permission: role,
    });
  }
  if (status === 401) return new CodedError('graph_unauthorized', 'Exchange rejected the token', details);
  if (status === 403)
    return new CodedError('graph_forbidden', `Exchange returned 403 for ${what}: grant ${permission}`, {
      ...details,
      permission,
    });
  if (status === 404) return new CodedError('graph_not_found', `${what}: Exchange has no such object`, details);
  if (status === 429) return new CodedError('graph_throttled', 'Exchange throttled the bot', details);
  if (status >= 500) return new CodedError('graph_unavailable', `Exchange returned ${status}`, details);
  return new CodedError('graph_bad_request', `Exchange returned ${status} for ${what}`, details);
}
