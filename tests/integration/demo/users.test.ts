import { strict as assert } from 'node:assert';
import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_PROTECTED_GROUP_ID,
  PLAYGROUND_USERS,
} from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, errorCode, post, values } from './helpers';

const [alex, megan, adele, isaiah] = PLAYGROUND_USERS;

describe('demo tenant: users and groups', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant();
  });
  after(() => tenant.close());

  it("gets a user by id, by UPN and by users('upn') with Graph default properties and request-id", async () => {
    const byId = await call(tenant, `/v1.0/users/${alex.aadObjectId}`);
    const byUpn = await call(tenant, `/v1.0/users/${alex.upn}`);
    const byKey = await call(tenant, `/v1.0/users('${alex.upn}')`);
    assert.equal(byId.status, 200);
    assert.ok(byId.headers.get('request-id'));
    assert.equal(byUpn.body.id, alex.aadObjectId);
    assert.equal(byKey.body.id, alex.aadObjectId);
    assert.match(String(byId.body['@odata.context']), /\$metadata#users\/\$entity$/);
    assert.equal('accountEnabled' in byId.body, false, 'accountEnabled is not a default property');
    assert.deepEqual(
      Object.keys(byId.body)
        .filter((k) => k !== '@odata.context')
        .sort(),
      [
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
  });

  it('answers an unknown user with 404 Request_ResourceNotFound and Graph error body', async () => {
    const reply = await call(tenant, '/v1.0/users/nobody@example.com');
    assert.equal(reply.status, 404);
    assert.equal(errorCode(reply), 'Request_ResourceNotFound');
    const inner = (reply.body.error as { innerError: Record<string, string> }).innerError;
    assert.deepEqual(Object.keys(inner).sort(), ['client-request-id', 'date', 'request-id']);
    assert.equal(inner['request-id'], reply.headers.get('request-id'));
  });

  it('applies $select and rejects unknown properties', async () => {
    const ok = await call(tenant, `/v1.0/users/${isaiah.upn}?$select=id,mail,proxyAddresses,accountEnabled`);
    assert.deepEqual(
      Object.keys(ok.body).filter((k) => !k.startsWith('@')),
      ['id', 'mail', 'proxyAddresses', 'accountEnabled'],
    );
    assert.equal(ok.body.mail, 'isaiahl@example.com');
    const bad = await call(tenant, '/v1.0/users?$select=nope');
    assert.equal(bad.status, 400);
  });

  it('filters with eq, startswith and proxyAddresses/any', async () => {
    const eq = values(await call(tenant, `/v1.0/users?$filter=userPrincipalName eq '${megan.upn.toUpperCase()}'`));
    assert.deepEqual(
      eq.map((u) => u.id),
      [megan.aadObjectId],
    );
    const sw = values(await call(tenant, "/v1.0/users?$filter=startswith(displayName,'Adele')"));
    assert.deepEqual(
      sw.map((u) => u.id),
      [adele.aadObjectId],
    );
    const proxy = values(
      await call(tenant, "/v1.0/users?$filter=proxyAddresses/any(p:p eq 'smtp:isaiah@example.com')"),
    );
    assert.deepEqual(
      proxy.map((u) => u.id),
      [isaiah.aadObjectId],
    );
  });

  it('treats a quote-injection literal as a literal that matches nothing', async () => {
    const filter = encodeURIComponent("userPrincipalName eq 'a'' or startswith(userPrincipalName,'''");
    const reply = await call(tenant, `/v1.0/users?$filter=${filter}`);
    assert.equal(reply.status, 200);
    assert.deepEqual(values(reply), []);
  });

  it('rejects an unparseable filter and an unsupported property with 400', async () => {
    const syntax = await call(tenant, `/v1.0/users?$filter=${encodeURIComponent("userPrincipalName eq 'x")}`);
    assert.equal(syntax.status, 400);
    assert.equal(errorCode(syntax), 'Request_BadRequest');
    const unsupported = await call(tenant, `/v1.0/users?$filter=${encodeURIComponent("jobTitle eq 'x'")}`);
    assert.equal(unsupported.status, 400);
    assert.equal(errorCode(unsupported), 'Request_UnsupportedQuery');
  });

  it('pages with $top and @odata.nextLink until the end', async () => {
    const seen = new Set<string>();
    let next: string | undefined = `/v1.0/users?$top=3&$select=id`;
    let pages = 0;
    while (next) {
      const reply = await call(tenant, next);
      assert.equal(reply.status, 200);
      for (const u of values(reply)) seen.add(String(u.id));
      const link = reply.body['@odata.nextLink'];
      next = typeof link === 'string' ? link.slice(tenant.url.length) : undefined;
      if (next) assert.match(next, /\$skiptoken=/);
      pages++;
    }
    assert.equal(seen.size, tenant.state.users.size);
    assert.equal(pages, Math.ceil(tenant.state.users.size / 3));
  });

  it('requires ConsistencyLevel: eventual for $count', async () => {
    const without = await call(tenant, '/v1.0/users?$count=true');
    assert.equal(without.status, 400);
    const withHeader = await call(tenant, '/v1.0/users?$count=true&$top=1', {
      headers: { ConsistencyLevel: 'eventual' },
    });
    assert.equal(withHeader.body['@odata.count'], tenant.state.users.size);
  });

  it('checks group membership transitively', async () => {
    const groupIds = [DEMO_OPERATORS_GROUP_ID, DEMO_APPROVERS_GROUP_ID, DEMO_PROTECTED_GROUP_ID];
    const check = async (id: string): Promise<unknown> =>
      (await call(tenant, `/v1.0/users/${id}/checkMemberGroups`, post({ groupIds }))).body.value;
    assert.deepEqual(await check(alex.aadObjectId), [DEMO_OPERATORS_GROUP_ID, DEMO_APPROVERS_GROUP_ID]);
    assert.deepEqual(await check(megan.aadObjectId), [DEMO_APPROVERS_GROUP_ID]);
    assert.deepEqual(await check(adele.aadObjectId), [DEMO_OPERATORS_GROUP_ID]);
    assert.deepEqual(await check(isaiah.aadObjectId), []);
  });

  it('lists memberOf (direct) and transitiveMemberOf with @odata.type, incl. directory roles', async () => {
    const direct = values(await call(tenant, `/v1.0/users/${megan.aadObjectId}/memberOf`));
    assert.equal(
      direct.some((o) => o.id === DEMO_APPROVERS_GROUP_ID),
      false,
    );
    const transitive = values(await call(tenant, `/v1.0/users/${megan.aadObjectId}/transitiveMemberOf`));
    assert.ok(
      transitive.some((o) => o.id === DEMO_APPROVERS_GROUP_ID && o['@odata.type'] === '#microsoft.graph.group'),
    );
    const roles = values(await call(tenant, `/v1.0/users/${alex.aadObjectId}/memberOf/microsoft.graph.directoryRole`));
    assert.deepEqual(
      roles.map((r) => [r['@odata.type'], r.displayName]),
      [['#microsoft.graph.directoryRole', 'Security Administrator']],
    );
  });

  it('returns licenseDetails with service plans and organization verifiedDomains', async () => {
    const lic = values(await call(tenant, `/v1.0/users/${alex.aadObjectId}/licenseDetails`));
    const plans = lic.flatMap((l) => l.servicePlans as Record<string, unknown>[]);
    assert.ok(
      plans.some(
        (p) => p.servicePlanId === '2f442157-a11c-46b9-ae5b-6e39ff4e5849' && p.provisioningStatus === 'Success',
      ),
    );
    const org = values(await call(tenant, '/v1.0/organization'));
    const domains = (org[0]?.verifiedDomains as { name: string }[]).map((d) => d.name);
    assert.deepEqual(domains, ['example.com', 'example.net', 'example.onmicrosoft.com']);
  });
});
