import type { MessageRule } from '../graph/schemas/message-rule';
import { classifyAddress } from '../mailbox/domains';
import { stableId } from './alert-id';
import { RULES } from './rule-catalog';
import type { Alert, AlertSubject } from './types';

/** The alert for an enabled inbox rule that forwards or redirects outside the tenant, or null. */
export function externalForwardingAlert(
  user: AlertSubject & { id: string },
  rule: MessageRule,
  verifiedDomains: readonly string[],
  now: number,
): Alert | null {
  if (rule.isEnabled === false) return null;
  const recipients = [...rule.actions.forwardTo, ...rule.actions.forwardAsAttachmentTo, ...rule.actions.redirectTo];
  const outside = recipients
    .map((r) => r.emailAddress.address ?? '')
    .filter((address) => {
      const kind = classifyAddress(address, verifiedDomains).kind;
      return kind === 'external' || kind === 'lookalike';
    });
  if (outside.length === 0) return null;
  const sorted = [...outside].map((a) => a.toLowerCase()).sort();
  return {
    // The same rule forwarding to the same addresses is one finding, however often the mailbox is checked.
    id: stableId('external-forwarding', user.id, rule.id, ...sorted),
    rule: 'external-forwarding',
    severity: RULES['external-forwarding'].severity,
    dedupeKey: `external-forwarding:${user.id}:${rule.id}`,
    occurredAt: new Date(now).toISOString(),
    subject: user,
    actor: null,
    actorKind: 'unknown',
    ip: null,
    location: null,
    activity: rule.displayName ?? '',
    detail: sorted.join(', '),
    sourceIds: [rule.id],
  };
}
