import assert from 'node:assert/strict';
import { assessMfa, type MfaAssessment } from '../../../../services/identity/mfa-verdict';
import {
  audit,
  authenticator,
  config,
  DAY,
  defaultConfigs,
  deviceOnlyTrail,
  email,
  fido2,
  GLOBAL_ADMIN,
  GROUP,
  input,
  password,
  phishingResistantPolicy,
  phone,
  report,
  verifiedTrail,
} from './mfa-fixtures';

interface Row {
  name: string;
  given: Parameters<typeof input>[0];
  verdict: MfaAssessment['verdict']['kind'];
  /** Per non-password method: usability kind, or the not-usable reason / missing-evidence kind. */
  methods: string[];
  check?: (a: MfaAssessment) => void;
}

const describeMethod = (a: MfaAssessment): string[] =>
  a.methods.map((m) =>
    m.usability.kind === 'usable'
      ? `${m.family}:usable`
      : m.usability.kind === 'not-usable'
        ? `${m.family}:${m.usability.reason}`
        : `${m.family}:cant-tell:${m.usability.missing.kind}`,
  );

const notAuthenticatorReport = report({ methodsRegistered: [], isMfaRegistered: false, isMfaCapable: false });

const rows: Row[] = [
  {
    name: 'mfatest1: Authenticator with the full registration trail is usable (audit evidence, report agrees)',
    given: { methods: [password, authenticator('auth-1', 3 * DAY)], events: verifiedTrail(3 * DAY) },
    verdict: 'usable',
    methods: ['authenticator:usable'],
    check: (a) => {
      const v = a.methods[0]?.verification;
      assert.equal(v?.kind === 'verified' && v.source === 'audit' && v.report, 'agrees');
    },
  },
  {
    name: 'mfatest2: the same Authenticator with only a device added is registered but never verified',
    given: {
      methods: [password, authenticator('auth-1', 2 * DAY)],
      events: deviceOnlyTrail(2 * DAY),
      report: report({
        methodsRegistered: [],
        isMfaRegistered: false,
        isMfaCapable: false,
        lastUpdatedDateTime: new Date(Date.parse('2025-06-28T12:00:00Z')).toISOString(),
      }),
    },
    verdict: 'registered-not-usable',
    methods: ['authenticator:never-verified'],
    check: (a) => {
      const v = a.methods[0]?.verification;
      assert.equal(v?.kind === 'unverified' && v.reason, 'device-without-method');
      assert.deepEqual(a.verdict.kind === 'registered-not-usable' && a.verdict.reasons, ['never-verified']);
    },
  },
  { name: '0 methods', given: { methods: [], report: notAuthenticatorReport }, verdict: 'not-registered', methods: [] },
  {
    name: 'password only',
    given: { methods: [password], report: notAuthenticatorReport },
    verdict: 'not-registered',
    methods: [],
  },
  {
    name: 'email only is not MFA',
    given: { methods: [password, email], report: report({ methodsRegistered: ['email'] }) },
    verdict: 'not-registered',
    methods: ['email:not-an-mfa-method'],
  },
  {
    name: 'guest with no methods here: cannot tell (home-tenant MFA)',
    given: { methods: [password], userType: 'Guest', report: notAuthenticatorReport },
    verdict: 'cant-tell',
    methods: [],
    check: (a) => assert.ok(a.verdict.kind === 'cant-tell' && a.verdict.guest && a.guest),
  },
  {
    name: 'disabled method type in policy (SMS and voice off)',
    given: {
      methods: [password, phone],
      report: report({ methodsRegistered: ['mobilePhone'] }),
      configs: [config('Sms', 'disabled'), config('Voice', 'disabled')],
    },
    verdict: 'registered-not-usable',
    methods: ['phone:disabled-by-policy'],
  },
  {
    name: 'user excluded by group from the Authenticator configuration',
    given: {
      methods: [password, authenticator('auth-1', 100 * DAY)],
      configs: [config('MicrosoftAuthenticator', 'enabled', ['all_users'], [GROUP])],
      groups: [GROUP],
    },
    verdict: 'registered-not-usable',
    methods: ['authenticator:excluded-by-group'],
  },
  {
    name: 'user not in any included group',
    given: {
      methods: [password, authenticator('auth-1', 100 * DAY)],
      configs: [config('MicrosoftAuthenticator', 'enabled', ['33333333-0000-4000-8000-000000000003'])],
      groups: [GROUP],
    },
    verdict: 'registered-not-usable',
    methods: ['authenticator:not-targeted'],
  },
  {
    name: 'evidence older than retention, report counts it: usable by the report',
    given: { methods: [password, authenticator('auth-1', 100 * DAY)] },
    verdict: 'usable',
    methods: ['authenticator:usable'],
    check: (a) => {
      const v = a.methods[0]?.verification;
      assert.ok(v?.kind === 'verified' && v.source === 'report' && v.olderThanAudit);
    },
  },
  {
    name: 'evidence older than retention and the report disagrees: cannot tell, saying what is missing',
    given: { methods: [password, authenticator('auth-1', 100 * DAY)], report: notAuthenticatorReport },
    verdict: 'cant-tell',
    methods: ['authenticator:cant-tell:older-than-audit-report-disagrees'],
  },
  {
    name: 'report and audit log disagree: registered in the audit log, a later report does not count it',
    given: {
      methods: [password, authenticator('auth-1', 3 * DAY)],
      events: verifiedTrail(3 * DAY),
      report: report({
        methodsRegistered: [],
        lastUpdatedDateTime: new Date(Date.parse('2025-06-30T00:00:00Z')).toISOString(),
      }),
    },
    verdict: 'cant-tell',
    methods: ['authenticator:cant-tell:audit-report-disagree'],
  },
  {
    name: 'report not updated since the registration: the audit log wins (report lags)',
    given: {
      methods: [password, authenticator('auth-1', 3 * DAY)],
      events: verifiedTrail(3 * DAY),
      report: report({
        methodsRegistered: [],
        lastUpdatedDateTime: new Date(Date.parse('2025-06-20T00:00:00Z')).toISOString(),
      }),
    },
    verdict: 'usable',
    methods: ['authenticator:usable'],
    check: (a) => {
      const v = a.methods[0]?.verification;
      assert.equal(v?.kind === 'verified' && v.source === 'audit' && v.report, 'lags');
    },
  },
  {
    name: 'unfinished registration but the report counts it afterwards: cannot tell',
    given: {
      methods: [password, authenticator('auth-1', 2 * DAY)],
      events: deviceOnlyTrail(2 * DAY),
      report: report({ lastUpdatedDateTime: new Date(Date.parse('2025-06-30T00:00:00Z')).toISOString() }),
    },
    verdict: 'cant-tell',
    methods: ['authenticator:cant-tell:audit-report-disagree'],
  },
  {
    name: 'registration started and never completed',
    given: {
      methods: [password, authenticator('auth-1', 2 * DAY)],
      events: [
        audit({
          activity: 'User started security info registration',
          agoMs: 2 * DAY,
          reason: 'User started the registration for Authenticator App with Notification and Code',
        }),
      ],
      report: notAuthenticatorReport,
    },
    verdict: 'registered-not-usable',
    methods: ['authenticator:never-verified'],
    check: (a) => {
      const v = a.methods[0]?.verification;
      assert.equal(v?.kind === 'unverified' && v.reason, 'started-not-completed');
    },
  },
  {
    name: 'no report row and no audit record: cannot tell',
    given: { methods: [password, authenticator('auth-1', 100 * DAY)], report: null },
    verdict: 'cant-tell',
    methods: ['authenticator:cant-tell:no-report-no-audit'],
  },
  {
    name: 'hybrid (synced) user: same verdict as cloud, flagged as synced',
    given: { methods: [password, authenticator('auth-1', 100 * DAY)], synced: true },
    verdict: 'usable',
    methods: ['authenticator:usable'],
    check: (a) => assert.equal(a.synced, true),
  },
  {
    name: 'synced user with password only',
    given: { methods: [password], synced: true, report: notAuthenticatorReport },
    verdict: 'not-registered',
    methods: [],
    check: (a) => assert.equal(a.synced, true),
  },
  {
    name: 'admin SSPR conflict: admin, SSPR enabled by the report, allowedToUseSSPR false',
    given: {
      methods: [password, phone],
      report: report({ isAdmin: true, methodsRegistered: ['mobilePhone'] }),
      roles: [GLOBAL_ADMIN],
      allowedToUseSSPR: false,
      ca: [phishingResistantPolicy],
    },
    verdict: 'usable',
    methods: ['phone:usable'],
    check: (a) => {
      assert.equal(a.adminSsprLoop, true);
      assert.deepEqual(
        a.strength.map((s) => [s.policyName, s.tooWeak]),
        [['Admins require phishing-resistant MFA', true]],
      );
    },
  },
  {
    name: 'admin with admin SSPR on: no loop',
    given: {
      methods: [password, phone],
      report: report({ isAdmin: true, methodsRegistered: ['mobilePhone'] }),
      roles: [GLOBAL_ADMIN],
    },
    verdict: 'usable',
    methods: ['phone:usable'],
    check: (a) => assert.equal(a.adminSsprLoop, false),
  },
  {
    name: 'a FIDO2 key meets the phishing-resistant strength (verified on creation)',
    given: {
      methods: [password, authenticator('auth-1', 100 * DAY), fido2],
      roles: [GLOBAL_ADMIN],
      ca: [phishingResistantPolicy],
    },
    verdict: 'usable',
    methods: ['authenticator:usable', 'fido2:usable'],
    check: (a) =>
      assert.deepEqual(
        a.strength.map((s) => s.tooWeak),
        [false],
      ),
  },
  {
    name: 'excluded from the CA policy by group: no strength requirement',
    given: {
      methods: [password, phone],
      report: report({ methodsRegistered: ['mobilePhone'] }),
      roles: [GLOBAL_ADMIN],
      groups: [GROUP],
      ca: [phishingResistantPolicy],
    },
    verdict: 'usable',
    methods: ['phone:usable'],
    check: (a) => assert.deepEqual(a.strength, []),
  },
  {
    name: 'a second Authenticator added but never verified: the first (verified earlier) stays usable',
    given: {
      methods: [password, authenticator('auth-1', 3 * DAY, 'iPhone 15'), authenticator('auth-2', DAY, 'Pixel 8')],
      events: [...verifiedTrail(3 * DAY, 'auth-1'), ...deviceOnlyTrail(DAY, 'auth-2')],
      report: report({ lastUpdatedDateTime: new Date(Date.parse('2025-06-27T13:00:00Z')).toISOString() }),
    },
    verdict: 'usable',
    methods: ['authenticator:usable', 'authenticator:never-verified'],
  },
  {
    name: 'an unfinished attempt newer than an old method does not undo it',
    given: {
      methods: [password, authenticator('auth-1', 100 * DAY)],
      events: [
        audit({
          activity: 'User started security info registration',
          agoMs: DAY,
          reason: 'User started the registration for Authenticator App with Notification and Code',
        }),
      ],
    },
    verdict: 'usable',
    methods: ['authenticator:usable'],
  },
  {
    name: 'one unusable and one usable method: usable overall',
    given: {
      methods: [password, authenticator('auth-1', 2 * DAY), phone],
      events: deviceOnlyTrail(2 * DAY),
      report: report({
        methodsRegistered: ['mobilePhone'],
        lastUpdatedDateTime: new Date(Date.parse('2025-06-27T00:00:00Z')).toISOString(),
      }),
      configs: defaultConfigs,
    },
    verdict: 'usable',
    methods: ['authenticator:never-verified', 'phone:usable'],
  },
];

describe('assessMfa: verdict table', () => {
  for (const row of rows) {
    it(row.name, () => {
      const a = assessMfa(input(row.given));
      assert.equal(a.verdict.kind, row.verdict, JSON.stringify(a.verdict));
      assert.deepEqual(describeMethod(a), row.methods);
      row.check?.(a);
    });
  }

  it('never says usable without evidence: every usable method carries a verification', () => {
    for (const row of rows) {
      const a = assessMfa(input(row.given));
      for (const m of a.methods) {
        if (m.usability.kind === 'usable' && m.family !== 'temporaryAccessPass') {
          assert.equal(m.verification.kind, 'verified', `${row.name}: ${m.family}`);
        }
      }
    }
  });
});
