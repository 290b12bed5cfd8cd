// The Graph calls the undo actions make (restore-grant, restore-app-role, restore-method): each create goes to the
// path Graph documents with exactly the before-state's fields, as a declared write (interactive, least privilege),
// and the grant read-back asks only for the user's own grants.
import assert from 'node:assert/strict';
import { createGraphPersistence } from '../../../../services/approvals/graph-persistence';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
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
    limits: {} as GraphClient['limits'],
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
});
