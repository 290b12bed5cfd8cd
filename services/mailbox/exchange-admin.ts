import { z } from 'zod';
import { CodedError } from '../errors';
import type { TokenSource } from '../graph/credentials';
import { encodeRfc3986, odataString } from '../graph/odata';

/** Mailbox-level forwarding (Get-Mailbox), which Graph does not expose. */
export interface MailboxForwarding {
  userId: string;
  upn: string;
  forwardingSmtpAddress: string | null;
  forwardingAddress: string | null;
  deliverToMailboxAndForward: boolean;
}

/** Reads mailbox forwarding through the Exchange Online admin API (app-only, Exchange.ManageAsApp). */
export interface MailboxForwardingReader {
  /** The mailbox's forwarding settings, or null when Exchange has no mailbox for this user. */
  read(userId: string): Promise<MailboxForwarding | null>;
  /** Every mailbox in the tenant with forwarding set (one paged query instead of one call per mailbox). */
  listForwarding(): AsyncGenerator<MailboxForwarding[], void, undefined>;
}

export const EXCHANGE_PERMISSION =
  'Exchange.ManageAsApp (Office 365 Exchange Online) + an Exchange role such as View-Only Recipients';

const mailboxSchema = z.looseObject({
  ExternalDirectoryObjectId: z.string().nullable().optional(),
  UserPrincipalName: z.string().nullable().optional(),
  ForwardingSmtpAddress: z.string().nullable().optional(),
  ForwardingAddress: z.string().nullable().optional(),
  DeliverToMailboxAndForward: z.boolean().nullable().optional(),
});
const pageSchema = z.looseObject({ value: z.array(mailboxSchema), '@odata.nextLink': z.string().optional() });

export interface ExchangeAdminOptions {
  /** https://outlook.office365.com in production; the demo tenant's URL in demo mode. */
  baseUrl: string;
  /** Tenant id or a verified domain. */
  tenant: string;
  tokens: TokenSource;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  timeoutMs?: number;
}

function toForwarding(m: z.infer<typeof mailboxSchema>): MailboxForwarding {
  return {
    userId: (m.ExternalDirectoryObjectId ?? '').toLowerCase(),
    upn: m.UserPrincipalName ?? '',
    forwardingSmtpAddress: m.ForwardingSmtpAddress ?? null,
    forwardingAddress: m.ForwardingAddress ?? null,
    deliverToMailboxAndForward: m.DeliverToMailboxAndForward ?? false,
  };
}

/** The Exchange Online admin API adapter (`/adminapi/beta/{tenant}/Mailbox`). Failures are CodedErrors. */
export function createExchangeAdminReader(options: ExchangeAdminOptions): MailboxForwardingReader {
  const base = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const root = `${base}/adminapi/beta/${encodeRfc3986(options.tenant)}/Mailbox`;
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function get(url: string): Promise<z.infer<typeof pageSchema>> {
    // The token is for Exchange; a nextLink to another host must never receive it.
    if (new URL(url).origin !== origin)
      throw new CodedError('graph_bad_request', 'Exchange returned a link to another host');
    const token = await options.tokens.getToken();
    let res: Response;
    try {
      res = await fetchImpl(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CodedError(
        'graph_unavailable',
        'Exchange admin API did not answer',
        { service: 'exchange' },
        { cause: error },
      );
    }
    const body: unknown = await res.json().catch(() => undefined);
    const details = { status: res.status, service: 'exchange', requestId: res.headers.get('request-id') ?? undefined };
    if (res.status === 401) throw new CodedError('graph_unauthorized', 'Exchange rejected the token', details);
    if (res.status === 403)
      throw new CodedError('graph_forbidden', `Exchange returned 403: grant ${EXCHANGE_PERMISSION}`, {
        ...details,
        permission: EXCHANGE_PERMISSION,
      });
    if (res.status === 429) throw new CodedError('graph_throttled', 'Exchange throttled the bot', details);
    if (res.status >= 500) throw new CodedError('graph_unavailable', `Exchange returned ${res.status}`, details);
    if (res.status >= 400) throw new CodedError('graph_bad_request', `Exchange returned ${res.status}`, details);
    const parsed = pageSchema.safeParse(body);
    if (!parsed.success) throw new CodedError('graph_bad_request', 'unexpected Mailbox shape from Exchange', details);
    return parsed.data;
  }

  return {
    async read(userId) {
      const filter = `ExternalDirectoryObjectId eq ${odataString(userId)}`;
      const page = await get(`${root}?$filter=${encodeRfc3986(filter)}`);
      const first = page.value[0];
      return first ? toForwarding(first) : null;
    },
    async *listForwarding() {
      const filter = 'ForwardingSmtpAddress ne null or ForwardingAddress ne null';
      let url: string | undefined = `${root}?$filter=${encodeRfc3986(filter)}`;
      while (url !== undefined) {
        const page = await get(url);
        yield page.value.map(toForwarding);
        url = page['@odata.nextLink'];
      }
    },
  };
}
