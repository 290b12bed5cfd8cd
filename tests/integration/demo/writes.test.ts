import { strict as assert } from 'node:assert';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, patch, post, values } from './helpers';

async function auditsFor(tenant: DemoTenant, userId: string, activity: string): Promise<Record<string, unknown>[]> {
  const filter = encodeURIComponent(
    `activityDisplayName eq '${activity}' and targetResources/any(t: t/id eq '${userId}')`,
  );
  return values(await call(tenant, `/v1.0/auditLogs/directoryAudits?$filter=${filter}`));
}

describe('demo tenant: writes change state and append audit records', () => {
  let tenant: DemoTenant;
  let nomfaId: string;
  beforeEach(async () => {
    tenant = await startDemoTenant();
    nomfaId = String((await call(tenant, '/v1.0/users/nomfa@example.com')).body.id);
  });
  afterEach(() => tenant.close());

  it('revokeSignInSessions answers {value:true}, moves signInSessionsValidFromDateTime to now and audits it', async () => {
    const before = Date.now();
    const reply = await call(tenant, `/v1.0/users/${nomfaId}/revokeSignInSessions`, { method: 'POST' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.value, true);
    const user = await call(tenant, `/v1.0/users/${nomfaId}?$select=signInSessionsValidFromDateTime`);
    assert.ok(Date.parse(String(user.body.signInSessionsValidFromDateTime)) >= before - 1);
    const audits = await auditsFor(tenant, nomfaId, 'Update user');
    const props = audits.flatMap(
      (a) => (a.targetResources as { modifiedProperties: { displayName: string }[] }[])[0]?.modifiedProperties ?? [],
    );
    assert.ok(props.some((p) => p.displayName === 'StsRefreshTokensValidFrom'));
    assert.deepEqual(tenant.stats().writes, [{ method: 'POST', path: `/v1.0/users/${nomfaId}/revokeSignInSessions` }]);
  });

  it('PATCH accountEnabled=false reads back disabled and writes Disable account', async () => {
    assert.equal((await call(tenant, `/v1.0/users/${nomfaId}`, patch({ accountEnabled: false }))).status, 204);
    const user = await call(tenant, `/v1.0/users/${nomfaId}?$select=accountEnabled`);
    assert.equal(user.body.accountEnabled, false);
    const audits = await auditsFor(tenant, nomfaId, 'Disable account');
    assert.equal(audits.length, 1);
    assert.equal((audits[0]?.initiatedBy as { app: { displayName: string } }).app.displayName, 'SecOps Bot (demo)');
  });

  it('PATCH passwordProfile checks complexity, updates lastPasswordChangeDateTime and writes Reset user password', async () => {
    const weak = await call(
      tenant,
      `/v1.0/users/${nomfaId}`,
      patch({ passwordProfile: { password: 'short', forceChangePasswordNextSignIn: true } }),
    );
    assert.equal(weak.status, 400);
    const ok = await call(
      tenant,
      `/v1.0/users/${nomfaId}`,
      patch({ passwordProfile: { password: 'Tr0ub4dor&3x!', forceChangePasswordNextSignIn: true } }),
    );
    assert.equal(ok.status, 204);
    assert.equal((await auditsFor(tenant, nomfaId, 'Reset user password')).length, 1);
    const user = await call(tenant, `/v1.0/users/${nomfaId}?$select=lastPasswordChangeDateTime`);
    assert.ok(Date.now() - Date.parse(String(user.body.lastPasswordChangeDateTime)) < 5000);
    const unknown = await call(tenant, `/v1.0/users/${nomfaId}`, patch({ notAProperty: 1 }));
    assert.equal(unknown.status, 400);
  });

  it('PATCH messageRule isEnabled reads back', async () => {
    const path = '/v1.0/users/forwarder@example.com/mailFolders/inbox/messageRules';
    const rules = values(await call(tenant, path));
    const forwarding = rules.find((r) => (r.actions as Record<string, unknown>).forwardTo);
    assert.ok(forwarding);
    const reply = await call(
      tenant,
      `${path}/${encodeURIComponent(String(forwarding.id))}`,
      patch({ isEnabled: false }),
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.body.isEnabled, false);
    const again = values(await call(tenant, path)).find((r) => r.id === forwarding.id);
    assert.equal(again?.isEnabled, false);
  });

  it('DELETE of a method by its type-specific path removes it and writes Admin deleted security info', async () => {
    const id = String((await call(tenant, '/v1.0/users/mfatest2@example.com')).body.id);
    const methods = values(await call(tenant, `/v1.0/users/${id}/authentication/methods`));
    const app = methods.find((m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod');
    assert.ok(app);
    const wrongType = await call(tenant, `/v1.0/users/${id}/authentication/phoneMethods/${String(app.id)}`, {
      method: 'DELETE',
    });
    assert.equal(wrongType.status, 404);
    const del = await call(tenant, `/v1.0/users/${id}/authentication/microsoftAuthenticatorMethods/${String(app.id)}`, {
      method: 'DELETE',
    });
    assert.equal(del.status, 204);
    const after = values(await call(tenant, `/v1.0/users/${id}/authentication/methods`));
    assert.equal(
      after.some((m) => m.id === app.id),
      false,
    );
    assert.equal((await auditsFor(tenant, id, 'Admin deleted security info')).length, 1);
  });

  it('creates a Temporary Access Pass, returning the pass once', async () => {
    const created = await call(
      tenant,
      `/v1.0/users/${nomfaId}/authentication/temporaryAccessPassMethods`,
      post({ lifetimeInMinutes: 60, isUsableOnce: true }),
    );
    assert.equal(created.status, 201);
    assert.equal(typeof created.body.temporaryAccessPass, 'string');
    assert.equal(created.body.isUsableOnce, true);
    const listed = values(await call(tenant, `/v1.0/users/${nomfaId}/authentication/methods`)).find(
      (m) => m.id === created.body.id,
    );
    assert.equal(listed?.temporaryAccessPass, null);
    assert.equal((await auditsFor(tenant, nomfaId, 'Admin registered security info')).length, 1);
  });

  it('confirmCompromised answers 204 and sets the user to high risk', async () => {
    const id = String((await call(tenant, '/v1.0/users/nomfa@example.com')).body.id);
    const reply = await call(tenant, '/v1.0/identityProtection/riskyUsers/confirmCompromised', post({ userIds: [id] }));
    assert.equal(reply.status, 204);
    assert.equal(tenant.state.riskyUsers.get(id)?.riskState, 'confirmedCompromised');
    assert.equal(tenant.state.riskyUsers.get(id)?.riskLevel, 'high');
  });
});
