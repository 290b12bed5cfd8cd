/**
 * The Exchange Online reads of checks 6–8. The documented Admin API v2.0 serves Get-OrganizationConfig and Get-Mailbox;
 * Get-HostedOutboundSpamFilterPolicy, Get-TransportConfig and Get-CASMailbox exist only behind the undocumented
 * InvokeCommand proxy (unsupported by Microsoft): each read fails on its own into "can't tell".
 */
import { z } from 'zod';
import type { ExchangeAdminApi } from '../exchange/admin-api';
import type { OutboundSpamPolicy } from './exchange-checks';
import { settle } from './settle';
import type { Named, Source } from './types';

const outboundSpamSchema = z.looseObject({
  Name: z.string().nullable().optional(),
  Identity: z.string().nullable().optional(),
  AutoForwardingMode: z.string().nullable().optional(),
  IsDefault: z.boolean().nullable().optional(),
});
const organizationConfigSchema = z.looseObject({ AuditDisabled: z.boolean().nullable().optional() });
const transportConfigSchema = z.looseObject({ SmtpClientAuthenticationDisabled: z.boolean().nullable().optional() });
const mailboxSchema = z.looseObject({
  ExternalDirectoryObjectId: z.string().nullable().optional(),
  UserPrincipalName: z.string().nullable().optional(),
  PrimarySmtpAddress: z.string().nullable().optional(),
  DisplayName: z.string().nullable().optional(),
});
const casMailboxSchema = mailboxSchema.extend({
  PopEnabled: z.boolean().nullable().optional(),
  ImapEnabled: z.boolean().nullable().optional(),
});

function mailbox(m: z.infer<typeof mailboxSchema>): Named {
  return {
    id: m.ExternalDirectoryObjectId ?? m.PrimarySmtpAddress ?? '',
    name: m.UserPrincipalName ?? m.PrimarySmtpAddress ?? m.DisplayName ?? null,
    kind: 'mailbox',
  };
}

/** What checks 6–8 read from Exchange. */
export interface ExchangePosture {
  outboundSpam: Source<OutboundSpamPolicy[]>;
  organization: Source<{ auditDisabled: boolean | null }>;
  auditOff: Source<Named[]>;
  transport: Source<{ smtpClientAuthenticationDisabled: boolean | null }>;
  popImap: Source<(Named & { pop: boolean; imap: boolean })[]>;
}

const NOT_ENABLED = { kind: 'missing', need: { kind: 'setting', name: 'EXCHANGE_ADMIN_ENABLED' } } as const;

/** The five Exchange reads, in parallel; without the Exchange client every one is "can't tell: not enabled". */
export async function readExchangePosture(api: ExchangeAdminApi | undefined): Promise<ExchangePosture> {
  if (!api)
    return {
      outboundSpam: NOT_ENABLED,
      organization: NOT_ENABLED,
      auditOff: NOT_ENABLED,
      transport: NOT_ENABLED,
      popImap: NOT_ENABLED,
    };
  const [outboundSpam, organization, auditOff, transport, popImap] = await Promise.all([
    settle(async () =>
      (await api.invoke({ cmdlet: 'Get-HostedOutboundSpamFilterPolicy', schema: outboundSpamSchema })).map((p) => ({
        name: p.Name ?? p.Identity ?? '(unnamed policy)',
        autoForwardingMode: p.AutoForwardingMode ?? null,
        isDefault: p.IsDefault === true,
      })),
    ),
    settle(async () => {
      const [config] = await api.run('OrganizationConfig', {
        cmdlet: 'Get-OrganizationConfig',
        schema: organizationConfigSchema,
      });
      return { auditDisabled: config?.AuditDisabled ?? null };
    }),
    settle(async () =>
      (
        await api.run('Mailbox', {
          cmdlet: 'Get-Mailbox',
          parameters: { Filter: 'AuditEnabled -eq $false', ResultSize: 'Unlimited' },
          schema: mailboxSchema,
        })
      ).map(mailbox),
    ),
    settle(async () => {
      const [config] = await api.invoke({ cmdlet: 'Get-TransportConfig', schema: transportConfigSchema });
      return { smtpClientAuthenticationDisabled: config?.SmtpClientAuthenticationDisabled ?? null };
    }),
    settle(async () =>
      (
        await api.invoke({
          cmdlet: 'Get-CASMailbox',
          parameters: { Filter: 'PopEnabled -eq $true -or ImapEnabled -eq $true', ResultSize: 'Unlimited' },
          schema: casMailboxSchema,
        })
      ).map((m) => ({ ...mailbox(m), pop: m.PopEnabled === true, imap: m.ImapEnabled === true })),
    ),
  ]);
  return { outboundSpam, organization, auditOff, transport, popImap };
}
