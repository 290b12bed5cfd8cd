import type { AdaptiveCard } from '../../cards/elements';
import { alertDigestCards } from '../../cards/alert-digest.card';
import { alertStatusCard, alertsStoppedCard } from '../../cards/alert-status.card';
import { alertCard } from '../../cards/alert.card';
import { approvalJustifyCard } from '../../cards/approval-justify.card';
import { approvalAuditCard, approvalListCard } from '../../cards/approval-list.card';
import { approvalRequestCard } from '../../cards/approval-request.card';
import { approvalSecretCard } from '../../cards/approval-secret.card';
import { consumerAccountCard } from '../../cards/consumer-account.card';
import { containPickJustifyCard } from '../../cards/contain-pick.card';
import { confirmQuestionCard } from '../../cards/confirm-question.card';
import { forwardingCard } from '../../cards/forwarding.card';
import { helpCard } from '../../cards/help.card';
import { investigationCard } from '../../cards/investigation.card';
import { mfaUsabilityCard } from '../../cards/mfa-usability.card';
import { postureCard } from '../../cards/posture.card';
import { chooseUserCard, closestCommandsCard, proposalCard } from '../../cards/phrase.card';
import { mfaReportCard } from '../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../cards/mfa-report-progress.card';
import { signInsCard } from '../../cards/sign-ins.card';
import { ssprCheckCard } from '../../cards/sspr-check.card';
import { ssprCard } from '../../cards/sspr.card';
import { sweepProgressCard } from '../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../cards/sweep-summary.card';
import { selfHealthCard } from '../../cards/self-health.card';
import { userSummaryCard } from '../../cards/user-summary.card';
import { riskyUserSchema, userRegistrationDetailsSchema } from '../../services/graph/schemas';
import { judgeConsumerAccount } from '../../services/identity/consumer-account';
import { summarizeSignIns } from '../../services/identity/sign-ins';
import { summarizeSspr } from '../../services/identity/sspr';
import { ADVANCED_AUDITING_PLAN_ID, summarizeUser } from '../../services/identity/user-summary';
import { ssprRecord, T0 } from '../unit/services/identity/sspr-records';
import { NOW } from '../unit/services/identity/mfa-fixtures';
import { forwardingReport, mfaAssessment, signIn, ssprCheck } from './card-views-identity';
import { exchangeInvestigation } from './card-views-exchange';
import { investigationSections } from './card-views-investigation';
import { alert, alertRecord, auditRecord, decided, subscription, sweepProgress, sweepSummary } from './card-views-ops';
import { postureReport } from './card-views-posture';
import { containApprovals } from './card-views-contain';
import { CONFIRM_STATES, confirmation, confirmedAlertRecords } from './card-views-confirm';
import { reportProgress, reportResult } from './card-views-report';

/**
 * One fixture per exported card builder (every `*Card`/`*Cards` function of `cards/*.card.ts`; the property test
 * fails when a builder has none). A fixture calls its builder with `h()` — a fresh hostile string — in every field
 * that comes from Graph, Teams or a user, and our own wording (codes, enums, dates, our ids) elsewhere.
 */
export type CardFixture = (h: () => string) => AdaptiveCard[];

export const CARD_FIXTURES: Readonly<Record<string, CardFixture>> = {
  alertCard: (h) => [alertRecord(h), ...confirmedAlertRecords(h)].map((r) => alertCard(r, NOW)),
  confirmQuestionCard: (h) => CONFIRM_STATES.map((state, i) => confirmQuestionCard(confirmation(h, state, i), NOW)),
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
  approvalRequestCard: (h) => [...decided(h), ...containApprovals(h)].map((r) => approvalRequestCard(r, NOW)),
  containPickJustifyCard: (h) => [containPickJustifyCard({ upn: h(), items: [h(), h()] })],
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
    helpCard([{ name: 'user', usage: 'user <upn>', summary: 'who this user is', available: true }], 'demo'),
    helpCard([{ name: 'mfa', usage: 'mfa <upn>', summary: 'is MFA usable', available: false }], 'tenant'),
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
          exchange: exchangeInvestigation(h),
          ...investigationSections(h),
        },
        NOW,
      ),
    ];
  },
  mfaUsabilityCard: (h) => [mfaUsabilityCard(mfaAssessment(h), NOW)],
  postureCard: (h) => [postureCard(postureReport(h, NOW))],
  proposalCard: (h) => [
    proposalCard({ command: 'revoke', args: `${h()} ${h()}` }, h(), true),
    proposalCard({ command: 'disable', args: h() }, h(), false),
  ],
  chooseUserCard: (h) =>
    [false, true].map((writes) =>
      chooseUserCard(
        h(),
        [
          { displayName: h(), userPrincipalName: h(), line: { command: writes ? 'revoke' : 'mfa', args: h() } },
          { displayName: null, userPrincipalName: h(), line: { command: writes ? 'revoke' : 'mfa', args: h() } },
        ],
        writes,
        writes,
      ),
    ),
  closestCommandsCard: (h) => [
    closestCommandsCard(h(), [
      { line: { command: 'mfa', args: h() }, usage: h(), summary: h() },
      { line: { command: 'help', args: '' }, usage: h(), summary: h() },
    ]),
  ],
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
  mfaReportProgressCard: (h) => [mfaReportProgressCard(reportProgress(h))],
  mfaReportCard: (h) => [
    mfaReportCard(reportResult(h)),
    mfaReportCard({ ...reportResult(h), state: 'failed', failure: { code: h(), permission: h() } }),
    mfaReportCard({ ...reportResult(h), failure: { code: 'graph_forbidden', permission: h() }, state: 'failed' }),
  ],
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
