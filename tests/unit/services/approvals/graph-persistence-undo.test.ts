// The Graph calls the undo actions make (restore-grant, restore-app-role, restore-method): each create goes to the
// path Graph documents with exactly the before-state's fields, as a declared write (interactive, least privilege),
// and the grant read-back asks only for the user's own grants.
import assert from 'node:assert/strict';
import { createGraphPersistence } from '../../../../services/approvals/graph-persistence';
import { CodedError, isCodedError } from '../../../../services/errors';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
import { resolveLimits } from '../../../../services/graph/limits';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const USER = '6e7b768e-07e2-4810-8459-485f84f8f204';

function recordingClient(answer: (spec: GraphRequestSpec) => unknown) {
  const requests: GraphRequestSpec[] = [];
  const client: GraphClient = {
    request: (spec) => {
      requests.push(spec);
      const res: GraphResponse = {
        status: 201,
        headers: { 'request-id': `rid-${requests.length}` },
        body: answer(spec),
      };
      return Promise.resolve(res);
    },
    scheduler: () => {
      throw new Error('not used');
    },
    baseUrl: 'https://graph.example.test/v1.0',
    clock: new ManualClock(),
    logger: createRecordingLogger(),
    limits: resolveLimits(),
  };
  return { client, requests };
}

describe('approvals/graph-persistence: the undo writes, exactly as Graph documents them', () => {
  it('re-creates a grant, an app role assignment, a phone and an email method: POST, path, body, request id', async () => {
    const { client, requests } = recordingClient(() => ({}));
    const graph = createGraphPersistence(client);
    const grant = { clientId: 'c1', principalId: USER, resourceId: 'r1', scope: 'Mail.Read offline_access' };
    assert.deepEqual(await graph.createGrant({ ...grant, consentType: null }), { requestId: 'rid-1' });
    await graph.createGrant({ ...grant, consentType: 'AllPrincipals' });
    assert.deepEqual(
      await graph.createAppRoleAssignment(USER, { principalId: USER, resourceId: 'r2', appRoleId: 'ar' }),
      {
        requestId: 'rid-3',
      },
    );
    await graph.createPhoneMethod(USER, { phoneNumber: '+1 5555551234', phoneType: 'mobile' });
    await graph.createEmailMethod(USER, 'a@b.example');
    assert.deepEqual(
      requests.map(({ method, path, body, priority }) => ({ method, path, body, priority })),
      [
        {
          method: 'POST',
          path: '/oauth2PermissionGrants',
          body: { ...grant, consentType: 'Principal' },
          priority: 'interactive',
        },
        {
          method: 'POST',
          path: '/oauth2PermissionGrants',
          body: { ...grant, consentType: 'AllPrincipals' },
          priority: 'interactive',
        },
        {
          method: 'POST',
          path: `/users/${USER}/appRoleAssignments`,
          body: { principalId: USER, resourceId: 'r2', appRoleId: 'ar' },
          priority: 'interactive',
        },
        {
          method: 'POST',
          path: `/users/${USER}/authentication/phoneMethods`,
          body: { phoneNumber: '+1 5555551234', phoneType: 'mobile' },
          priority: 'interactive',
        },
        {
          method: 'POST',
          path: `/users/${USER}/authentication/emailMethods`,
          body: { emailAddress: 'a@b.example' },
          priority: 'interactive',
        },
      ],
    );
    // Each is a declared write: a permission and a throttling class, never an ad-hoc request.
    for (const r of requests) {
      assert.ok(r.permission, r.path);
      assert.ok(r.throttleClass, r.path);
    }
  });

  it("lists only the user's own grants (principalId filter); a grant without scope reads as an empty scope", async () => {
    const { client, requests } = recordingClient(() => ({
      value: [
        {
          id: 'g1',
          clientId: 'c1',
          consentType: 'Principal',
          principalId: USER,
          resourceId: 'r1',
          scope: ' Mail.Read ',
        },
        { id: 'g2', clientId: 'c2', consentType: 'Principal', principalId: USER, resourceId: 'r1', scope: null },
      ],
    }));
    const grants = await createGraphPersistence(client).listUserGrants(USER);
    assert.deepEqual(grants, [
      { id: 'g1', clientId: 'c1', consentType: 'Principal', principalId: USER, resourceId: 'r1', scope: ' Mail.Read ' },
      { id: 'g2', clientId: 'c2', consentType: 'Principal', principalId: USER, resourceId: 'r1', scope: '' },
    ]);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.method, 'GET');
    assert.match(
      decodeURIComponent(requests[0]?.path ?? ''),
      new RegExp(`^/oauth2PermissionGrants\\?.*principalId eq '${USER}'`),
    );
    assert.equal(requests[0]?.priority, 'interactive');
  });

  it('the removals and their reads: paths escaped, bodies as Graph documents, a 404 read as gone, key certificates kept', async () => {
    const APP = {
      id: 'app 1',
      displayName: 'Owned',
      passwordCredentials: [{ keyId: 'k1', displayName: 'ci', startDateTime: null, endDateTime: null, hint: 'ab' }],
      keyCredentials: [
        {
          keyId: 'c1',
          displayName: 'CN=a',
          startDateTime: null,
          endDateTime: null,
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
          customKeyIdentifier: 'AA',
        },
      ],
    };
    const DEVICE = { id: 'd1', deviceId: 'dev-1', displayName: 'PC', accountEnabled: true, operatingSystem: 'Windows' };
    const { client, requests } = recordingClient((spec) => {
      const path = decodeURIComponent(spec.path);
      if (spec.method !== 'GET') return {};
      if (path.startsWith('/oauth2PermissionGrants/gone')) throw new CodedError('graph_not_found', '404', {});
      if (path.startsWith('/oauth2PermissionGrants/'))
        return { id: 'g1', clientId: 'c1', consentType: 'Principal', principalId: USER, resourceId: 'r1', scope: null };
      if (path.includes('/appRoleAssignments'))
        return {
          value: [{ id: 'a1', principalId: null, resourceId: 'r1', appRoleId: null, resourceDisplayName: 'X' }],
        };
      if (
        path.includes('/ownedObjects') ||
        path.includes('ownedApplications') ||
        path.includes('microsoft.graph.application')
      )
        return { value: [{ id: 'app1' }, { id: 'app2' }] };
      if (path.startsWith('/devices/gone')) throw new CodedError('graph_not_found', '404', {});
      if (path.startsWith('/devices/')) return DEVICE;
      if (path.startsWith('/applications/')) return APP;
      throw new Error(`unexpected ${spec.method} ${path}`);
    });
    const graph = createGraphPersistence(client);
    assert.deepEqual(await graph.getGrant('g1'), {
      id: 'g1',
      clientId: 'c1',
      consentType: 'Principal',
      principalId: USER,
      resourceId: 'r1',
      scope: '',
    });
    assert.equal(await graph.getGrant('gone'), null);
    assert.deepEqual(await graph.listAppRoleAssignments(USER), [
      { id: 'a1', principalId: '', resourceId: 'r1', appRoleId: '', resourceDisplayName: 'X' },
    ]);
    assert.deepEqual(await graph.getDevice('d1'), DEVICE);
    assert.equal(await graph.getDevice('gone'), null);
    assert.deepEqual(await graph.listOwnedApplications(USER), ['app1', 'app2']);
    assert.deepEqual(await graph.getAppCredentials('app 1'), {
      id: 'app 1',
      displayName: 'Owned',
      passwordCredentials: [{ keyId: 'k1', displayName: 'ci', startDateTime: null, endDateTime: null }],
      keyCredentials: [
        {
          keyId: 'c1',
          displayName: 'CN=a',
          startDateTime: null,
          endDateTime: null,
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
          customKeyIdentifier: 'AA',
        },
      ],
    });
    const reads = requests.length;
    await graph.deleteGrant('g/1');
    await graph.deleteAppRoleAssignment(USER, 'a 1');
    await graph.setDeviceEnabled('d1', false);
    await graph.removeAppPassword('app 1', 'k1');
    const kept = (await graph.getAppCredentials('app 1'))?.keyCredentials ?? [];
    await graph.setAppKeys('app 1', [{ ...kept[0], customKeyIdentifier: undefined } as (typeof kept)[number]]);
    const written = requests.slice(reads).filter((r) => r.method !== 'GET');
    assert.deepEqual(
      written.map(({ method, path, body }) => ({ method, path, body })),
      [
        { method: 'DELETE', path: '/oauth2PermissionGrants/g%2F1', body: undefined },
        { method: 'DELETE', path: `/users/${USER}/appRoleAssignments/a%201`, body: undefined },
        { method: 'PATCH', path: '/devices/d1', body: { accountEnabled: false } },
        { method: 'POST', path: '/applications/app%201/removePassword', body: { keyId: 'k1' } },
        {
          method: 'PATCH',
          path: '/applications/app%201',
          body: {
            keyCredentials: [
              {
                keyId: 'c1',
                type: 'AsymmetricX509Cert',
                usage: 'Verify',
                displayName: 'CN=a',
                startDateTime: null,
                endDateTime: null,
                customKeyIdentifier: null,
                key: null,
              },
            ],
          },
        },
      ],
    );
    for (const r of written) assert.equal(r.priority, 'interactive');
    // A key to keep without its type or usage would be dropped by Graph's PATCH: refused before any write.
    const before = requests.length;
    await assert.rejects(
      graph.setAppKeys('app 1', [{ ...(kept[0] as (typeof kept)[number]), usage: null }]),
      (e: unknown) => isCodedError(e, 'unexpected_response'),
    );
    await assert.rejects(
      graph.setAppKeys('app 1', [{ ...(kept[0] as (typeof kept)[number]), type: null }]),
      (e: unknown) => isCodedError(e, 'unexpected_response'),
    );
    assert.equal(requests.length, before);
  });

  it("the user's devices: registered and owned in one $batch, the rest of a long list followed, devices only, once each", async () => {
    const device = (id: string, extra: Record<string, unknown> = {}) => ({
      '@odata.type': '#microsoft.graph.device',
      id,
      deviceId: `dev-${id}`,
      displayName: id,
      accountEnabled: true,
      operatingSystem: 'Windows',
      ...extra,
    });
    const { client, requests } = recordingClient((spec) => {
      if (spec.path === '/$batch')
        return {
          responses: [
            {
              id: 'registered',
              status: 200,
              headers: {},
              body: {
                value: [device('d1'), { '@odata.type': '#microsoft.graph.printer', id: 'p1' }],
                '@odata.nextLink': `https://graph.example.test/v1.0/users/${USER}/registeredDevices?$skiptoken=2`,
              },
            },
            {
              id: 'owned',
              status: 200,
              headers: {},
              body: { value: [device('d1'), device('d3', { '@odata.type': undefined })] },
            },
          ],
        };
      return { value: [device('d2', { accountEnabled: false, operatingSystem: 'iOS' })] };
    });
    const devices = await createGraphPersistence(client).listUserDevices(USER);
    assert.deepEqual(
      devices.map((d) => [d.id, d.deviceId, d.accountEnabled, d.operatingSystem]),
      [
        ['d1', 'dev-d1', true, 'Windows'],
        ['d2', 'dev-d2', false, 'iOS'],
        ['d3', 'dev-d3', true, 'Windows'],
      ],
    );
    assert.deepEqual(
      requests.map((r) => [r.method, decodeURIComponent(r.path).replace(/^https:\/\/graph\.example\.test\/v1\.0/, '')]),
      [
        ['POST', '/$batch'],
        ['GET', `/users/${USER}/registeredDevices?$skiptoken=2`],
      ],
    );
  });
});
