import assert from 'node:assert/strict';
import { directoryAuditSchema } from '../../../../services/graph/schemas';
import {
  appRoleAssignmentSchema,
  deviceSchema,
  permissionGrantSchema,
  servicePrincipalSchema,
} from '../../../../services/graph/schemas/access';
import { credentialsAdded, judgeAccountChanges, methodsAdded } from '../../../../services/identity/account-changes';
import { judgeAppAccess, MICROSOFT_TENANT_IDS } from '../../../../services/identity/app-access';
import { judgeDevices } from '../../../../services/identity/devices';
import { flaggedItems } from '../../../../services/identity/investigation';
import { assessMfa } from '../../../../services/identity/mfa-verdict';
import { persistenceKey } from '../../../../services/identity/persistence';
import { summarizeSignIns } from '../../../../services/identity/sign-ins';
import type { Investigation } from '../../../../services/identity/investigation';
import { mergeTimeline, type TimelineEvent } from '../../../../services/identity/timeline';
import { appEvents, changeEvents } from '../../../../services/identity/timeline-sources';
import { signInSchema } from '../../../../services/graph/schemas';
import { authenticator, DAY, input, NOW, password, phone } from './mfa-fixtures';

const USER = 'user-1';
const WINDOW = NOW - 7 * DAY;
const at = (ago: number) => new Date(NOW - ago).toISOString();
const HOUR = 3600_000;

const grant = (id: string, clientId: string, scope: string) =>
  permissionGrantSchema.parse({
    id,
    clientId,
    consentType: 'Principal',
    principalId: USER,
    resourceId: 'graph',
    scope,
  });
const sp = (id: string, extra: Record<string, unknown> = {}) =>
  servicePrincipalSchema.parse({ id, displayName: `App ${id}`, appOwnerOrganizationId: 'other-tenant', ...extra });
const audit = (extra: Record<string, unknown>) =>
  directoryAuditSchema.parse({
    id: `a-${Math.random()}`,
    activityDateTime: at(HOUR),
    result: 'success',
    initiatedBy: { user: { id: USER, userPrincipalName: 'u@example.com', ipAddress: '203.0.113.9' } },
    ...extra,
  });
const consent = (spId: string, ago: number) =>
  audit({
    activityDisplayName: 'Consent to application',
    activityDateTime: at(ago),
    targetResources: [{ id: spId, type: 'ServicePrincipal', displayName: 'x' }],
  });

describe('investigation: apps with access', () => {
  it('flags mail scopes and a consent in the window; names the publisher and whether it is verified', () => {
    const apps = judgeAppAccess({
      userId: USER,
      grants: [
        grant('g1', 'sp-bad', 'Mail.ReadWrite offline_access User.Read'),
        grant('g2', 'sp-ok', 'openid profile User.Read'),
      ],
      assignments: [],
      servicePrincipals: new Map([
        ['sp-bad', sp('sp-bad', { publisherName: 'Backup Inc' })],
        [
          'sp-ok',
          sp('sp-ok', {
            verifiedPublisher: { displayName: 'Good Co', verifiedPublisherId: '42', addedDateTime: null },
          }),
        ],
      ]),
      initiated: [consent('sp-bad', HOUR), consent('sp-ok', 20 * DAY)],
      windowStart: WINDOW,
    });
    const [bad, ok] = apps;
    assert.equal(bad?.servicePrincipalId, 'sp-bad', 'flagged apps come first');
    assert.deepEqual(bad.flags, ['high-risk-scopes', 'consented-in-window', 'unverified-third-party']);
    assert.equal(bad.offlineMail, true);
    assert.equal(bad.consentedAt, at(HOUR));
    assert.deepEqual(bad.items, [
      {
        kind: 'grant',
        id: 'g1',
        app: 'App sp-bad',
        clientId: 'sp-bad',
        scopes: ['Mail.ReadWrite', 'offline_access', 'User.Read'],
      },
    ]);
    assert.equal(ok?.verifiedPublisher, 'Good Co');
    assert.deepEqual(ok.flags, [], 'a consent outside the window with low scopes is not flagged');
    assert.deepEqual(ok.items, []);
  });

  it("flags a consent in the window even with harmless scopes; first-party apps are Microsoft's tenant", () => {
    const [app] = judgeAppAccess({
      userId: USER,
      grants: [grant('g1', 'sp-ms', 'User.Read')],
      assignments: [],
      servicePrincipals: new Map([['sp-ms', sp('sp-ms', { appOwnerOrganizationId: MICROSOFT_TENANT_IDS[0] })]]),
      initiated: [consent('sp-ms', 2 * HOUR)],
      windowStart: WINDOW,
    });
    assert.equal(app?.firstParty, true);
    assert.deepEqual(app.flags, ['consented-in-window']);
    assert.equal(app.items.length, 1);
  });

  it("an app of the user's own tenant is neither first-party nor an unverified third party", () => {
    const [app] = judgeAppAccess({
      userId: USER,
      grants: [grant('g1', 'sp-own', 'User.Read')],
      assignments: [],
      servicePrincipals: new Map([['sp-own', sp('sp-own', { appOwnerOrganizationId: 'HOME-tenant' })]]),
      initiated: [],
      windowStart: WINDOW,
      homeTenantId: 'home-tenant',
    });
    assert.equal(app?.ownOrganization, true);
    assert.equal(app.firstParty, false);
    assert.deepEqual(app.flags, []);
  });

  it('flags each high-risk scope the issue names, and offline_access only together with a mail scope', () => {
    const judge = (scope: string) =>
      judgeAppAccess({
        userId: USER,
        grants: [grant('g1', 'sp-x', scope)],
        assignments: [],
        servicePrincipals: new Map([['sp-x', sp('sp-x')]]),
        initiated: [consent('sp-x', 30 * DAY)],
        windowStart: WINDOW,
      })[0];
    for (const scope of [
      'Mail.Read',
      'Mail.ReadWrite',
      'Mail.Send',
      'MailboxSettings.ReadWrite',
      'Files.ReadWrite.All',
      'full_access_as_user',
      'EWS.AccessAsUser.All',
    ]) {
      const app = judge(`openid ${scope.toLowerCase()}`);
      assert.deepEqual(app?.highRiskScopes, [scope.toLowerCase()], scope);
      assert.deepEqual(app.flags, ['high-risk-scopes', 'unverified-third-party'], scope);
      assert.equal(app.items.length, 1, scope);
    }
    assert.equal(judge('offline_access Mail.Read')?.offlineMail, true);
    assert.equal(judge('offline_access EWS.AccessAsUser.All')?.offlineMail, true);
    const harmless = judge('offline_access User.Read Calendars.Read');
    assert.equal(harmless?.offlineMail, false);
    assert.deepEqual(harmless.flags, ['unverified-third-party']);
    assert.deepEqual(harmless.items, [], 'offline_access alone, consented before the window: nothing to contain');
  });

  it('lists an app whose service principal could not be read, by id; group assignments are not removable items', () => {
    const [app] = judgeAppAccess({
      userId: USER,
      grants: [grant('g1', 'sp-x', 'full_access_as_user')],
      assignments: [
        appRoleAssignmentSchema.parse({ id: 'ar1', principalId: USER, resourceId: 'sp-x' }),
        appRoleAssignmentSchema.parse({
          id: 'ar2',
          principalId: 'group-1',
          principalDisplayName: 'G',
          resourceId: 'sp-x',
        }),
      ],
      servicePrincipals: new Map([['sp-x', null]]),
      initiated: [],
      windowStart: WINDOW,
    });
    assert.equal(app?.firstParty, null);
    assert.equal(app.name, null);
    assert.deepEqual(app.highRiskScopes, ['full_access_as_user']);
    assert.deepEqual(
      app.items.map((i) => persistenceKey(i)),
      ['grant:g1', 'app-role-assignment:ar1'],
    );
    assert.deepEqual(
      app.assignments.map((a) => a.viaGroup),
      [null, 'G'],
    );
  });
});

describe('investigation: devices', () => {
  const device = (id: string, registeredAgo: number, extra: Record<string, unknown> = {}) =>
    deviceSchema.parse({
      '@odata.type': '#microsoft.graph.device',
      id,
      deviceId: `dev-${id}`,
      displayName: `PC ${id}`,
      trustType: 'Workplace',
      registrationDateTime: at(registeredAgo),
      accountEnabled: true,
      ...extra,
    });
  const signIns = summarizeSignIns(
    [
      signInSchema.parse({
        id: 's-new',
        createdDateTime: at(3 * HOUR),
        status: { errorCode: 0 },
        location: { city: 'Bucharest', countryOrRegion: 'RO' },
        riskLevelDuringSignIn: 'high',
      }),
      ...[30, 50].map((h) =>
        signInSchema.parse({
          id: `s-${h}`,
          createdDateTime: at(h * HOUR),
          status: { errorCode: 0 },
          location: { city: 'Seattle', countryOrRegion: 'US' },
        }),
      ),
    ],
    null,
    NOW,
  ).signIns;

  it('a device registered within the hour after a new-country risky sign-in is high; an old one is not flagged', () => {
    const views = judgeDevices(
      [device('new', 3 * HOUR - 20 * 60_000), device('old', 90 * DAY)],
      [device('new', 3 * HOUR - 20 * 60_000)],
      signIns,
      WINDOW,
    );
    const [fresh, old] = views;
    assert.equal(fresh?.id, 'new');
    assert.deepEqual(fresh.relations, ['registered', 'owned']);
    assert.equal(fresh.severity, 'high');
    assert.equal(fresh.signIn?.country, 'RO');
    assert.deepEqual(fresh.item, { kind: 'device', id: 'new', name: 'PC new' });
    assert.equal(old?.severity, null);
    assert.equal(old.item, null);
  });

  it('in the window with no sign-in nearby is medium; a disabled one has no item; other object types are skipped', () => {
    const views = judgeDevices(
      [
        device('mid', 10 * HOUR),
        device('off', 10 * HOUR, { accountEnabled: false }),
        deviceSchema.parse({ '@odata.type': '#microsoft.graph.user', id: 'u' }),
      ],
      [],
      signIns,
      WINDOW,
    );
    assert.deepEqual(
      views.map((v) => [v.id, v.severity, v.item?.kind ?? null]),
      [
        ['mid', 'medium', 'device'],
        ['off', 'medium', null],
      ],
    );
  });
});

describe('investigation: changes made by the account', () => {
  it('categorises the records in the window and takes app credentials added from KeyDescription', () => {
    const added = audit({
      activityDisplayName: 'Update application – Certificates and secrets management ',
      activityDateTime: at(2 * HOUR),
      targetResources: [
        {
          id: 'app-obj',
          type: 'Application',
          displayName: 'Payroll sync',
          modifiedProperties: [
            {
              displayName: 'KeyDescription',
              oldValue:
                '["[KeyIdentifier=11111111-0000-4000-8000-000000000001,KeyType=Password,KeyUsage=Verify,DisplayName=old]"]',
              newValue:
                '["[KeyIdentifier=11111111-0000-4000-8000-000000000001,KeyType=Password,KeyUsage=Verify,DisplayName=old]","[KeyIdentifier=22222222-0000-4000-8000-000000000002,KeyType=Password,KeyUsage=Verify,DisplayName=x]"]',
            },
          ],
        },
      ],
    });
    const changes = judgeAccountChanges(
      [
        added,
        audit({
          activityDisplayName: 'Add member to group',
          activityDateTime: at(3 * HOUR),
          targetResources: [{ id: 'g', displayName: 'Team' }],
        }),
        audit({ activityDisplayName: 'Invite external user', activityDateTime: at(4 * HOUR) }),
        audit({ activityDisplayName: 'Add member to role', activityDateTime: at(20 * DAY) }),
      ],
      WINDOW,
    );
    assert.deepEqual(
      changes.map((c) => [c.category, c.suspicious]),
      [
        ['invitation', true],
        ['group', false],
        ['app-credential', true],
      ],
      'oldest first, only the window',
    );
    assert.deepEqual(changes[2]?.items, [
      {
        kind: 'app-credential',
        appObjectId: 'app-obj',
        keyId: '22222222-0000-4000-8000-000000000002',
        credential: 'password',
        app: 'Payroll sync',
      },
    ]);
    assert.deepEqual(credentialsAdded({ ...added, result: 'failure' }).length, 1, 'the parser itself ignores results');
  });

  it('methods added: by createdDateTime, and a phone by its registration record in the window', () => {
    const mfa = assessMfa(
      input({
        methods: [password, authenticator('auth-new', 2 * HOUR), authenticator('auth-old', 40 * DAY), phone],
        events: [
          audit({
            activityDisplayName: 'User registered security info',
            loggedByService: 'Authentication Methods',
            resultReason: 'User registered Mobile Phone SMS',
            activityDateTime: at(HOUR),
            targetResources: [{ id: USER, type: 'User' }],
          }),
        ],
      }),
    );
    const added = methodsAdded(mfa.methods, mfa.trail, WINDOW);
    assert.deepEqual(
      added.map((m) => [m.item.kind === 'method' ? m.item.methodType : '', m.methodId]),
      [
        ['microsoftAuthenticatorMethods', 'auth-new'],
        ['phoneMethods', phone.id],
      ],
    );
  });

  it('flaggedItems lists each item once, in section order', () => {
    const item = { kind: 'device', id: 'd1', name: 'x' } as const;
    const items = flaggedItems({
      apps: { kind: 'unavailable', permission: 'Directory.Read.All' },
      devices: {
        kind: 'read',
        value: judgeDevices(
          [deviceSchema.parse({ id: 'd1', displayName: 'x', registrationDateTime: at(HOUR), accountEnabled: true })],
          [deviceSchema.parse({ id: 'd1', displayName: 'x', registrationDateTime: at(HOUR), accountEnabled: true })],
          null,
          WINDOW,
        ),
      },
      methodsAdded: [],
      changes: { kind: 'failed', code: 'graph_unavailable' },
      exchange: {
        window: { from: WINDOW, to: NOW },
        delegates: { kind: 'not-checked', reason: { why: 'disabled' } },
        mobileDevices: { kind: 'not-checked', reason: { why: 'disabled' } },
        outboundMail: { kind: 'not-checked', reason: { why: 'disabled' } },
      },
    });
    assert.deepEqual(items, [item]);
  });
});

describe('investigation: timeline', () => {
  const ev = (at: string | null, what: string, suspicious = false): TimelineEvent => ({
    at,
    section: 'changes',
    what,
    detail: null,
    suspicious,
  });

  it('merges the sections oldest first, undated last, and marks the first suspicious dated event', () => {
    const t = mergeTimeline([
      [ev(at(HOUR), 'c', true), ev(null, 'rule', true)],
      [ev(at(3 * HOUR), 'a'), ev(at(2 * HOUR), 'b', true)],
    ]);
    assert.deepEqual(
      t.events.map((e) => e.what),
      ['a', 'b', 'c', 'rule'],
    );
    assert.equal(t.firstSuspicious, 1);
  });

  it('a consent stays on the timeline once its grant is gone (revoked by contain); shown once while it is there', () => {
    const changes = judgeAccountChanges([consent('sp-bad', 2 * HOUR)], WINDOW);
    const withApp = {
      window: { from: new Date(WINDOW).toISOString(), days: 7 },
      changes: { kind: 'read', value: { changes, truncated: false } },
      apps: {
        kind: 'read',
        value: {
          apps: judgeAppAccess({
            userId: USER,
            grants: [grant('g1', 'sp-bad', 'Mail.ReadWrite offline_access')],
            assignments: [],
            servicePrincipals: new Map([['sp-bad', sp('sp-bad')]]),
            initiated: [consent('sp-bad', 2 * HOUR)],
            windowStart: WINDOW,
          }),
        },
      },
    } as unknown as Investigation;
    const both = [...appEvents(withApp), ...changeEvents(withApp)];
    assert.deepEqual(
      both.map((e) => [e.section, e.what]),
      [['apps', 'Consented to an app']],
    );
    // After contain revoked the grant, the app has no access any more: the audit record still dates the consent.
    const revoked = { ...withApp, apps: { kind: 'read', value: { apps: [] } } } as unknown as Investigation;
    const after = [...appEvents(revoked), ...changeEvents(revoked)];
    assert.deepEqual(
      after.map((e) => [e.section, e.at, e.detail, e.suspicious]),
      [['changes', at(2 * HOUR), 'Consent to application — x', true]],
    );
  });

  it('has no first suspicious event when none is suspicious; an unparseable time counts as undated', () => {
    const t = mergeTimeline([[ev('not a time', 'x'), ev(at(HOUR), 'y')]]);
    assert.deepEqual(
      t.events.map((e) => e.what),
      ['y', 'x'],
    );
    assert.equal(t.firstSuspicious, null);
  });
});
