import type { InboundActivity } from './inbound-activity';

/** Why an activity is refused before any handler runs. */
export type GuardResult =
  { ok: true; tenantId: string } | { ok: false; reason: 'wrong_channel' | 'no_tenant' | 'wrong_tenant' };

/**
 * Bot Framework authenticates the channel, not the tenant: a token for our app id can carry an activity from any
 * Teams tenant that installed the app. So every activity must be from Teams and from our tenant, and both places
 * an activity names its tenant (channelData.tenant.id, conversation.tenantId) must agree with ours when present.
 */
export function guardActivity(
  activity: Pick<InboundActivity, 'channelId' | 'channelData' | 'conversation'>,
  allowedTenantId: string,
): GuardResult {
  if (activity.channelId !== 'msteams') return { ok: false, reason: 'wrong_channel' };
  const tenantId = activity.channelData?.tenant?.id;
  if (!tenantId) return { ok: false, reason: 'no_tenant' };
  const allowed = allowedTenantId.toLowerCase();
  if (tenantId.toLowerCase() !== allowed) return { ok: false, reason: 'wrong_tenant' };
  const conversationTenant = activity.conversation.tenantId;
  if (conversationTenant !== undefined && conversationTenant.toLowerCase() !== allowed)
    return { ok: false, reason: 'wrong_tenant' };
  return { ok: true, tenantId };
}
