import type { Alert, AlertRecord, Subscription } from '../../services/alerts/types';
import type { ApprovalRecord } from '../../services/approvals/types';
import type { AuditRecord } from '../../services/audit/audit-log';
import type { SweepProgressView, SweepSummaryView } from '../../services/mailbox/sweep-types';
import { NOW } from '../unit/services/identity/mfa-fixtures';

// View data for the alert, approval, audit and sweep cards with `h()` (a fresh hostile string) in every field that
// comes from Graph or Teams: names, UPNs, ids of Graph objects, justifications, domains, channel ids.

export function alert(h: () => string, id: string): Alert {
  return {
    id,
    rule: 'consent-granted',
    severity: 'high',
    dedupeKey: 'k',
    occurredAt: '2026-11-22T11:58:00Z',
    subject: { id: h(), upn: h(), displayName: h() },
    actor: h(),
    actorKind: 'app',
    ip: h(),
    location: h(),
    activity: h(),
    detail: h(),
    sourceIds: ['e1'],
  };
}

export function alertRecord(h: () => string): AlertRecord {
  return {
    alert: alert(h, 'alert-1'),
    acknowledged: { by: h(), at: '2026-11-22T11:59:00Z' },
    snoozed: { by: h(), until: '2026-11-23T11:59:00Z' },
    messages: {},
  };
}

export function subscription(h: () => string): Subscription {
  return {
    key: 'sub-1',
    conversation: {
      conversationId: h(),
      conversationType: 'channel',
      tenantId: 't',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: h(),
      reference: {},
    },
    active: false,
    subscribedBy: h(),
    subscribedAt: '2026-11-22T10:00:00Z',
    inactiveReason: h(),
    delivered: 1,
    failed: 0,
    lastDeliveredAt: null,
  };
}

export function approval(h: () => string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: '8f0c8f57-64c2-4cf4-9f33-1b2f3c4d5e6f',
    action: 'contain',
    target: {
      id: h(),
      upn: h(),
      displayName: h(),
      accountEnabled: true,
      synced: true,
      guest: true,
      adminRoles: [h(), h()],
      protectedMember: false,
    },
    steps: [
      { kind: 'revoke' },
      { kind: 'disable-rule', ruleId: h(), ruleName: h() },
      { kind: 'remove-method', methodId: h(), methodType: h() },
    ],
    justification: h(),
    requester: { aadObjectId: h(), name: h() },
    createdAt: NOW,
    expiresAt: NOW + 30 * 60_000,
    hash: 'a'.repeat(64),
    dryRun: false,
    warnings: ['synced-mastered-on-premises'],
    state: 'pending',
    ...overrides,
  };
}

export function decided(h: () => string): ApprovalRecord[] {
  const by = () => ({ aadObjectId: h(), name: h() });
  const results = (ok: boolean) => ({
    startedAt: NOW,
    results: [{ step: { kind: 'revoke' as const }, ok, reasons: ['graph-error' as const], requestIds: [h()] }],
  });
  return [
    approval(h),
    approval(h, { state: 'approved', decision: { kind: 'approved', by: by(), at: NOW } }),
    approval(h, { state: 'executing', decision: { kind: 'approved', by: by(), at: NOW } }),
    approval(h, { state: 'rejected', decision: { kind: 'rejected', by: by(), at: NOW } }),
    approval(h, { state: 'done', decision: { kind: 'approved', by: by(), at: NOW }, execution: results(true) }),
    approval(h, { state: 'failed', decision: { kind: 'approved', by: by(), at: NOW }, execution: results(false) }),
    approval(h, { state: 'expired' }),
  ];
}

export function auditRecord(h: () => string, seq: number): AuditRecord {
  return {
    id: `id-${seq}`,
    seq,
    at: new Date(NOW - seq * 60_000).toISOString(),
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    actor: { aadObjectId: h(), name: h() },
    action: h(),
    target: h(),
    outcome: h(),
    correlationId: h(),
    details: { decidedByName: h(), steps: h() },
  };
}

export function sweepProgress(h: () => string): SweepProgressView {
  return {
    jobId: '6f1c2a9e-0000-4000-8000-000000000001',
    scope: { kind: 'group', groupId: '6f1c2a9e-0000-4000-8000-000000000002' },
    state: 'running',
    requesterName: h(),
    done: 2_500,
    total: 10_000,
    findings: 42,
    flaggedMailboxes: 30,
    ratePerMinute: 4_800,
    etaMs: 93_750,
    startedAt: NOW - 31_000,
    now: NOW,
  };
}

export function sweepSummary(h: () => string): SweepSummaryView {
  return {
    ...sweepProgress(h),
    state: 'cancelled',
    done: 10_000,
    mailboxes: 9_700,
    noMailbox: 300,
    errors: 3,
    findingsBySeverity: { high: 101, medium: 50, low: 49 },
    topDomains: [
      { domain: h(), findings: 60 },
      { domain: h(), findings: 41 },
    ],
    mailboxForwardingChecked: true,
    failure: null,
    cancelledBy: h(),
    csvUrl: 'https://bot.example.com/sweep/6f1c/findings.csv?t=abc',
  };
}
