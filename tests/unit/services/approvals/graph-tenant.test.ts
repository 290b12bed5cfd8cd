import assert from 'node:assert/strict';
import { createGraphTenant } from '../../../../services/approvals/graph-tenant';
import type { RetryNote } from '../../../../services/approvals/types';
import { CodedError, isCodedError } from '../../../../services/errors';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const USER = '6e7b768e-07e2-4810-8459-485f84f8f204';
const BASE = `/users/${USER}`;

/** A GraphClient that records every request and answers from `answer` (a thrown error is Graph's failure). */
function recordingClient(answer: (spec: GraphRequestSpec) => unknown) {
  const requests: GraphRequestSpec[] = [];
  const client: GraphClient = {
    request: (spec) => {
      requests.push(spec);
      try {
        const body = answer(spec);
        const res: GraphResponse = { status: 200, headers: { 'request-id': `rid-${requests.length}` }, body };
        return Promise.resolve(res);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
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

const rule = (isEnabled: boolean) => ({ id: 'r1', displayName: 'fwd', isEnabled, actions: { forwardTo: [] } });

describe('approvals/graph-tenant: the writes the approval flow makes, exactly as Graph documents them', () => {
  it('revoke, enable/disable, rule toggle and method delete: method, path, body, interactive priority, request id', async () => {
    const { client, requests } = recordingClient(() => ({}));
    const tenant = createGraphTenant(client, {});
    assert.deepEqual(await tenant.revokeSessions(USER), { requestId: 'rid-1' });
    await tenant.setAccountEnabled(USER, false);
    await tenant.setRuleEnabled(USER, 'r/1', false);
    await tenant.deleteMethod(USER, 'phoneMethods', 'm 1');
    const seen = requests.map(({ method, path, body, priority, permission }) => ({
      method,
      path,
      body,
      priority,
      permission,
    }));
    assert.deepEqual(seen, [
      {
        method: 'POST',
        path: `${BASE}/revokeSignInSessions`,
        body: undefined,
        priority: 'interactive',
        permission: undefined,
      },
      {
        method: 'PATCH',
        path: BASE,
        body: { accountEnabled: false },
        priority: 'interactive',
        permission: 'User.EnableDisableAccount.All',
      },
      {
        method: 'PATCH',
        path: `${BASE}/mailFolders/inbox/messageRules/r%2F1`,
        body: { isEnabled: false },
        priority: 'interactive',
        permission: undefined,
      },
      {
        method: 'DELETE',
        path: `${BASE}/authentication/phoneMethods/m%201`,
        body: undefined,
        priority: 'interactive',
        permission: undefined,
      },
    ]);
  });

  it('a password reset forces a change at next sign-in and names its permission for a 403', async () => {
    const { client, requests } = recordingClient(() => ({}));
    await createGraphTenant(client, {}).setPassword(USER, 'Temp-Pass-1!');
    assert.deepEqual(requests[0]?.body, {
      passwordProfile: { password: 'Temp-Pass-1!', forceChangePasswordNextSignIn: true },
    });
    assert.equal(requests[0]?.method, 'PATCH');
    assert.equal(requests[0]?.path, BASE);
    assert.equal(requests[0]?.permission, 'User-PasswordProfile.ReadWrite.All');
  });

  it('a TAP is usable once for 60 minutes; the pass and its lifetime come from the answer', async () => {
    const { client, requests } = recordingClient(() => ({ temporaryAccessPass: 'TAP-1', lifetimeInMinutes: 30 }));
    const tenant = createGraphTenant(client, {});
    assert.deepEqual(await tenant.createTap(USER), { requestId: 'rid-1', pass: 'TAP-1', lifetimeInMinutes: 30 });
    assert.deepEqual(
      { method: requests[0]?.method, path: requests[0]?.path, body: requests[0]?.body },
      {
        method: 'POST',
        path: `${BASE}/authentication/temporaryAccessPassMethods`,
        body: { isUsableOnce: true, lifetimeInMinutes: 60 },
      },
    );
    const noLifetime = createGraphTenant(recordingClient(() => ({ temporaryAccessPass: 'TAP-2' })).client, {});
    assert.equal((await noLifetime.createTap(USER)).lifetimeInMinutes, 60);
  });

  it('a TAP answer without the pass is an unexpected response carrying the request id', async () => {
    const tenant = createGraphTenant(recordingClient(() => ({ id: 'x' })).client, {});
    await assert.rejects(
      tenant.createTap(USER),
      (e: unknown) => isCodedError(e, 'unexpected_response') && e.details.requestId === 'rid-1',
    );
  });

  it('getRule reads that rule; a 404 (either mapping) is null; a malformed rule or another error is thrown', async () => {
    const { client, requests } = recordingClient(() => rule(false));
    assert.equal((await createGraphTenant(client, {}).getRule(USER, 'r1'))?.isEnabled, false);
    assert.equal(requests[0]?.path, `${BASE}/mailFolders/inbox/messageRules/r1`);
    for (const code of ['graph_not_found', 'user_not_found'] as const) {
      const gone = recordingClient(() => {
        throw new CodedError(code, '404');
      });
      assert.equal(await createGraphTenant(gone.client, {}).getRule(USER, 'r1'), null);
    }
    const forbidden = recordingClient(() => {
      throw new CodedError('graph_forbidden', '403');
    });
    await assert.rejects(createGraphTenant(forbidden.client, {}).getRule(USER, 'r1'), (e: unknown) =>
      isCodedError(e, 'graph_forbidden'),
    );
    const plain = recordingClient(() => {
      throw new Error('socket hang up');
    });
    await assert.rejects(createGraphTenant(plain.client, {}).getRule(USER, 'r1'), /socket hang up/);
    const malformed = recordingClient(() => ({ id: 7, isEnabled: 'yes' }));
    await assert.rejects(createGraphTenant(malformed.client, {}).getRule(USER, 'r1'), (e: unknown) =>
      isCodedError(e, 'unexpected_response'),
    );
  });

  it('listMethods, listRules and getRule are the reads declared in endpoints.ts: their permission and throttling class go along', async () => {
    const { client, requests } = recordingClient((spec) =>
      spec.path.includes('/messageRules/') ? rule(true) : { value: [] },
    );
    const tenant = createGraphTenant(client, {});
    await tenant.listMethods(USER);
    await tenant.listRules(USER);
    await tenant.getRule(USER, 'r1');
    assert.deepEqual(
      requests.map(({ method, permission, throttleClass }) => ({ method, permission, throttleClass })),
      [
        { method: 'GET', permission: 'UserAuthenticationMethod.Read.All', throttleClass: 'identity' },
        { method: 'GET', permission: 'MailboxSettings.Read', throttleClass: 'outlook' },
        { method: 'GET', permission: 'MailboxSettings.Read', throttleClass: 'outlook' },
      ],
    );
  });

  it('listMethods maps each kind to its type segment and OData type, with its creation time when Graph gives one', async () => {
    const { client, requests } = recordingClient(() => ({
      value: [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: 'pw', createdDateTime: null },
        {
          '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
          id: 'tap',
          createdDateTime: '2026-11-22T12:00:00Z',
        },
        {
          '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
          id: 'ph',
          phoneNumber: '+1 555',
          phoneType: 'mobile',
        },
        { '@odata.type': '#microsoft.graph.emailAuthenticationMethod', id: 'em', emailAddress: 'a@b.example' },
        { '@odata.type': '#microsoft.graph.someFutureAuthenticationMethod', id: 'new' },
      ],
    }));
    const methods = await createGraphTenant(client, {}).listMethods(USER);
    assert.equal(requests[0]?.path.split('?')[0], `${BASE}/authentication/methods`);
    assert.equal(requests[0]?.priority, 'interactive');
    assert.deepEqual(methods, [
      {
        id: 'pw',
        typeSegment: null,
        odataType: '#microsoft.graph.passwordAuthenticationMethod',
        createdDateTime: null,
      },
      {
        id: 'tap',
        typeSegment: 'temporaryAccessPassMethods',
        odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
        createdDateTime: '2026-11-22T12:00:00Z',
      },
      {
        id: 'ph',
        typeSegment: 'phoneMethods',
        odataType: '#microsoft.graph.phoneAuthenticationMethod',
        createdDateTime: null,
        // What restore-method needs to register the phone again.
        phoneNumber: '+1 555',
        phoneType: 'mobile',
      },
      {
        id: 'em',
        typeSegment: 'emailMethods',
        odataType: '#microsoft.graph.emailAuthenticationMethod',
        createdDateTime: null,
        emailAddress: 'a@b.example',
      },
      {
        id: 'new',
        typeSegment: null,
        odataType: '#microsoft.graph.someFutureAuthenticationMethod',
        createdDateTime: null,
      },
    ]);
  });

  it('withRetryObserver tells the observer of every retry of every request (requests without their own observer too)', async () => {
    const notes: Omit<RetryNote, 'step'>[] = [];
    const { client } = recordingClient(() => ({}));
    const retrying: GraphClient = {
      ...client,
      request: (spec, budget) => {
        spec.onRetry?.({ method: spec.method, resource: spec.path, reason: 'throttled', status: 429, waitMs: 3000 });
        return client.request(spec, budget);
      },
    };
    const tenant = createGraphTenant(retrying, {}).withRetryObserver?.((note) => notes.push(note));
    assert.ok(tenant);
    await tenant.revokeSessions(USER);
    await tenant.setAccountEnabled(USER, true);
    assert.deepEqual(notes, [
      { reason: 'throttled', status: 429, waitMs: 3000 },
      { reason: 'throttled', status: 429, waitMs: 3000 },
    ]);
    const direct = createGraphTenant(retrying, {});
    await direct.revokeSessions(USER);
    assert.equal(notes.length, 2, 'a tenant without an observer reports to nobody');
  });

  it('readTarget refuses something that is neither a UPN nor an object id, before any Graph call', async () => {
    const { client, requests } = recordingClient(() => ({}));
    await assert.rejects(createGraphTenant(client, {}).readTarget('not a user'), (e: unknown) =>
      isCodedError(e, 'internal'),
    );
    assert.deepEqual(requests, []);
  });
});
