import type { Activity } from 'botbuilder';

/** Why an activity is refused before any handler runs. */
export type GuardResult =
  { ok: true; tenantId: string } | { ok: false; reason: 'wrong_channel' | 'no_tenant' | 'wrong_tenant' };

/**
 * Bot Framework authenticates the channel, not the tenant: a token for our app id can carry an activity from any
 * Teams tenant that installed the app. So every activity must be from Teams and from our tenant.
 */
export function guardActivity(activity: Partial<Activity>, allowedTenantId: string): GuardResult {
  if (activity.channelId !== 'msteams') return { ok: false, reason: 'wrong_channel' };
  const channelData: unknown = activity.channelData;
  const tenant =
    typeof channelData === 'object' && channelData !== null && 'tenant' in channelData ? channelData.tenant : undefined;
  const tenantId =
    typeof tenant === 'object' && tenant !== null && 'id' in tenant && typeof tenant.id === 'string' ? tenant.id : null;
  if (!tenantId) return { ok: false, reason: 'no_tenant' };
  if (tenantId.toLowerCase() !== allowedTenantId.toLowerCase()) return { ok: false, reason: 'wrong_tenant' };
  return { ok: true, tenantId };
}
