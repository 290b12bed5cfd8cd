import assert from 'node:assert/strict';
import { z } from 'zod';
import { defaultGraphLimits } from '../../../../services/graph/limits';
import { conditionalAccessPolicySchema } from '../../../../services/graph/schemas';
import { reportUserSchema } from '../../../../services/graph/schemas/user';
import { assessMfa } from '../../../../services/identity/mfa-verdict';
import {
  apartCategory,
  judgeUser,
  targetedByMfaPolicy,
  targetGroupIds,
} from '../../../../services/identity/mfa-report/judge';
import { DEFAULT_MAX_WAITING } from '../../../../services/identity/mfa-report/runner';
import { countRow, emptyReportCounters, LISTED_OTHERS } from '../../../../services/identity/mfa-report/store';
import type { ReportRow } from '../../../../services/identity/mfa-report/types';
import {
  authenticator,
  config,
  DAY,
  defaultConfigs,
  fido2,
  GROUP,
  input,
  password,
  phone,
  report,
  USER_ID,
  verifiedTrail,
} from './mfa-fixtures';

const user = (over: Record<string, unknown> = {}) =>
  reportUserSchema.parse({
    id: USER_ID.toUpperCase(),
    userPrincipalName: 'u@example.com',
    displayName: 'U',
    accountEnabled: true,
    userType: 'Member',
    assignedLicenses: [{ skuId: 'e5' }],
    ...over,
  });

/** judgeUser over the same data the `mfa` fixtures build, so both engines see one input. */
function judge(parts: Parameters<typeof input>[0] & { groupSet?: string[] } = {}): ReportRow {
  const i = input(parts);
  return judgeUser({
    user: user(),
    methods: i.methods,
    registration: i.registration,
    groupIds: new Set(parts.groupSet ?? parts.groups ?? []),
    policies: { methodsPolicy: i.methodsPolicy, authorizationPolicy: i.authorizationPolicy },
    caPolicies: i.caPolicies,
    events: i.audit.events,
    coveredFrom: i.audit.coveredFrom,
  });
}

const ca = (over: Record<string, unknown>) =>
  z.array(conditionalAccessPolicySchema).parse([
    {
      id: 'p1',
      displayName: 'Require MFA',
      state: 'enabled',
      conditions: {
        users: {
          includeUsers: ['All'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [GROUP],
          includeRoles: [],
          excludeRoles: [],
        },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null },
      ...over,
    },
  ]);

describe('report mfa: one user judged with the mfa engine', () => {
  it('counts guests, disabled and unlicensed users apart (guest first), and judges the rest', () => {
    assert.equal(apartCategory(user({ userType: 'Guest', accountEnabled: false })), 'guest');
    assert.equal(apartCategory(user({ accountEnabled: false, assignedLicenses: [] })), 'disabled');
    assert.equal(apartCategory(user({ assignedLicenses: [] })), 'unlicensed');
    assert.equal(apartCategory(user()), null);
  });

  it('gives the verdict assessMfa gives, for usable, never verified, excluded, not targeted and not registered', () => {
    const cases: Parameters<typeof input>[0][] = [
      { methods: [password, authenticator('auth-1', 5 * DAY)], events: verifiedTrail(5 * DAY) },
      { methods: [password, authenticator('auth-1', 400 * DAY)], report: report({ methodsRegistered: [] }) },
      { methods: [password, phone], report: report({ methodsRegistered: ['mobilePhone'] }) },
      {
        methods: [password, phone],
        report: report({ methodsRegistered: ['mobilePhone'] }),
        configs: [config('Sms', 'enabled', ['all_users'], [GROUP]), config('Voice', 'disabled')],
        groups: [GROUP],
      },
      { methods: [password, fido2], configs: [config('Fido2', 'enabled', [GROUP])] },
      { methods: [password] },
    ];
    const kinds = cases.map((c) => {
      const row = judge(c);
      assert.equal(row.category, assessMfa(input(c)).verdict.kind);
      return row.category;
    });
    assert.deepEqual(kinds, [
      'usable',
      'cant-tell',
      'usable',
      'registered-not-usable',
      'registered-not-usable',
      'not-registered',
    ]);
    assert.deepEqual(judge(cases[3]).reasons, ['excluded-by-group']);
    assert.deepEqual(judge(cases[4]).reasons, ['not-targeted']);
  });

  it('marks a phone per configuration: usable for SMS, not for voice when voice is disabled', () => {
    const row = judge({ methods: [password, phone], report: report({ methodsRegistered: ['mobilePhone'] }) });
    assert.deepEqual(row.methods, { sms: 'u', voice: 'n' });
    const blocked = judge({
      methods: [password, phone, authenticator('auth-1', 5 * DAY)],
      events: verifiedTrail(5 * DAY),
      report: report({ methodsRegistered: ['mobilePhone', 'microsoftAuthenticatorPush'] }),
      configs: [...defaultConfigs.filter((c) => (c as { id: string }).id !== 'Sms'), config('Sms', 'disabled')],
    });
    assert.deepEqual(blocked.methods, { sms: 'n', voice: 'n', authenticatorPush: 'u' });
    assert.equal(blocked.category, 'usable');
  });

  it('admin comes from the registration report; the user id is lower-cased', () => {
    const row = judge({ methods: [password], report: report({ isAdmin: true }) });
    assert.equal(row.admin, true);
    assert.equal(row.id, USER_ID.toLowerCase());
  });

  it('CA targeting: All minus an excluded group, only enabled policies that require MFA or a strength', () => {
    const me = { id: USER_ID, groupIds: new Set<string>() };
    assert.equal(targetedByMfaPolicy(ca({}), me), true);
    assert.equal(targetedByMfaPolicy(ca({}), { ...me, groupIds: new Set([GROUP]) }), false);
    assert.equal(targetedByMfaPolicy(ca({ state: 'enabledForReportingButNotEnforced' }), me), false);
    assert.equal(
      targetedByMfaPolicy(
        ca({ grantControls: { operator: 'OR', builtInControls: ['compliantDevice'], authenticationStrength: null } }),
        me,
      ),
      false,
    );
    const byGroup = ca({
      conditions: {
        users: {
          includeUsers: [],
          excludeUsers: [],
          includeGroups: [GROUP.toUpperCase()],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [],
        },
      },
    });
    assert.equal(targetedByMfaPolicy(byGroup, { ...me, groupIds: new Set([GROUP]) }), true);
    assert.equal(targetedByMfaPolicy(byGroup, me), false);
  });

  it('expands the groups the methods policy and enabled CA policies name, not all_users', () => {
    const i = input({ configs: [config('Sms', 'enabled', ['all_users'], [GROUP])] });
    const ids = targetGroupIds({
      methodsPolicy: i.methodsPolicy as NonNullable<typeof i.methodsPolicy>,
      authorizationPolicy: i.authorizationPolicy as NonNullable<typeof i.authorizationPolicy>,
      caPolicies: ca({}),
    });
    assert.deepEqual(ids, [GROUP]);
  });
});

describe('report mfa: running totals', () => {
  const row = (n: number, over: Partial<ReportRow>): ReportRow => ({
    id: `id-${n}`,
    upn: `u${String(n).padStart(3, '0')}@example.com`,
    name: null,
    category: 'usable',
    admin: false,
    reasons: [],
    methods: {},
    caTargeted: true,
    ...over,
  });

  it('counts categories, methods and the CA share; lists admins apart; keeps the list bounded and ordered', () => {
    const c = emptyReportCounters();
    countRow(c, row(1, { methods: { sms: 'u', voice: 'n' } }));
    countRow(c, row(2, { category: 'not-registered', admin: true }));
    for (let n = 100; n > 60; n -= 1) countRow(c, row(n, { category: 'not-registered' }));
    countRow(c, row(3, { category: 'registered-not-usable', reasons: ['never-verified'] }));
    countRow(c, row(4, { category: 'guest', caTargeted: null }));
    assert.equal(c.done, 44);
    assert.equal(c.byCategory['not-registered'], 41);
    assert.equal(c.byCategory.guest, 1);
    assert.deepEqual(c.byMethod.sms, { usable: 1, notUsable: 0, cantTell: 0 });
    assert.deepEqual(c.byMethod.voice, { usable: 0, notUsable: 1, cantTell: 0 });
    assert.equal(c.caTargeted, 43);
    assert.equal(c.caWouldFail, 42);
    assert.equal(c.adminsNotUsable, 1);
    assert.deepEqual(
      c.admins.map((a) => a.upn),
      ['u002@example.com'],
    );
    assert.equal(c.others.length, LISTED_OTHERS);
    // Registered-but-not-usable first, then by UPN.
    assert.equal(c.others[0]?.upn, 'u003@example.com');
    assert.equal(c.others[1]?.upn, 'u061@example.com');
  });
});

describe('report mfa: reading ahead against the published limits', () => {
  it('lets the method reads go on at the identity budget until the evidence is read, within a memory bound', () => {
    // At 50,000 users the evidence is 13 audit pages: at 5 reports requests per window the last goes out in the third
    // window (each window a margin longer, a couple of seconds for the pages' own answers). Judging waits for all of
    // it. The method reads take a full bucket, then the refill; stopped at the bound, the bucket refills for one window
    // at no cost — stopped longer than that before the evidence is in, it overflows and the report takes longer.
    const { reports, identity, windowMarginMs } = defaultGraphLimits;
    const evidenceMs = (Math.ceil(13 / reports.requests) - 1) * (reports.windowMs + windowMarginMs) + 2_000;
    const perMs = identity.resourceUnits / identity.windowMs;
    const needed = identity.resourceUnits + perMs * (evidenceMs - identity.windowMs);
    assert.ok(DEFAULT_MAX_WAITING >= needed, `${DEFAULT_MAX_WAITING} < ${needed}`);
    // ~1.2 KB per waiting user: the bound keeps them to a few MB (peak RSS < 200 MB at 50,000 users).
    assert.ok(DEFAULT_MAX_WAITING <= 15_000);
  });
});
