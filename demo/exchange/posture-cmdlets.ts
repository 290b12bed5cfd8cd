/** The Exchange cmdlets `posture` reads: organisation and transport settings, outbound spam policies, CAS mailboxes. */
import { badRequest } from '../http/graph-error';
import type { GraphObject } from '../http/types';
import { hasMailbox } from '../mailbox';
import type { Cmdlet, CmdletResult } from './cmdlets';
import { parseOpath } from './opath';
import { findMailbox, objectNotFound } from './recipients';
import { exchangeSim } from './state';

/** Applies a cmdlet's `-Filter` parameter (OPATH subset) to its objects; an unparseable filter is Exchange's 400. */
export function filtered(
  ctx: Parameters<Cmdlet>[0],
  parameters: Record<string, unknown>,
  items: GraphObject[],
): CmdletResult {
  if (parameters.Filter === undefined) return { ok: true, items };
  const filter = typeof parameters.Filter === 'string' ? parseOpath(parameters.Filter) : null;
  if (!filter)
    return {
      ok: false,
      response: badRequest(
        ctx,
        `Cannot bind parameter 'Filter' to the target. Invalid filter syntax.`,
        'InvalidFilter',
      ),
    };
  return { ok: true, items: items.filter(filter) };
}

const getOrganizationConfig: Cmdlet = (ctx) => ({
  ok: true,
  items: [
    {
      Identity: ctx.state.tenantDisplayName,
      Name: ctx.state.verifiedDomains[0] ?? 'demo',
      AuditDisabled: ctx.state.posture.auditDisabled,
    },
  ],
});

const getTransportConfig: Cmdlet = (ctx) => ({
  ok: true,
  items: [
    {
      Identity: 'Transport Settings',
      SmtpClientAuthenticationDisabled: ctx.state.posture.smtpClientAuthenticationDisabled,
    },
  ],
});

const getHostedOutboundSpamFilterPolicy: Cmdlet = (ctx) => ({
  ok: true,
  items: ctx.state.posture.outboundSpamPolicies,
});

const getCasMailbox: Cmdlet = (ctx, parameters) => {
  const items: GraphObject[] = [];
  // -Identity names one mailbox (UPN, address or object id); unknown is Exchange's not-found.
  const one = parameters.Identity !== undefined ? findMailbox(ctx, parameters.Identity) : null;
  if (parameters.Identity !== undefined && !one) return objectNotFound(ctx, parameters.Identity);
  for (const user of ctx.state.users.values()) {
    if (!hasMailbox(user) || (one && one.id !== user.id)) continue;
    const protocols = ctx.state.posture.popImap.get(user.id);
    items.push({
      Identity: user.userPrincipalName,
      Name: user.displayName,
      DisplayName: user.displayName,
      PrimarySmtpAddress: user.mail,
      ExternalDirectoryObjectId: user.id,
      PopEnabled: protocols?.pop ?? false,
      ImapEnabled: protocols?.imap ?? false,
      SmtpClientAuthenticationDisabled: null,
      ActiveSyncEnabled: true,
      ActiveSyncBlockedDeviceIDs: exchangeSim(ctx.state).activeSyncBlocked.get(user.id) ?? [],
      ActiveSyncAllowedDeviceIDs: [],
    });
  }
  return filtered(ctx, parameters, items);
};

export const POSTURE_CMDLETS: Readonly<Record<string, Cmdlet>> = {
  'Get-OrganizationConfig': getOrganizationConfig,
  'Get-TransportConfig': getTransportConfig,
  'Get-HostedOutboundSpamFilterPolicy': getHostedOutboundSpamFilterPolicy,
  'Get-CASMailbox': getCasMailbox,
};
