import { strict as assert } from 'node:assert';
import { COMPROMISED_IDS } from '../../../demo/seed/scenario-compromised';
import { PHONE_MOBILE_ID } from '../../../demo/seed/methods';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, errorCode, post } from './helpers';

/** The undo POSTs as Graph serves them: created objects with Graph's shapes, Graph's refusals for duplicates. */
describe('demo tenant: the undo writes (grant, app role assignment, phone and email methods)', () => {
  let tenant: DemoTenant;
  const user = COMPROMISED_IDS.user;
  beforeEach(async () => {
    tenant = await startDemoTenant();
  });
  afterEach(() => tenant.close());

  it('POST /oauth2PermissionGrants creates a grant with a new id (201); the same grant again is a 409', async () => {
    const grant = {
      clientId: COMPROMISED_IDS.mailBackupSp,
      consentType: 'Principal',
      principalId: user,
      resourceId: COMPROMISED_IDS.graphSp,
      scope: 'Mail.ReadWrite offline_access User.Read',
    };
    assert.equal(
      (await call(tenant, `/v1.0/oauth2PermissionGrants/${COMPROMISED_IDS.mailBackupGrant}`, { method: 'DELETE' }))
        .status,
      204,
    );
    const created = await call(tenant, '/v1.0/oauth2PermissionGrants', post(grant));
    assert.equal(created.status, 201);
    assert.notEqual(created.body.id, COMPROMISED_IDS.mailBackupGrant);
    assert.equal(created.body.scope, grant.scope);
    const read = await call(tenant, `/v1.0/oauth2PermissionGrants/${String(created.body.id)}`);
    assert.equal(read.body.principalId, user);
    const again = await call(tenant, '/v1.0/oauth2PermissionGrants', post(grant));
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'Request_MultipleObjectsWithSameKeyValue');
    const bad = await call(tenant, '/v1.0/oauth2PermissionGrants', post({ ...grant, principalId: null }));
    assert.equal(bad.status, 400, 'Principal consent needs a principal');
  });

  it('POST /users/{id}/appRoleAssignments assigns again (201); a duplicate or another principal is a 400', async () => {
    const body = {
      principalId: user,
      resourceId: COMPROMISED_IDS.hrPortalSp,
      appRoleId: '00000000-0000-0000-0000-000000000000',
    };
    const path = `/v1.0/users/${user}/appRoleAssignments`;
    assert.equal((await call(tenant, path, post(body))).status, 400, 'the seeded assignment exists');
    await call(tenant, `${path}/${COMPROMISED_IDS.hrPortalAssignment}`, { method: 'DELETE' });
    const created = await call(tenant, path, post(body));
    assert.equal(created.status, 201);
    assert.equal(created.body.resourceDisplayName, 'Example HR Portal');
    assert.equal(created.body.principalType, 'User');
    assert.equal((await call(tenant, path, post({ ...body, principalId: 'someone-else' }))).status, 400);
  });

  it('POST phoneMethods takes +{country} {number} once per type; emailMethods once per user', async () => {
    const phones = `/v1.0/users/${user}/authentication/phoneMethods`;
    const taken = await call(tenant, phones, post({ phoneNumber: '+1 5555551234', phoneType: 'mobile' }));
    assert.equal(taken.status, 400, 'the seeded attacker phone holds the mobile slot');
    await call(tenant, `${phones}/${PHONE_MOBILE_ID}`, { method: 'DELETE' });
    assert.equal((await call(tenant, phones, post({ phoneNumber: '5555551234', phoneType: 'mobile' }))).status, 400);
    const alternate = await call(tenant, phones, post({ phoneNumber: '+1 5555551234', phoneType: 'alternateMobile' }));
    assert.equal(alternate.status, 400, 'a mobile phone comes first');
    const created = await call(tenant, phones, post({ phoneNumber: '+1 5555551234', phoneType: 'mobile' }));
    assert.equal(created.status, 201);
    assert.equal(created.body.id, PHONE_MOBILE_ID);
    const emails = `/v1.0/users/${user}/authentication/emailMethods`;
    assert.equal((await call(tenant, emails, post({ emailAddress: 'me@contoso.example' }))).status, 201);
    assert.equal((await call(tenant, emails, post({ emailAddress: 'me2@contoso.example' }))).status, 400);
  });
});
