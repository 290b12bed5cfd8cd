import assert from 'node:assert/strict';
import { CodedError } from '../../../../services/errors';
import { licenseDetailSchema } from '../../../../services/graph/schemas/license';
import { secureScoreControlProfileSchema, secureScoreSchema } from '../../../../services/graph/schemas/posture';
import { checkAutoForwarding, checkMailboxAudit, checkSmtpPopImap } from '../../../../services/posture/exchange-checks';
import { orderChecks } from '../../../../services/posture/posture';
import { checkAdvancedAudit, checkSecureScore, hasAdvancedAuditing } from '../../../../services/posture/score-checks';
import { needOf } from '../../../../services/posture/settle';
import type { Named, Need, PostureCheck } from '../../../../services/posture/types';
import { missing, read } from './fixtures';

const EXCHANGE_OFF: Need = { kind: 'setting', name: 'EXCHANGE_ADMIN_ENABLED' };
const mailbox = (n: string): Named => ({ id: n, name: n, kind: 'mailbox' });

describe('posture: automatic external forwarding (check 6)', () => {
  it('fails when any outbound spam policy has AutoForwardingMode On, and carries the last sweep', () => {
    const sweep = { finishedAt: 1, mailboxes: 40, externalForwarders: 3 };
    const c = checkAutoForwarding(
      read([
        { name: 'Default', autoForwardingMode: 'Automatic', isDefault: true },
        { name: 'Finance', autoForwardingMode: 'On', isDefault: false },
      ]),
      sweep,
    );
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(c.lastSweep, sweep);
  });

  it('passes with Automatic and Off', () => {
    const c = checkAutoForwarding(
      read([
        { name: 'Default', autoForwardingMode: 'Automatic', isDefault: true },
        { name: 'Strict', autoForwardingMode: 'Off', isDefault: false },
      ]),
      null,
    );
    assert.equal(c.verdict, 'pass');
  });

  it("can't tell, naming EXCHANGE_ADMIN_ENABLED, without the Exchange admin API", () => {
    const c = checkAutoForwarding(missing(EXCHANGE_OFF), null);
    assert.equal(c.verdict, 'cant-tell');
    assert.deepEqual(c.need, EXCHANGE_OFF);
  });
});

describe('posture: mailbox auditing (check 7)', () => {
  it('fails when the organisation disables auditing or a mailbox has it off', () => {
    assert.equal(checkMailboxAudit(read({ auditDisabled: true }), read([])).verdict, 'fail');
    const c = checkMailboxAudit(read({ auditDisabled: false }), read([mailbox('ceo@x')]));
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(
      c.mailboxesOff?.map((m) => m.name),
      ['ceo@x'],
    );
  });

  it("passes when both are clean; can't tell when the mailbox list failed", () => {
    assert.equal(checkMailboxAudit(read({ auditDisabled: false }), read([])).verdict, 'pass');
    const failed: Need = { kind: 'failed', service: 'exchange', code: 'graph_unavailable' };
    const c = checkMailboxAudit(read({ auditDisabled: false }), missing(failed));
    assert.equal(c.verdict, 'cant-tell');
    assert.deepEqual(c.need, failed);
  });
});

describe('posture: SMTP AUTH, POP and IMAP (check 8)', () => {
  it('fails with SMTP AUTH enabled at the transport level, or any mailbox with POP or IMAP', () => {
    assert.equal(checkSmtpPopImap(read({ smtpClientAuthenticationDisabled: false }), read([])).verdict, 'fail');
    const pop = [{ ...mailbox('old@x'), pop: true, imap: false }];
    assert.equal(checkSmtpPopImap(read({ smtpClientAuthenticationDisabled: true }), read(pop)).verdict, 'fail');
  });

  it("passes when SMTP AUTH is disabled and no mailbox has POP/IMAP; the proxy failing is can't tell", () => {
    assert.equal(checkSmtpPopImap(read({ smtpClientAuthenticationDisabled: true }), read([])).verdict, 'pass');
    const refused: Need = { kind: 'permission', name: 'Exchange.ManageAsApp' };
    assert.equal(checkSmtpPopImap(missing(refused), read([])).verdict, 'cant-tell');
  });
});

const licence = (planName: string, status = 'Success') =>
  licenseDetailSchema.parse({
    id: 'l',
    skuId: 's',
    servicePlans: [
      {
        servicePlanId: planName === 'M365_ADVANCED_AUDITING' ? '2f442157-a11c-46b9-ae5b-6e39ff4e5849' : 'x',
        servicePlanName: planName,
        provisioningStatus: status,
      },
    ],
  });
const person = (n: string, licences: ReturnType<typeof licence>[]) => ({
  who: { id: n, name: n, kind: 'user' as const },
  licences,
});

describe('posture: advanced auditing licensed for admins and VIPs (check 9)', () => {
  it('counts Audit (Premium) only when provisioned', () => {
    assert.equal(hasAdvancedAuditing([licence('M365_ADVANCED_AUDITING')]), true);
    assert.equal(hasAdvancedAuditing([licence('M365_ADVANCED_AUDITING', 'PendingProvisioning')]), false);
    assert.equal(hasAdvancedAuditing([licence('EXCHANGE_S_ENTERPRISE')]), false);
  });

  it('fails naming the admins and VIPs without it', () => {
    const c = checkAdvancedAudit(
      read([person('admin@x', [licence('M365_ADVANCED_AUDITING')]), person('admin2@x', [])]),
      read({ members: [person('ceo@x', [licence('EXCHANGE_S_ENTERPRISE')])], complete: true }),
    );
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(
      c.admins?.unlicensed.map((u) => u.name),
      ['admin2@x'],
    );
    assert.ok(typeof c.vip === 'object' && c.vip?.unlicensed[0]?.name === 'ceo@x');
  });

  it("passes for admins alone without VIP_GROUP_ID; can't tell naming LicenseAssignment.Read.All", () => {
    const c = checkAdvancedAudit(read([person('admin@x', [licence('M365_ADVANCED_AUDITING')])]), 'not-configured');
    assert.equal(c.verdict, 'pass');
    assert.equal(c.vip, 'not-configured');
    const need: Need = { kind: 'permission', name: 'LicenseAssignment.Read.All' };
    assert.deepEqual(checkAdvancedAudit(missing(need), 'not-configured').need, need);
  });
});

describe('posture: Secure Score (check 10)', () => {
  const score = secureScoreSchema.parse({
    id: 't_2026-12-03',
    currentScore: 41.5,
    maxScore: 83,
    createdDateTime: '2026-12-03T00:00:00Z',
    controlScores: [
      { controlName: 'AdminMFAV2', score: 10 },
      { controlName: 'BlockLegacyAuthentication', score: 0 },
      { controlName: 'OneAdmin', score: 1 },
    ],
  });
  const profile = (id: string, title: string, maxScore: number) =>
    secureScoreControlProfileSchema.parse({ id, title, maxScore, controlStateUpdates: [{ state: 'Default' }] });
  const profiles = [
    profile('AdminMFAV2', 'Ensure multifactor authentication is enabled for all users in administrative roles', 10),
    profile('BlockLegacyAuthentication', 'Enable policy to block legacy authentication', 8),
    profile('OneAdmin', 'Designate more than one global admin', 1),
  ];

  it('keeps the MFA, SSPR and legacy-auth controls, least complete first, and fails while one is short', () => {
    const c = checkSecureScore(read(score), read(profiles));
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(
      c.controls.map((x) => [x.id, x.score, x.maxScore]),
      [
        ['BlockLegacyAuthentication', 0, 8],
        ['AdminMFAV2', 10, 10],
      ],
    );
    assert.deepEqual([c.current, c.max], [41.5, 83]);
  });

  it("passes when every related control is at its maximum; can't tell naming SecurityEvents.Read.All", () => {
    assert.equal(checkSecureScore(read(score), read([profiles[0]!])).verdict, 'pass');
    const need: Need = { kind: 'permission', name: 'SecurityEvents.Read.All' };
    assert.deepEqual(checkSecureScore(missing(need), missing(need)).need, need);
  });
});

describe("posture: order and can't-tell reasons", () => {
  it("failing checks first by impact, then can't tell, then passing", () => {
    const c = (id: PostureCheck['id'], verdict: PostureCheck['verdict']) => ({ id, verdict }) as PostureCheck;
    const ordered = orderChecks([
      c('secure-score', 'fail'),
      c('mfa-all', 'pass'),
      c('sspr', 'cant-tell'),
      c('legacy-auth', 'fail'),
    ]);
    assert.deepEqual(
      ordered.map((x) => x.id),
      ['legacy-auth', 'secure-score', 'sspr', 'mfa-all'],
    );
  });

  it('a 403 names the permission; a non-premium 403 names the licence; another fault names the service', () => {
    const forbidden = new CodedError('graph_forbidden', 'x', {
      permission: 'AuditLog.Read.All',
      graphCode: 'Authorization_RequestDenied',
    });
    assert.deepEqual(needOf(forbidden, 'Entra ID P1 or P2'), { kind: 'permission', name: 'AuditLog.Read.All' });
    const premium = new CodedError('graph_forbidden', 'x', {
      graphCode: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    });
    assert.deepEqual(needOf(premium, 'Entra ID P1 or P2'), { kind: 'licence', name: 'Entra ID P1 or P2' });
    const exchange = new CodedError('graph_unavailable', 'x', { service: 'exchange' });
    assert.deepEqual(needOf(exchange), { kind: 'failed', service: 'exchange', code: 'graph_unavailable' });
    assert.throws(() => needOf(new TypeError('bug')), TypeError);
  });
});
