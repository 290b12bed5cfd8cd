import { z } from 'zod';
import type { ExchangeAdminApi } from '../exchange/admin-api';
import { odataString } from '../graph/odata';

export { EXCHANGE_PERMISSION } from '../exchange/admin-api';

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

const mailboxSchema = z.looseObject({
  ExternalDirectoryObjectId: z.string().nullable().optional(),
  UserPrincipalName: z.string().nullable().optional(),
  ForwardingSmtpAddress: z.string().nullable().optional(),
  ForwardingAddress: z.string().nullable().optional(),
  DeliverToMailboxAndForward: z.boolean().nullable().optional(),
});

function toForwarding(m: z.infer<typeof mailboxSchema>): MailboxForwarding {
  return {
    userId: (m.ExternalDirectoryObjectId ?? '').toLowerCase(),
    upn: m.UserPrincipalName ?? '',
    forwardingSmtpAddress: m.ForwardingSmtpAddress ?? null,
    forwardingAddress: m.ForwardingAddress ?? null,
    deliverToMailboxAndForward: m.DeliverToMailboxAndForward ?? false,
  };
}

/** Mailbox forwarding over the REST module's `Mailbox` resource (`/adminapi/beta/{tenant}/Mailbox?$filter=…`). */
export function createExchangeAdminReader(api: ExchangeAdminApi): MailboxForwardingReader {
  return {
    async read(userId) {
      const pages = api.pages(
        'Mailbox',
        { $filter: `ExternalDirectoryObjectId eq ${odataString(userId)}` },
        mailboxSchema,
      );
      for await (const page of pages) {
        const first = page[0];
        return first ? toForwarding(first) : null;
      }
      return null;
    },
    async *listForwarding() {
      const filter = 'ForwardingSmtpAddress ne null or ForwardingAddress ne null';
      for await (const page of api.pages('Mailbox', { $filter: filter }, mailboxSchema)) yield page.map(toForwarding);
    },
  };
}
