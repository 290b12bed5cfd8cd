import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, post, values } from './helpers';

// The repository's own copy (tests/fixtures), so the suite stands alone on a clean clone.
const EXAMPLES = path.resolve(__dirname, '../../fixtures/graph-examples');

function example(name: string): Record<string, unknown> {
  // signIns' documented example has a trailing comma (SOURCES.md); strip it before parsing.
  const text = readFileSync(path.join(EXAMPLES, name), 'utf8').replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(text) as Record<string, unknown>;
}

function firstItem(body: Record<string, unknown>): Record<string, unknown> {
  const list = body.value as Record<string, unknown>[];
  assert.ok(list[0], 'example or reply has an item');
  return list[0];
}

/** Every key of the documented item is present in ours (case-insensitively, as SOURCES.md asks for `type`). */
function assertHasKeys(ours: Record<string, unknown>, documented: Record<string, unknown>, where: string): void {
  const mine = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  for (const key of Object.keys(documented)) {
    if (key === 'creationDateTime') continue;
    assert.ok(mine.has(key.toLowerCase()), `${where}: missing ${key}`);
  }
}

describe('demo tenant: response shapes match the documented Graph examples', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ limits: { reportsPerWindow: 1000, identityProtectionPerWindow: 1000 } });
  });
  after(() => tenant.close());

  it('directoryAudits items, incl. initiatedBy.user and targetResources entries', async () => {
    const ours = firstItem((await call(tenant, '/v1.0/auditLogs/directoryAudits')).body);
    const doc = firstItem(example('auditLogs-directoryAudits-filter-initiatedBy.json'));
    assertHasKeys(ours, doc, 'directoryAudit');
    const userAudit = values(
      await call(
        tenant,
        "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'User registered security info'",
      ),
    )[0];
    assert.ok(userAudit);
    assertHasKeys(
      (userAudit.initiatedBy as { user: Record<string, unknown> }).user,
      (doc.initiatedBy as { user: Record<string, unknown> }).user,
      'initiatedBy.user',
    );
    assertHasKeys(
      (ours.targetResources as Record<string, unknown>[])[0] ?? {},
      (doc.targetResources as Record<string, unknown>[])[0] ?? {},
      'targetResource',
    );
  });

  it('signIns items incl. status, deviceDetail and location', async () => {
    const ours = firstItem((await call(tenant, '/v1.0/auditLogs/signIns?$top=1')).body);
    const doc = firstItem(example('auditLogs-signIns.json'));
    assertHasKeys(ours, doc, 'signIn');
    for (const nested of ['status', 'deviceDetail', 'location'] as const) {
      assertHasKeys(ours[nested] as Record<string, unknown>, doc[nested] as Record<string, unknown>, nested);
    }
  });

  it('userRegistrationDetails, messageRules, riskyUsers', async () => {
    assertHasKeys(
      firstItem((await call(tenant, '/v1.0/reports/authenticationMethods/userRegistrationDetails')).body),
      firstItem(example('reports-authenticationMethods-userRegistrationDetails.json')),
      'userRegistrationDetails',
    );
    assertHasKeys(
      firstItem((await call(tenant, '/v1.0/users/forwarder@example.com/mailFolders/inbox/messageRules')).body),
      firstItem(example('users-mailFolders-inbox-messageRules.json')),
      'messageRule',
    );
    const risky = firstItem((await call(tenant, '/v1.0/identityProtection/riskyUsers')).body);
    const doc = firstItem(example('identityProtection-riskyUsers.json'));
    assertHasKeys(risky, Object.fromEntries(Object.entries(doc).filter(([k]) => k !== '@odata.type')), 'riskyUser');
    assert.equal(typeof risky.isDeleted, 'boolean');
  });

  it('authentication methods carry @odata.type and the documented fields', async () => {
    const methods = values(await call(tenant, '/v1.0/users/alexw@example.com/authentication/methods'));
    const fido = methods.find((m) => m['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod');
    assert.ok(fido);
    const doc = (example('users-authentication-methods.json').value as Record<string, unknown>[])[0] ?? {};
    assertHasKeys(fido, doc, 'fido2AuthenticationMethod');
    assert.ok('createdDateTime' in fido);
  });

  it('checkMemberGroups, revokeSignInSessions, 429 body and batch items have the documented keys', async () => {
    const check = await call(tenant, '/v1.0/users/alexw@example.com/checkMemberGroups', post({ groupIds: [] }));
    assert.deepEqual(Object.keys(check.body).sort(), Object.keys(example('users-checkMemberGroups.json')).sort());
    const revoke = await call(tenant, '/v1.0/users/lynner@example.com/revokeSignInSessions', { method: 'POST' });
    assert.deepEqual(Object.keys(revoke.body).sort(), Object.keys(example('users-revokeSignInSessions.json')).sort());
    const batch = await call(
      tenant,
      '/v1.0/$batch',
      post({ requests: [{ id: '1', method: 'GET', url: '/organization' }] }),
    );
    const docItem = (example('batch-response.json').responses as Record<string, unknown>[])[0] ?? {};
    assert.deepEqual(
      Object.keys((batch.body.responses as Record<string, unknown>[])[0] ?? {}).sort(),
      Object.keys(docItem).sort(),
    );
    const throttled = await startDemoTenant({ limits: { identityProtectionPerWindow: 0 } });
    try {
      const reply = await call(throttled, '/v1.0/identityProtection/riskyUsers');
      const doc = example('error-429-throttling.json') as { error: Record<string, unknown> };
      const ours = reply.body as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(ours.error).sort(), Object.keys(doc.error).sort());
      assert.deepEqual(
        Object.keys(ours.error.innerError as object).sort(),
        Object.keys(doc.error.innerError as object).sort(),
      );
    } finally {
      await throttled.close();
    }
  });
});
