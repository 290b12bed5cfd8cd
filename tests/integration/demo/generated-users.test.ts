import { strict as assert } from 'node:assert';
import { startDemoTenant } from '../../../demo/server';
import { rulesOf } from '../../../demo/state';
import { call, values } from './helpers';

describe('demo tenant: generated users', () => {
  it('starts with 100,000 extra users well within the bound and serves them lazily', async function () {
    this.timeout(30_000);
    const started = Date.now();
    const tenant = await startDemoTenant({ extraUsers: 100_000, seed: 42 });
    const elapsed = Date.now() - started;
    try {
      assert.ok(elapsed < 20_000, `start-up took ${elapsed} ms`);
      assert.ok(tenant.state.users.size >= 100_000);
      const page = await call(tenant, '/v1.0/users?$top=999&$select=id,userPrincipalName');
      assert.equal(values(page).length, 999);
      assert.ok(page.body['@odata.nextLink']);
      const one = values(page)[998];
      assert.ok(one);
      const methods = values(await call(tenant, `/v1.0/users/${String(one.id)}/authentication/methods`));
      assert.ok(methods.some((m) => m['@odata.type'] === '#microsoft.graph.passwordAuthenticationMethod'));
    } finally {
      await tenant.close();
    }
  });

  // The rules are judged from the tenant's state (2,000 HTTP round trips took over 10 s on a loaded machine); one
  // forwarder's rules are then read over HTTP to show the served rules are those of the state.
  it('is deterministic for a seed and includes a small share of external forwarding rules', async () => {
    const a = await startDemoTenant({ extraUsers: 2000, seed: 5 });
    const b = await startDemoTenant({ extraUsers: 2000, seed: 5 });
    try {
      const upnsA = [...a.state.users.values()].map((u) => u.userPrincipalName);
      const upnsB = [...b.state.users.values()].map((u) => u.userPrincipalName);
      assert.deepEqual(upnsA, upnsB);
      const forwarders: string[] = [];
      for (const id of a.state.generatedIds) {
        const user = a.state.users.get(id);
        const same = b.state.users.get(id);
        assert.ok(user && same, id);
        assert.deepEqual(rulesOf(a.state, user), rulesOf(b.state, same), `rules of ${id}`);
        if (!user.assignedLicenses.some((l) => l.skuId !== 'b05e124f-c7cc-45a0-a6aa-8cf78c946968')) continue;
        if (rulesOf(a.state, user).some((r) => JSON.stringify(r.actions).includes('personal-mail.example.org')))
          forwarders.push(id);
      }
      assert.ok(forwarders.length > 0 && forwarders.length < 100, `external forwarders: ${forwarders.length}`);
      const [first] = forwarders;
      const served = values(await call(a, `/v1.0/users/${String(first)}/mailFolders/inbox/messageRules`));
      assert.ok(served.some((r) => JSON.stringify(r.actions).includes('personal-mail.example.org')));
      const reg = values(
        await call(a, '/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false'),
      );
      assert.ok(reg.length > 0 && reg.length < 1000, `not MFA registered: ${reg.length}`);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
