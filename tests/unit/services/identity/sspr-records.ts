/** Builds SSPR directory audit records for tests. */
import { directoryAuditSchema, type DirectoryAudit } from '../../../../services/graph/schemas';

export const T0 = Date.parse('2026-11-22T11:00:00Z');
export const FLOW = 'Self-service password reset flow activity progress';
let n = 0;

export function ssprRecord(
  reason: string,
  opts: {
    at?: number;
    correlationId?: string | null;
    result?: string;
    ip?: string;
    activity?: string;
    service?: string;
  } = {},
): DirectoryAudit {
  n += 1;
  return directoryAuditSchema.parse({
    id: `rec-${n}`,
    activityDisplayName: opts.activity ?? FLOW,
    activityDateTime: new Date(opts.at ?? T0).toISOString(),
    loggedByService: opts.service ?? 'Self-service Password Management',
    correlationId: opts.correlationId === undefined ? 'corr-1' : opts.correlationId,
    result: opts.result ?? 'success',
    resultReason: reason,
    initiatedBy: {
      user: { id: 'u1', userPrincipalName: 'sspr.user@example.com', ipAddress: opts.ip ?? '203.0.113.45' },
    },
    targetResources: [{ id: 'u1', type: 'User' }],
  });
}
