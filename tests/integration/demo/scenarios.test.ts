import { strict as assert } from 'node:assert';
import { DEMO_PROTECTED_GROUP_ID } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, errorCode, post, values } from './helpers';

type Audit = {
  activityDisplayName: string;
  loggedByService: string;
  resultReason: string;
  result: string;
  correlationId: string;
  activityDateTime: string;
  initiatedBy: { user: { ipAddress: string | null } | null; app: { displayName: string } | null };
  targetResources: {
    modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  }[];
};

describe('demo tenant: seeded scenarios', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ limits: { reportsPerWindow: 1000, identityProtectionPerWindow: 1000 } });
  });
  after(() => tenant.close());

  const idOf = async (upn: string): Promise<string> => String((await call(tenant, `/v1.0/users/${upn}`)).body.id);
  const auditsOf = async (upn: string): Promise<Audit[]> => {
    const filter = encodeURIComponent(`targetResources/any(t: t/id eq '${await idOf(upn)}')`);
    return values(await call(tenant, `/v1.0/auditLogs/directoryAudits?$filter=${filter}`)) as unknown as Audit[];
  };
  const registration = async (upn: string): Promise<Record<string, unknown>> =>
    (await call(tenant, `/v1.0/reports/authenticationMethods/userRegistrationDetails/${await idOf(upn)}`)).body;

  it('mfatest1: Authenticator registered and verified, with the full audit trail', async () => {
    const methods = values(await call(tenant, '/v1.0/users/mfatest1@example.com/authentication/methods'));
    assert.ok(methods.some((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod'));
    const audits = await auditsOf('mfatest1@example.com');
    const names = audits.map((a) => a.activityDisplayName);
    assert.ok(names.includes('User started security info registration'));
    const registered = audits.find((a) => a.activityDisplayName === 'User registered security info');
    assert.equal(registered?.resultReason, 'User registered Authenticator App with Notification and Code');
    const update = audits.find((a) => a.activityDisplayName === 'Update user');
    assert.equal(update?.initiatedBy.app?.displayName, 'Azure MFA StrongAuthenticationService');
    const props = update?.targetResources[0]?.modifiedProperties ?? [];
    const sam = props.find((p) => p.displayName === 'StrongAuthenticationMethod');
    assert.deepEqual(JSON.parse(sam?.newValue ?? '[]'), [
      { MethodType: 6, Default: true },
      { MethodType: 7, Default: false },
    ]);
    assert.ok(props.some((p) => p.displayName === 'StrongAuthenticationPhoneAppDetail'));
    const reg = await registration('mfatest1@example.com');
    assert.equal(reg.isMfaRegistered, true);
    assert.equal(reg.isMfaCapable, true);
  });

  it('mfatest2: same method list, only a PhoneAppDetail update, report not MFA registered', async () => {
    const methods = values(await call(tenant, '/v1.0/users/mfatest2@example.com/authentication/methods'));
    assert.ok(methods.some((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod'));
    const audits = await auditsOf('mfatest2@example.com');
    assert.deepEqual(
      audits.map((a) => a.activityDisplayName),
      ['Update user'],
    );
    const props = audits[0]?.targetResources[0]?.modifiedProperties ?? [];
    const detail = props.find((p) => p.displayName === 'StrongAuthenticationPhoneAppDetail');
    assert.equal(detail?.oldValue, '[]');
    assert.equal((JSON.parse(detail?.newValue ?? '[]') as unknown[]).length, 1);
    assert.equal(
      props.some((p) => p.displayName === 'StrongAuthenticationMethod'),
      false,
    );
    const reg = await registration('mfatest2@example.com');
    assert.equal(reg.isMfaRegistered, false);
    assert.equal(reg.isMfaCapable, false);
  });

  it('nomfa: password only', async () => {
    const methods = values(await call(tenant, '/v1.0/users/nomfa@example.com/authentication/methods'));
    assert.deepEqual(
      methods.map((m) => m['@odata.type']),
      ['#microsoft.graph.passwordAuthenticationMethod'],
    );
    assert.equal((await registration('nomfa@example.com')).isMfaRegistered, false);
  });

  it('admin.sspr: Global Administrator, SSPR enabled for all, admin SSPR off in authorizationPolicy', async () => {
    const roles = values(
      await call(tenant, '/v1.0/users/admin.sspr@example.com/memberOf/microsoft.graph.directoryRole'),
    );
    assert.ok(roles.some((r) => r.roleTemplateId === '62e90394-69f5-4237-9190-012177145e10'));
    const reg = await registration('admin.sspr@example.com');
    assert.equal(reg.isSsprEnabled, true);
    assert.equal(reg.isAdmin, true);
    assert.equal((await call(tenant, '/v1.0/policies/authorizationPolicy')).body.allowedToUseSSPR, false);
  });

  it('sspr.user: an SSPR flow an hour ago that failed with insufficient methods, one correlationId, source IP', async () => {
    const filter = encodeURIComponent(
      `loggedByService eq 'Self-service Password Management' and targetResources/any(t: t/id eq '${await idOf('sspr.user@example.com')}')`,
    );
    const audits = values(
      await call(tenant, `/v1.0/auditLogs/directoryAudits?$filter=${filter}&$orderby=activityDateTime asc`),
    ) as unknown as Audit[];
    assert.equal(new Set(audits.map((a) => a.correlationId)).size, 1);
    assert.equal(audits[0]?.resultReason, 'User submitted their user ID');
    const failure = audits.find((a) => a.result === 'failure');
    assert.ok(failure?.resultReason.startsWith("User's account has insufficient authentication methods defined"));
    assert.ok(audits.every((a) => a.activityDisplayName === 'Self-service password reset flow activity progress'));
    assert.ok(audits.every((a) => a.initiatedBy.user?.ipAddress));
    const ago = Date.now() - Date.parse(audits[0]?.activityDateTime ?? '');
    assert.ok(ago > 55 * 60_000 && ago < 65 * 60_000, `an hour ago, got ${ago} ms`);
  });

  it('quiet.user: no SSPR activity at all', async () => {
    const audits = await auditsOf('quiet.user@example.com');
    assert.equal(audits.filter((a) => a.loggedByService === 'Self-service Password Management').length, 0);
  });

  it('upntest@example.net: synced, primary SMTP on example.com, UPN kept as smtp proxy', async () => {
    const user = (
      await call(tenant, '/v1.0/users/upntest@example.net?$select=mail,proxyAddresses,onPremisesSyncEnabled')
    ).body;
    assert.equal(user.onPremisesSyncEnabled, true);
    assert.equal(user.mail, 'upntest@example.com');
    const proxies = user.proxyAddresses as string[];
    assert.ok(proxies.includes('SMTP:upntest@example.com'));
    assert.ok(proxies.includes('smtp:upntest@example.net'));
    assert.ok(proxies.some((p) => p.endsWith('@example.onmicrosoft.com')));
  });

  it('forwarder, hider and markdown rules; Exchange mailbox forwarding; no mailbox → MailboxNotEnabledForRESTAPI', async () => {
    const fwd = values(await call(tenant, '/v1.0/users/forwarder@example.com/mailFolders/inbox/messageRules'));
    assert.ok(fwd.some((r) => JSON.stringify(r.actions).includes('billing-collector.example.org')));
    const mailbox = await call(tenant, `/adminapi/beta/${tenant.state.tenantId}/Mailbox('forwarder@example.com')`);
    assert.match(String((values(mailbox)[0] ?? {}).ForwardingSmtpAddress), /billing-collector\.example\.org$/);
    const hider = values(await call(tenant, '/v1.0/users/hider@example.com/mailFolders/inbox/messageRules'))[0];
    const folders = values(await call(tenant, '/v1.0/users/hider@example.com/mailFolders'));
    const target = folders.find((f) => f.id === (hider?.actions as Record<string, unknown>).moveToFolder);
    assert.equal(target?.displayName, 'RSS Feeds');
    assert.equal((hider?.actions as Record<string, unknown>).markAsRead, true);
    const md = values(await call(tenant, '/v1.0/users/markdown@example.com/mailFolders/inbox/messageRules'))[0];
    assert.equal(md?.displayName, '[Reset your password](https://example.org/reset)');
    const none = await call(tenant, '/v1.0/users/nomailbox@example.com/mailFolders/inbox/messageRules');
    assert.equal(none.status, 404);
    assert.equal(errorCode(none), 'MailboxNotEnabledForRESTAPI');
  });

  it('consumer@example.com: GetCredentialType 6 and userrealm MicrosoftAccount 0; others differ', async () => {
    const cred = async (username: string): Promise<Record<string, unknown>> =>
      (await call(tenant, '/common/GetCredentialType', post({ username, isOtherIdpSupported: true }))).body;
    const consumer = await cred('consumer@example.com');
    assert.equal(consumer.IfExistsResult, 6);
    assert.equal((consumer.EstsProperties as { DomainType: number }).DomainType, 3);
    assert.equal(consumer.ThrottleStatus, 0);
    assert.equal((await cred('nomfa@example.com')).IfExistsResult, 0);
    assert.equal((await cred('nobody@example.com')).IfExistsResult, 1);
    assert.equal((await cred('someone.personal@outlook.com')).IfExistsResult, 5);
    const realm = (await call(tenant, '/getuserrealm.srf?login=consumer@example.com&json=1')).body;
    assert.equal(realm.NameSpaceType, 'Managed');
    assert.equal(realm.MicrosoftAccount, 0);
    assert.equal((await call(tenant, '/getuserrealm.srf?login=nomfa@example.com&json=1')).body.MicrosoftAccount, 1);
    assert.equal((await call(tenant, '/getuserrealm.srf?login=x@contoso.com&json=1')).body.NameSpaceType, 'Federated');
    assert.equal(
      (await call(tenant, '/getuserrealm.srf?login=x@unknown.example&json=1')).body.NameSpaceType,
      'Unknown',
    );
  });

  it('risky@example.com: high risk, detections, sign-ins from two countries an hour apart', async () => {
    const id = await idOf('risky@example.com');
    const risky = (await call(tenant, `/v1.0/identityProtection/riskyUsers/${id}`)).body;
    assert.equal(risky.riskLevel, 'high');
    assert.equal(risky.riskState, 'atRisk');
    const detections = values(await call(tenant, `/v1.0/identityProtection/riskDetections?$filter=userId eq '${id}'`));
    assert.ok(detections.length >= 1);
    const signIns = values(await call(tenant, `/v1.0/auditLogs/signIns?$filter=userId eq '${id}'`));
    const countries = signIns.map((s) => (s.location as { countryOrRegion: string }).countryOrRegion);
    assert.equal(new Set(countries).size, 2);
    const times = signIns.map((s) => Date.parse(String(s.createdDateTime)));
    assert.ok(Math.abs((times[0] ?? 0) - (times[1] ?? 0) - 3_600_000) < 1000);
  });

  it('noaudit lacks M365_ADVANCED_AUDITING; other licensed users have it provisioned', async () => {
    const plans = async (upn: string): Promise<Record<string, unknown>[]> =>
      values(await call(tenant, `/v1.0/users/${upn}/licenseDetails`)).flatMap(
        (l) => l.servicePlans as Record<string, unknown>[],
      );
    const audit = '2f442157-a11c-46b9-ae5b-6e39ff4e5849';
    assert.equal(
      (await plans('noaudit@example.com')).some((p) => p.servicePlanId === audit),
      false,
    );
    assert.ok(
      (await plans('forwarder@example.com')).some(
        (p) => p.servicePlanId === audit && p.provisioningStatus === 'Success',
      ),
    );
  });

  it('the guest and the protected break-glass account', async () => {
    const guests = values(
      await call(tenant, "/v1.0/users?$filter=userType eq 'Guest'&$select=userPrincipalName,userType"),
    );
    assert.deepEqual(
      guests.map((g) => g.userPrincipalName),
      ['partner_contoso.com#EXT#@example.onmicrosoft.com'],
    );
    const guest = await call(
      tenant,
      `/v1.0/users/${encodeURIComponent('partner_contoso.com#EXT#@example.onmicrosoft.com')}?$select=userType`,
    );
    assert.equal(guest.body.userType, 'Guest');
    const check = await call(
      tenant,
      '/v1.0/users/breakglass@example.onmicrosoft.com/checkMemberGroups',
      post({ groupIds: [DEMO_PROTECTED_GROUP_ID] }),
    );
    assert.deepEqual(check.body.value, [DEMO_PROTECTED_GROUP_ID]);
  });

  it('CA policies include one requiring an authentication strength; eligible roles are listed', async () => {
    const policies = values(await call(tenant, '/v1.0/identity/conditionalAccess/policies'));
    assert.ok(
      policies.some((p) => (p.grantControls as { authenticationStrength: unknown }).authenticationStrength !== null),
    );
    const eligible = values(await call(tenant, '/v1.0/roleManagement/directory/roleEligibilitySchedules'));
    assert.ok(eligible.length >= 1);
  });
});
