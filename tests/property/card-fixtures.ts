import type { AdaptiveCard } from '../../cards/elements';
import { alertDigestCards } from '../../cards/alert-digest.card';
import { alertStatusCard, alertsStoppedCard } from '../../cards/alert-status.card';
import { alertCard } from '../../cards/alert.card';
import { approvalJustifyCard } from '../../cards/approval-justify.card';
import { approvalAuditCard, approvalListCard } from '../../cards/approval-list.card';
import { approvalRequestCard } from '../../cards/approval-request.card';
import { approvalSecretCard } from '../../cards/approval-secret.card';
import { consumerAccountCard } from '../../cards/consumer-account.card';
import { forwardingCard } from '../../cards/forwarding.card';
import { helpCard } from '../../cards/help.card';
import { investigationCard } from '../../cards/investigation.card';
import { mfaUsabilityCard } from '../../cards/mfa-usability.card';
import { signInsCard } from '../../cards/sign-ins.card';
import { ssprCheckCard } from '../../cards/sspr-check.card';
import { ssprCard } from '../../cards/sspr.card';
import { sweepProgressCard } from '../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../cards/sweep-summary.card';
import { selfHealthCard } from '../../cards/self-health.card';
import { userSummaryCard } from '../../cards/user-summary.card';
import type { Alert, AlertRecord, Subscription } from '../../services/alerts/types';
import type { ApprovalRecord } from '../../services/approvals/types';
import type { AuditRecord } from '../../services/audit/audit-log';
import { riskyUserSchema, signInSchema, userRegistrationDetailsSchema } from '../../services/graph/schemas';
import { messageRuleSchema } from '../../services/graph/schemas/message-rule';
import { judgeConsumerAccount } from '../../services/identity/consumer-account';
import { assessMfa } from '../../services/identity/mfa-verdict';
import { summarizeSignIns } from '../../services/identity/sign-ins';
import { groupSsprAttempts, summarizeSspr } from '../../services/identity/sspr';
import type { ResetEmailCheck } from '../../services/identity/sspr-check';
import { ADVANCED_AUDITING_PLAN_ID, summarizeUser } from '../../services/identity/user-summary';
import { judgeMailboxForwarding, type ForwardingReport } from '../../services/mailbox/forwarding-check';
import { judgeRule } from '../../services/mailbox/rule-verdict';
import type { SweepProgressView, SweepSummaryView } from '../../services/mailbox/sweep-types';
import { ssprRecord, T0 } from '../unit/services/identity/sspr-records';
import {
  audit,
  authenticator,
  DAY,
  deviceOnlyTrail,
  input,
  NOW,
  password,
  phone,
  report,
} from '../unit/services/identity/mfa-fixtures';

/**
 * One fixture per exported card builder (every `*Card`/`*Cards` function of `cards/*.card.ts`; the property test
 * fails when a builder has none). A fixture calls its builder with `h()` — a fresh hostile string — in every field
 * that comes from Graph, Teams or a user, and our own wording (codes, enums, dates, our ids) elsewhere.
 */
export type CardFixture = (h: () => string) => AdaptiveCard[];

const VERIFIED = ['example.com'];

function mfaAssessment(h: () => string) {
  const base = input({
    methods: [password, authenticator('auth-1', DAY, h()), { ...phone, phoneNumber: h() }],
    report: report({ userPrincipalName: h(), methodsRegistered: [h()] }),
    events: [
      ...deviceOnlyTrail(DAY, 'auth-1'),
      audit({ activity: 'User registered security info', agoMs: 2 * DAY, reason: h() }),
    ],
  });
  return assessMfa({ ...base, user: { ...base.user, displayName: h(), userPrincipalName: h() } });
}

function signIn(h: () => string, id: string, extra: Record<string, unknown> = {}) {
  return signInSchema.parse({
    id,
    createdDateTime: new Date(NOW - 3600_000).toISOString(),
    appDisplayName: h(),
    ipAddress: h(),
    clientAppUsed: h(),
    status: { errorCode: 50126, failureReason: h() },
    location: { city: h(), state: h(), countryOrRegion: 'NG' },
    deviceDetail: { browser: h(), operatingSystem: h(), displayName: h() },
    riskLevelDuringSignIn: 'high',
    riskEventTypes: [h()],
    authenticationDetails: [{ authenticationMethod: h(), succeeded: true, authenticationStepResultDetail: h() }],
    ...extra,
  });
}

function forwardingReport(h: () => string): ForwardingReport {
  const rule = messageRuleSchema.parse({
    id: h(),
    displayName: h(),
    sequence: 1,
    isEnabled: true,
    hasError: true,
    conditions: { subjectContains: [h()], senderContains: [h()], bodyContains: [h()] },
    actions: {
      forwardTo: [{ emailAddress: { name: h(), address: `${h()}@evil.example.org` } }],
      redirectTo: [{ emailAddress: { name: h(), address: `x@${h()}` } }],
      moveToFolder: 'folder-1',
      markAsRead: true,
      delete: true,
    },
  });
  const folders = new Map([['folder-1', { found: true as const, displayName: h(), isHidden: true }]]);
  return {
    kind: 'checked',
    userId: h(),
    user: h(),
    rules: [judgeRule(rule, VERIFIED, folders)],
    mailbox: judgeMailboxForwarding(
      {
        userId: h(),
        upn: h(),
        forwardingSmtpAddress: `smtp:${h()}@evil.example.org`,
        forwardingAddress: h(),
        deliverToMailboxAndForward: true,
      },
      VERIFIED,
    ),
    severity: 'high',
  };
}

function alert(h: () => string, id: string): Alert {
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

function alertRecord(h: () => string): AlertRecord {
  return {
    alert: alert(h, 'alert-1'),
    acknowledged: { by: h(), at: '2026-11-22T11:59:00Z' },
    snoozed: { by: h(), until: '2026-11-23T11:59:00Z' },
    messages: {},
  };
}

function subscription(h: () => string): Subscription {
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

function approval(h: () => string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
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

function decided(h: () => string): ApprovalRecord[] {
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

function auditRecord(h: () => string, seq: number): AuditRecord {
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

function sweepProgress(h: () => string): SweepProgressView {
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

function sweepSummary(h: () => string): SweepSummaryView {
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

function ssprCheck(h: () => string): ResetEmailCheck {
  const attempts = groupSsprAttempts([
    ssprRecord('User submitted their user ID', { at: T0, ip: h() }),
    ssprRecord(h(), { at: T0 + 4_000, result: 'failure' }),
  ]);
  const attempt = attempts[0] ?? null;
  return {
    verdict: 'suspicious',
    reasons: [
      { kind: 'auth-failed', method: h(), result: h() },
      { kind: 'auth-domain-mismatch', domains: [h(), h()] },
      { kind: 'sender', address: h(), judgement: 'look-alike' },
      { kind: 'link', host: h(), judgement: 'other' },
      { kind: 'user-not-found', address: h() },
      ...(attempt ? [{ kind: 'flow-without-contact-admin' as const, attempt }] : []),
    ],
    headers: {
      kind: 'present',
      spf: h(),
      dkim: h(),
      dmarc: h(),
      compauth: h(),
      domains: [h()],
      aligned: false,
      allPass: false,
    },
    sender: { address: h(), judgement: 'look-alike' },
    links: [{ host: h(), judgement: 'other' }],
    user: { kind: 'found', address: h(), upn: h(), displayName: h(), attempts },
    matchingAttempt: attempt,
    contactAdmin: 'insufficient-methods',
    emailTime: T0 + 10_000,
    window: { start: T0 - 600_000, end: T0 + 60_000 },
  };
}

export const CARD_FIXTURES: Readonly<Record<string, CardFixture>> = {
  alertCard: (h) => [alertCard(alertRecord(h), NOW)],
  alertDigestCards: (h) => alertDigestCards([alert(h, 'a1'), alert(h, 'a2'), alert(h, 'a3')]).map((d) => d.card),
  alertStatusCard: (h) => [
    alertStatusCard({
      now: NOW,
      poller: {
        watermark: '2026-11-22T11:00:00Z',
        mirrorFrom: null,
        lastPollAt: '2026-11-22T11:00:00Z',
        lastPollOk: false,
        lastError: 'graph_forbidden',
        eventsRead: 3,
        alertsQueued: 2,
        suppressed: 1,
      },
      activePoller: 'pid-1',
      lagMs: 60_000,
      subscriptions: [{ ...subscription(h), queued: 2 }],
    }),
  ],
  alertsStoppedCard: (h) => [alertsStoppedCard(subscription(h), h())],
  approvalJustifyCard: (h) => [approvalJustifyCard('revoke', h())],
  approvalListCard: (h) => [approvalListCard(decided(h), NOW)],
  approvalAuditCard: (h) => [
    approvalAuditCard(h(), [auditRecord(h, 1), auditRecord(h, 2)], { ok: true, count: 2 }, NOW),
    approvalAuditCard(h(), [auditRecord(h, 3)], { ok: false, brokenAtSeq: 3, reason: 'hash mismatch' }, NOW),
  ],
  approvalRequestCard: (h) => decided(h).map((r) => approvalRequestCard(r, NOW)),
  approvalSecretCard: (h) => [
    approvalSecretCard({ kind: 'password', targetUpn: h(), secret: h(), approvalId: 'id-1' }),
    approvalSecretCard({ kind: 'tap', targetUpn: h(), secret: h(), lifetimeInMinutes: 60, approvalId: 'id-2' }),
  ],
  consumerAccountCard: (h) =>
    (
      [
        [6, 0],
        [1, 1],
        [0, null],
      ] as const
    ).map(([ifExists, msa]) =>
      consumerAccountCard({
        ...judgeConsumerAccount(
          h(),
          { kind: 'ok', value: { IfExistsResult: ifExists, ThrottleStatus: 0, EstsProperties: { DomainType: 3 } } },
          msa === null
            ? { kind: 'failed', reason: 'timeout' }
            : { kind: 'ok', value: { NameSpaceType: 'Managed', MicrosoftAccount: msa } },
        ),
        cached: true,
      }),
    ),
  forwardingCard: (h) => [
    forwardingCard(forwardingReport(h)),
    forwardingCard({ kind: 'no-mailbox', userId: h(), user: h() }),
  ],
  helpCard: () => [
    helpCard([{ name: 'user', usage: 'user <upn>', summary: 'who this user is' }], 'demo'),
    helpCard([{ name: 'mfa', usage: 'mfa <upn>', summary: 'is MFA usable' }], 'tenant'),
  ],
  investigationCard: (h) => {
    const mfa = mfaAssessment(h);
    return [
      investigationCard(
        {
          profile: summarizeUser({
            user: { id: h(), userPrincipalName: h(), displayName: h(), accountEnabled: true, proxyAddresses: [h()] },
            directoryRoles: [{ displayName: h() }],
            licenses: [{ skuPartNumber: h(), servicePlans: [] }],
          }),
          mfa,
          recentChanges: mfa.trail,
          signIns: {
            kind: 'read',
            value: summarizeSignIns(
              [signIn(h, 's1'), signIn(h, 's2')],
              riskyUserSchema.parse({ id: 'u1', riskLevel: 'high', riskState: 'atRisk', riskDetail: h() }),
              NOW,
            ),
          },
          riskUnavailable: null,
          forwarding: { kind: 'read', report: forwardingReport(h) },
        },
        NOW,
      ),
    ];
  },
  mfaUsabilityCard: (h) => [mfaUsabilityCard(mfaAssessment(h), NOW)],
  selfHealthCard: (h) =>
    (['credential', 'permission'] as const).map((kind) =>
      selfHealthCard(
        {
          alert: {
            ...alert(h, 'health-1'),
            rule: 'bot-health',
            health: {
              kind,
              job: 'approval worker',
              credential: 'clientSecret',
              permission: h(),
              request: h(),
              graphCode: h(),
            },
          },
          acknowledged: { by: h(), at: '2026-11-22T11:59:00Z' },
          snoozed: null,
          messages: {},
        },
        NOW,
      ),
    ),
  signInsCard: (h) => {
    const risky = riskyUserSchema.parse({ id: 'u1', riskLevel: 'high', riskState: 'atRisk', riskDetail: h() });
    return [
      signInsCard(
        { user: { displayName: h(), userPrincipalName: h() }, risk: { kind: 'read', riskyUser: risky } },
        summarizeSignIns([signIn(h, 's1'), signIn(h, 's2', { status: { errorCode: 0 } })], risky, NOW),
        NOW,
      ),
    ];
  },
  ssprCard: (h) => [
    ssprCard(
      { displayName: h(), userPrincipalName: h() },
      summarizeSspr(
        userRegistrationDetailsSchema.parse({
          id: 'u1',
          userPrincipalName: h(),
          isSsprEnabled: true,
          methodsRegistered: [h()],
        }),
        [
          ssprRecord('User submitted their user ID', { at: T0, ip: h() }),
          ssprRecord(h(), { at: T0 + 4_000, result: 'failure' }),
        ],
      ),
      T0 + 3600_000,
      true,
    ),
  ],
  ssprCheckCard: (h) => [ssprCheckCard(ssprCheck(h), T0 + 3600_000)],
  sweepProgressCard: (h) => [sweepProgressCard(sweepProgress(h))],
  sweepSummaryCard: (h) => [
    sweepSummaryCard(sweepSummary(h)),
    sweepSummaryCard({ ...sweepSummary(h), state: 'failed', failure: { code: 'graph_forbidden', permission: null } }),
  ],
  userSummaryCard: (h) => [
    userSummaryCard(
      summarizeUser({
        user: {
          id: h(),
          displayName: h(),
          userPrincipalName: h(),
          mail: h(),
          accountEnabled: true,
          onPremisesSyncEnabled: true,
          proxyAddresses: [`SMTP:${h()}`, `smtp:${h()}`, h()],
        },
        directoryRoles: [{ displayName: h() }],
        licenses: [
          {
            skuPartNumber: h(),
            servicePlans: [{ servicePlanId: ADVANCED_AUDITING_PLAN_ID, servicePlanName: h(), provisioningStatus: h() }],
          },
        ],
      }),
      NOW,
    ),
  ],
};
