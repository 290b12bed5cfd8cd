import assert from 'node:assert/strict';
import {
  checkAdminSspr,
  checkLegacyAuth,
  checkMfaForAll,
  checkSspr,
  checkUserConsent,
  userConsentOf,
} from '../../../../services/posture/identity-checks';
import { authorization, caPolicy, missing, POLICY_READ, read, row } from './fixtures';

const defaultsOff = read({ id: 'x', displayName: null, isEnabled: false });
const defaultsOn = read({ id: 'x', displayName: null, isEnabled: true });
const noNames = new Map<string, string>();

describe('posture: MFA for all users (check 1)', () => {
  it('passes with security defaults on, whatever CA says (CA unread)', () => {
    const c = checkMfaForAll(defaultsOn, missing(POLICY_READ), noNames);
    assert.equal(c.verdict, 'pass');
    assert.equal(c.securityDefaults, true);
  });

  it('passes with an enforced policy for all users and apps requiring MFA, listing exclusions by name', () => {
    const policy = caPolicy({ name: 'Require MFA', excludeGroups: ['g1'], excludeUsers: ['u1'], excludeRoles: ['r1'] });
    const c = checkMfaForAll(
      defaultsOff,
      read([policy]),
      new Map([
        ['g1', 'Break glass'],
        ['u1', 'svc@x'],
      ]),
    );
    assert.equal(c.verdict, 'pass');
    assert.deepEqual(c.policies, ['Require MFA']);
    assert.deepEqual(
      c.exclusions.map((e) => [e.kind, e.name]),
      [
        ['user', 'svc@x'],
        ['group', 'Break glass'],
        ['role', null],
      ],
    );
  });

  it('an authentication strength counts as requiring MFA', () => {
    const c = checkMfaForAll(defaultsOff, read([caPolicy({ name: 'Strength', grant: [], strength: true })]), noNames);
    assert.equal(c.verdict, 'pass');
  });

  it('fails when the only MFA policy is report-only, scoped to some users or apps, or OR-ed with a compliant device', () => {
    const policies = [
      caPolicy({ name: 'Report only', state: 'enabledForReportingButNotEnforced' }),
      caPolicy({ name: 'Some users', users: ['u1'] }),
      caPolicy({ name: 'Some apps', apps: ['00000002-0000-0ff1-ce00-000000000000'] }),
      caPolicy({ name: 'MFA or compliant', grant: ['mfa', 'compliantDevice'] }),
      caPolicy({ name: 'Off', state: 'disabled' }),
    ];
    const c = checkMfaForAll(defaultsOff, read(policies), noNames);
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(c.reportOnly, ['Report only']);
    assert.deepEqual(c.policies, []);
  });

  it('MFA AND compliant device still requires MFA', () => {
    const c = checkMfaForAll(
      defaultsOff,
      read([caPolicy({ name: 'Both', grant: ['mfa', 'compliantDevice'], operator: 'AND' })]),
      noNames,
    );
    assert.equal(c.verdict, 'pass');
  });

  it("can't tell naming Policy.Read.All when CA policies cannot be read and defaults are off", () => {
    const c = checkMfaForAll(defaultsOff, missing(POLICY_READ), noNames);
    assert.equal(c.verdict, 'cant-tell');
    assert.deepEqual(c.need, POLICY_READ);
  });

  it("can't tell when no policy qualifies and security defaults could not be read", () => {
    const c = checkMfaForAll(missing(POLICY_READ), read([]), noNames);
    assert.equal(c.verdict, 'cant-tell');
  });
});

describe('posture: legacy authentication blocked (check 2)', () => {
  const block = (types: string[], name = 'Block legacy') => caPolicy({ name, grant: ['block'], clientAppTypes: types });

  it('passes with a policy blocking Exchange ActiveSync and other clients for all users and apps', () => {
    const c = checkLegacyAuth(defaultsOff, read([block(['exchangeActiveSync', 'other'])]), noNames);
    assert.equal(c.verdict, 'pass');
  });

  it('passes when two policies block one legacy client type each', () => {
    const c = checkLegacyAuth(
      defaultsOff,
      read([block(['exchangeActiveSync'], 'EAS'), block(['other'], 'Other')]),
      noNames,
    );
    assert.equal(c.verdict, 'pass');
    assert.deepEqual(c.policies, ['EAS', 'Other']);
  });

  it('fails when only one legacy client type is blocked, or the policy requires MFA instead of blocking', () => {
    assert.equal(checkLegacyAuth(defaultsOff, read([block(['other'])]), noNames).verdict, 'fail');
    assert.equal(checkLegacyAuth(defaultsOff, read([caPolicy({ name: 'MFA' })]), noNames).verdict, 'fail');
  });

  it('passes with security defaults', () => {
    assert.equal(checkLegacyAuth(defaultsOn, read([]), noNames).verdict, 'pass');
  });
});

describe('posture: user consent (check 3)', () => {
  const workflowOn = read({ isEnabled: true, notifyReviewers: true, reviewers: [] });
  const workflowOff = read({ isEnabled: false, notifyReviewers: null, reviewers: [] });

  it('reads the consent setting from the default user role permission-grant policies', () => {
    assert.equal(userConsentOf(authorization({ grants: [] })), 'none');
    assert.equal(userConsentOf(authorization({})), 'low-risk');
    assert.equal(
      userConsentOf(authorization({ grants: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] })),
      'any',
    );
  });

  it('passes when consent is limited and the admin consent workflow is on', () => {
    assert.equal(checkUserConsent(read(authorization({})), workflowOn).verdict, 'pass');
  });

  it('fails when users can consent to any app, or the workflow is off', () => {
    const legacy = authorization({ grants: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] });
    assert.equal(checkUserConsent(read(legacy), workflowOn).verdict, 'fail');
    const c = checkUserConsent(read(authorization({ grants: [] })), workflowOff);
    assert.equal(c.verdict, 'fail');
    assert.equal(c.adminConsentWorkflow, false);
  });

  it("can't tell when the workflow policy is unreadable", () => {
    const c = checkUserConsent(read(authorization({})), missing(POLICY_READ));
    assert.equal(c.verdict, 'cant-tell');
    assert.deepEqual(c.need, POLICY_READ);
  });
});

describe('posture: admins caught by the admin SSPR policy (check 4)', () => {
  it('admin SSPR off while SSPR reaches admins: every such admin is in the loop', () => {
    const rows = [row({ upn: 'admin@x', admin: true }), row({ upn: 'user@x' })];
    const c = checkAdminSspr(read(authorization({ adminSspr: false })), read({ rows, complete: true }));
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(
      c.caught.map((a) => [a.name, a.reason]),
      [['admin@x', 'admin-sspr-off']],
    );
  });

  it('admin SSPR on: admins with fewer than two admin-SSPR methods are caught (security questions and FIDO2 do not count)', () => {
    const rows = [
      row({ upn: 'ok@x', admin: true, methods: ['email', 'mobilePhone'] }),
      row({ upn: 'onegate@x', admin: true, methods: ['fido2', 'securityQuestion', 'microsoftAuthenticatorPush'] }),
    ];
    const c = checkAdminSspr(read(authorization({ adminSspr: true })), read({ rows, complete: true }));
    assert.equal(c.verdict, 'fail');
    assert.deepEqual(
      c.caught.map((a) => [a.name, a.reason]),
      [['onegate@x', 'one-gate']],
    );
    assert.equal(c.admins, 2);
  });

  it('passes when every admin has two gates', () => {
    const rows = [row({ upn: 'ok@x', admin: true, methods: ['email', 'softwareOneTimePasscode'] })];
    assert.equal(checkAdminSspr(read(authorization({})), read({ rows, complete: true })).verdict, 'pass');
  });

  it("can't tell naming the licence when the registration report is refused for lack of P1", () => {
    const need = { kind: 'licence', name: 'Entra ID P1 or P2' } as const;
    const c = checkAdminSspr(read(authorization({})), missing(need));
    assert.equal(c.verdict, 'cant-tell');
    assert.deepEqual(c.need, need);
  });
});

describe('posture: SSPR enabled and registered (check 5)', () => {
  const rows = (registered: number, total: number) =>
    Array.from({ length: total }, (_, i) => row({ upn: `u${i}@x`, ssprRegistered: i < registered }));

  it('passes at 90 % of enabled members registered, fails below; guests are not counted', () => {
    const guests = [row({ upn: 'g@x', guest: true, ssprRegistered: false })];
    assert.equal(checkSspr(read({ rows: [...rows(9, 10), ...guests], complete: true })).verdict, 'pass');
    const c = checkSspr(read({ rows: [...rows(8, 10), ...guests], complete: true }));
    assert.equal(c.verdict, 'fail');
    assert.deepEqual([c.members, c.enabled, c.registered], [10, 10, 8]);
  });

  it('fails when SSPR is enabled for nobody', () => {
    const none = [row({ upn: 'a@x', ssprEnabled: false })];
    assert.equal(checkSspr(read({ rows: none, complete: true })).verdict, 'fail');
  });

  it("can't tell naming AuditLog.Read.All when the report is refused", () => {
    const need = { kind: 'permission', name: 'AuditLog.Read.All' } as const;
    assert.deepEqual(checkSspr(missing(need)).need, need);
  });
});
