import assert from 'node:assert/strict';
import { DEMO_APPROVERS_GROUP_ID, DEMO_OPERATORS_GROUP_ID } from '../../../demo/constants';
import { startDemoTenant } from '../../../demo/server';
import type { DemoTenant } from '../../../demo/server';
import { isCodedError } from '../../../services/errors';
import type { Upn } from '../../../services/ids';
import { createGraphClient } from '../../../services/graph/client';
import type { GraphClient } from '../../../services/graph/client';
import { odataString, withQuery } from '../../../services/graph/odata';
import { collectAll } from '../../../services/graph/paging';
import { getOrganization } from '../../../services/graph/organization';
import {
  authenticationMethodSchema,
  directoryAuditSchema,
  graphUserSchema,
  messageRuleSchema,
} from '../../../services/graph/schemas';
import { checkMemberGroups, readUserProfile } from '../../../services/graph/users';
import { endpoints } from '../../../services/graph/endpoints';
import { readOne } from '../../../services/graph/read';
import { createUserResolver } from '../../../services/graph/user-resolver';
import { systemClock } from '../../../services/clock';

const upn = (s: string) => ({ kind: 'upn' as const, upn: s as Upn });

describe('graph layer against the demo tenant (real HTTP)', function () {
  this.timeout(20_000);
  let demo: DemoTenant;
  let client: GraphClient;

  before(async () => {
    demo = await startDemoTenant({ port: 0, requireToken: 'demo-token', timeFactor: 0.01, shuffleBatch: true });
    client = createGraphClient({
      baseUrl: demo.url,
      credential: { kind: 'static', token: 'demo-token' },
      // The demo scales its windows by the time factor; scale ours the same way so we stay under them.
      limits: {
        reports: { requests: 5, windowMs: 100 },
        identityProtection: { requests: 1, windowMs: 10 },
        windowMarginMs: 25,
      },
    });
  });
  after(() => demo.close());

  it('reads a profile in one batch, with roles and licences, through the token-checking tenant', async () => {
    const before = demo.stats().requests;
    const profile = await readUserProfile(client, upn('alexw@example.com'));
    assert.equal(profile.user.userPrincipalName.toLowerCase(), 'alexw@example.com');
    assert.ok(profile.directoryRoles.some((r) => r.displayName === 'Security Administrator'));
    assert.ok(profile.groups.length >= 2);
    assert.ok(profile.licenses.length >= 1);
    assert.ok(demo.stats().requests - before >= 1);
  });

  it('user_not_found for an unknown UPN; the token is required', async () => {
    await assert.rejects(readOne(client, endpoints.user.at({ user: upn('nobody@example.com') })), (err: unknown) =>
      isCodedError(err, 'user_not_found'),
    );
    const anon = createGraphClient({ baseUrl: demo.url, credential: { kind: 'static', token: 'wrong' } });
    await assert.rejects(getOrganization(anon), (err: unknown) => isCodedError(err, 'graph_unauthorized'));
  });

  it('checkMemberGroups is transitive (nested approver group) and the organization has verified domains', async () => {
    const id = await createUserResolver({ client, clock: systemClock }).resolve(upn('meganb@example.com'));
    const org = await getOrganization(client);
    assert.ok(org.verifiedDomains.some((d) => d.name === 'example.com'));
    const found = await checkMemberGroups(client, id, [DEMO_OPERATORS_GROUP_ID, DEMO_APPROVERS_GROUP_ID]);
    assert.deepEqual(found, [DEMO_APPROVERS_GROUP_ID]);
  });

  it('a quote-injection filter matches nothing; a real UPN filter matches one user', async () => {
    const find = (value: string) =>
      collectAll(
        client,
        withQuery('/users', {
          $filter: `userPrincipalName eq ${odataString(value)}`,
          $select: ['id', 'userPrincipalName'],
        }),
        graphUserSchema.pick({ id: true }),
      );
    assert.equal((await find("a' or startswith(userPrincipalName,'")).items.length, 0);
    assert.equal((await find('alexw@example.com')).items.length, 1);
  });

  it('pages users with $top and parses methods, audits and inbox rules', async () => {
    const users = await collectAll(
      client,
      '/users?$top=5&$select=id,userPrincipalName',
      graphUserSchema.pick({ id: true, userPrincipalName: true }),
    );
    assert.ok(users.pages > 1);
    assert.equal(users.complete, true);
    const resolver = createUserResolver({ client, clock: systemClock });
    const id = await resolver.resolve(upn('mfatest1@example.com'));
    const methods = await collectAll(client, `/users/${id}/authentication/methods`, authenticationMethodSchema);
    assert.ok(methods.items.some((m) => m.kind === 'microsoftAuthenticator'));
    const audits = await collectAll(
      client,
      withQuery('/auditLogs/directoryAudits', { $filter: `targetResources/any(t: t/id eq ${odataString(id)})` }),
      directoryAuditSchema,
    );
    assert.ok(audits.items.some((a) => a.activityDisplayName === 'User registered security info'));
    const fwd = await resolver.resolve(upn('forwarder@example.com'));
    const rules = await collectAll(client, `/users/${fwd}/mailFolders/inbox/messageRules`, messageRuleSchema);
    assert.ok(rules.items.some((r) => r.actions.forwardTo.length + r.actions.redirectTo.length > 0));
  });

  it('stays under the reports limit: 12 audit reads, no 429 from the tenant', async () => {
    const throttledBefore = demo.stats().throttled;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        client.request({ method: 'GET', path: '/auditLogs/directoryAudits?$top=1', priority: 'background' }),
      ),
    );
    assert.equal(demo.stats().throttled - throttledBefore, 0);
  });
});
