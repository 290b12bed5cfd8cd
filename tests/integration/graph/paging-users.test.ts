import assert from 'node:assert/strict';
import { z } from 'zod';
import { isCodedError } from '../../../services/errors';
import type { Upn, UserId } from '../../../services/ids';
import { createGraphClient } from '../../../services/graph/client';
import type { GraphClient } from '../../../services/graph/client';
import { odataString, userPath, withQuery } from '../../../services/graph/odata';
import { collectAll, pages } from '../../../services/graph/paging';
import { checkMemberGroups, readUserProfile } from '../../../services/graph/users';
import { endpoints } from '../../../services/graph/endpoints';
import { readOne } from '../../../services/graph/read';
import { createUserResolver } from '../../../services/graph/user-resolver';
import { systemClock } from '../../../services/clock';
import { getOrganization } from '../../../services/graph/organization';
import { startFaultServer } from '../../fakes/graph-fault-server';
import type { FaultServer, RecordedRequest, ScriptedResponse } from '../../fakes/graph-fault-server';
import { createRecordingClock } from '../../unit/services/graph/recording-clock';

const item = z.looseObject({ id: z.string() });
const upn = (s: string): Upn => s as Upn;

function page(n: number, total: number): ScriptedResponse {
  return {
    status: 200,
    body: {
      value: [{ id: `p${n}a` }, { id: `p${n}b` }],
      // Real Graph answers with its own host; the client must re-target GRAPH_BASE_URL.
      ...(n < total
        ? { '@odata.nextLink': `https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=2&$skiptoken=tok${n}` }
        : {}),
    },
  };
}

describe('paging, escaping and user reads against the fault server', () => {
  let server: FaultServer;
  let client: GraphClient;

  beforeEach(async () => {
    server = await startFaultServer();
    client = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: 't' },
      clock: createRecordingClock(),
    });
  });
  afterEach(() => server.close());

  it('follows @odata.nextLink through 5 pages, to our base URL', async () => {
    for (let n = 1; n <= 5; n += 1) server.script(page(n, 5));
    const result = await collectAll(client, '/auditLogs/signIns?$top=2', item);
    assert.equal(result.items.length, 10);
    assert.equal(result.pages, 5);
    assert.equal(result.complete, true);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      [
        '/v1.0/auditLogs/signIns?$top=2',
        '/v1.0/auditLogs/signIns?$top=2&$skiptoken=tok1',
        '/v1.0/auditLogs/signIns?$top=2&$skiptoken=tok2',
        '/v1.0/auditLogs/signIns?$top=2&$skiptoken=tok3',
        '/v1.0/auditLogs/signIns?$top=2&$skiptoken=tok4',
      ],
    );
  });

  it('retries a page that fails mid-way instead of skipping it', async () => {
    server.script(
      page(1, 3),
      { status: 503 },
      { status: 429, headers: { 'Retry-After': '1' } },
      page(2, 3),
      page(3, 3),
    );
    const seen: string[] = [];
    for await (const items of pages(client, '/auditLogs/signIns?$top=2', item)) seen.push(...items.map((i) => i.id));
    assert.deepEqual(seen, ['p1a', 'p1b', 'p2a', 'p2b', 'p3a', 'p3b']);
    assert.equal(server.requests[1]?.url, server.requests[2]?.url);
    assert.equal(server.requests[2]?.url, server.requests[3]?.url);
  });

  it('stops at maxItems / maxPages and says it is incomplete', async () => {
    for (let n = 1; n <= 5; n += 1) server.script(page(n, 5));
    const byItems = await collectAll(client, '/auditLogs/signIns?$top=2', item, { maxItems: 3 });
    assert.deepEqual(
      byItems.items.map((i) => i.id),
      ['p1a', 'p1b', 'p2a'],
    );
    assert.equal(byItems.complete, false);
    assert.equal(server.requests.length, 2);
    const byPages = await collectAll(client, '/auditLogs/signIns?$top=2', item, { maxPages: 1 });
    assert.equal(byPages.complete, false);
    assert.equal(server.requests.length, 3);
  });

  it('puts a quote-injection UPN into $filter as one doubled-quote literal, percent-encoded', async () => {
    server.script({ status: 200, body: { value: [] } });
    const hostile = "a' or startswith(userPrincipalName,'";
    const path = withQuery('/users', {
      $filter: `userPrincipalName eq ${odataString(hostile)}`,
      $select: ['id', 'userPrincipalName'],
    });
    await client.request({ method: 'GET', path });
    assert.equal(
      server.requests[0]?.url,
      '/v1.0/users?$filter=userPrincipalName%20eq%20%27a%27%27%20or%20startswith%28userPrincipalName%2C%27%27%27&$select=id%2CuserPrincipalName',
    );
    const decoded = new URLSearchParams(server.requests[0]?.url.split('?')[1]).get('$filter');
    assert.equal(decoded, "userPrincipalName eq 'a'' or startswith(userPrincipalName,'''");
  });

  it("addresses UPNs as encoded segments and $-prefixed UPNs in the ('…') form", async () => {
    server.script({ status: 200, body: { id: '1', userPrincipalName: "o'brien@contoso.com" } });
    server.script({ status: 200, body: { id: '2', userPrincipalName: '$adm@contoso.com' } });
    await readOne(client, endpoints.user.at({ user: { kind: 'upn', upn: upn("o'brien#x@contoso.com") } }));
    await readOne(client, endpoints.user.at({ user: { kind: 'upn', upn: upn('$adm@contoso.com') } }));
    assert.match(server.requests[0]?.url ?? '', /^\/v1\.0\/users\/o'brien%23x%40contoso\.com\?\$select=/);
    assert.match(server.requests[1]?.url ?? '', /^\/v1\.0\/users\('\$adm%40contoso\.com'\)\?\$select=/);
    assert.equal(userPath({ kind: 'id', id: 'ABC' as UserId }), '/users/ABC');
  });

  it('resolves a user once (the resolver); later reads address it by the object id', async () => {
    server.script({
      status: 200,
      body: { id: 'aaaaaaaa-0000-0000-0000-000000000001', userPrincipalName: 'alice@contoso.com' },
    });
    server.script({
      status: 200,
      body: { id: 'aaaaaaaa-0000-0000-0000-000000000001', userPrincipalName: 'alice@contoso.com' },
    });
    const ref = { kind: 'upn' as const, upn: upn('alice@contoso.com') };
    const users = createUserResolver({ client, clock: systemClock });
    const id1 = await users.resolve(ref);
    const id2 = await users.resolve(ref);
    assert.equal(id1, id2);
    await readOne(client, endpoints.user.at({ user: users.address(ref) }));
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[0]?.url ?? '', /alice%40contoso\.com/);
    assert.match(server.requests[1]?.url ?? '', /^\/v1\.0\/users\/aaaaaaaa-0000-0000-0000-000000000001\?/);
  });

  it('reads a user profile in one $batch of user, memberOf and licenseDetails', async () => {
    server.script((req: RecordedRequest) => {
      const inner = (req.json as { requests: { id: string; url: string }[] }).requests;
      const bodies: Record<string, unknown> = {
        user: { id: 'u1', userPrincipalName: 'bob@contoso.com', displayName: 'Bob', onPremisesSyncEnabled: null },
        memberOf: {
          value: [
            {
              '@odata.type': '#microsoft.graph.directoryRole',
              id: 'r1',
              displayName: 'User Administrator',
              roleTemplateId: 'fe93',
            },
            { '@odata.type': '#microsoft.graph.group', id: 'g1', displayName: 'Helpdesk' },
            { '@odata.type': '#microsoft.graph.administrativeUnit', id: 'au1' },
          ],
        },
        licenses: { value: [{ id: 'l1', skuId: 's1', skuPartNumber: 'E5', servicePlans: [] }] },
      };
      return {
        status: 200,
        body: { responses: inner.map((r) => ({ id: r.id, status: 200, headers: {}, body: bodies[r.id] })) },
      };
    });
    const profile = await readUserProfile(client, { kind: 'upn', upn: upn('bob@contoso.com') });
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]?.url, '/v1.0/$batch');
    assert.deepEqual(
      (server.requests[0]?.json as { requests: { url: string }[] }).requests.map((r) => r.url.split('?')[0]),
      ['/users/bob%40contoso.com', '/users/bob%40contoso.com/memberOf', '/users/bob%40contoso.com/licenseDetails'],
    );
    assert.equal(profile.user.id, 'u1');
    assert.deepEqual(
      profile.directoryRoles.map((r) => r.displayName),
      ['User Administrator'],
    );
    assert.deepEqual(profile.groups, [{ id: 'g1', displayName: 'Helpdesk' }]);
    assert.equal(profile.licenses[0]?.skuPartNumber, 'E5');
  });

  it('raises user_not_found when the profile batch says 404 for the user', async () => {
    server.script((req: RecordedRequest) => ({
      status: 200,
      body: {
        responses: (req.json as { requests: { id: string }[] }).requests.map((r) => ({
          id: r.id,
          status: 404,
          headers: { 'Content-Type': 'application/json' },
          body: { error: { code: 'Request_ResourceNotFound', innerError: { 'request-id': 'nf' } } },
        })),
      },
    }));
    await assert.rejects(readUserProfile(client, { kind: 'upn', upn: upn('ghost@contoso.com') }), (err: unknown) => {
      return isCodedError(err, 'user_not_found') && err.details.requestId === 'nf';
    });
  });

  it('checkMemberGroups posts the ids for a non-GUID demo id and is retried after 503', async () => {
    server.script({ status: 503 }, { status: 200, body: { value: ['g2'] } });
    const found = await checkMemberGroups(client, '00000000-0000-0000-0000-0000000000020', ['g1', 'g2']);
    assert.deepEqual(found, ['g2']);
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1]?.url, '/v1.0/users/00000000-0000-0000-0000-0000000000020/checkMemberGroups');
    assert.deepEqual(server.requests[1]?.json, { groupIds: ['g1', 'g2'] });
  });

  it('reads the organization with its verified domains', async () => {
    server.script({
      status: 200,
      body: {
        value: [{ id: 't1', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] }],
      },
    });
    const org = await getOrganization(client);
    assert.equal(org.verifiedDomains[0]?.name, 'contoso.com');
  });
});
