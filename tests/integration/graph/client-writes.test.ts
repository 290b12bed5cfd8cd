import assert from 'node:assert/strict';
import { createGraphClient, type RetryEvent } from '../../../services/graph/client';
import { isCodedError } from '../../../services/errors';
import { startFaultServer, type FaultServer } from '../../fakes/graph-fault-server';
import { startOpenIdServer, type OpenIdServer } from '../../support/openid-server';
import { createManualClock, createRecordingClock } from '../../unit/services/graph/recording-clock';

const TOKEN = 'test-token-not-a-secret';
const ok = { status: 200, body: { id: 'u1' } };

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isCodedError(err), String(err));
    return { code: err.code, details: err.details };
  }
  assert.fail('expected a coded error');
}

// reliability-security.md §8 rows 26, 28 (the client half: a write is never replayed) and 31 (401 → one refresh).
describe('graph client: writes are never replayed; 401 refreshes the token once', () => {
  let server: FaultServer;
  afterEach(() => server.close());

  it('row 28: a 429 on a write is an unknown outcome carrying the Retry-After; the class pauses; no replay', async () => {
    server = await startFaultServer();
    const clock = createManualClock();
    const client = createGraphClient({ baseUrl: server.url, credential: { kind: 'static', token: TOKEN }, clock });
    const events: RetryEvent[] = [];
    server.script({ status: 429, headers: { 'Retry-After': '3' } }, ok, ok);
    const { code, details } = await codeOf(
      client.request({ method: 'POST', path: '/users/u1/revokeSignInSessions', onRetry: (e) => events.push(e) }),
    );
    assert.equal(code, 'graph_outcome_unknown');
    assert.equal(details.retryAfterMs, 3000);
    assert.equal(server.requests.length, 1, 'the write was not replayed');
    // A read of the same class waits out the Retry-After the write received.
    const read = client.request({ method: 'GET', path: '/users/u1' });
    await clock.advance(2_999);
    assert.equal(server.requests.length, 1);
    await clock.advance(1);
    await read;
    assert.equal(server.requests.length, 2);
    assert.deepEqual(events, [], 'nothing was retried for the write');
  });

  it('row 27: a 503 on a write is an unknown outcome with its Retry-After; reads retry and report each retry', async () => {
    server = await startFaultServer();
    const clock = createRecordingClock();
    const client = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock,
      random: () => 0.5,
    });
    server.script({ status: 503, headers: { 'Retry-After': '2' } }, { status: 503 }, ok);
    const { code, details } = await codeOf(
      client.request({ method: 'PATCH', path: '/users/u1', body: { accountEnabled: false } }),
    );
    assert.equal(code, 'graph_outcome_unknown');
    assert.equal(details.retryAfterMs, 2000);
    const events: RetryEvent[] = [];
    await client.request({ method: 'GET', path: '/users/u1', onRetry: (e) => events.push(e) });
    assert.deepEqual(
      events.map((e) => [e.reason, e.status, e.resource]),
      [['unavailable', 503, '/users/{id}']],
    );
  });

  it('row 31: a 401 with a static token is retried once, then graph_unauthorized (no loop)', async () => {
    server = await startFaultServer();
    const client = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock: createRecordingClock(),
    });
    server.script({ status: 401 }, ok, { status: 401 }, { status: 401 }, ok);
    const events: RetryEvent[] = [];
    assert.equal(
      (await client.request({ method: 'GET', path: '/users/u1', onRetry: (e) => events.push(e) })).status,
      200,
    );
    assert.deepEqual(
      events.map((e) => e.reason),
      ['unauthorized'],
    );
    const { code } = await codeOf(client.request({ method: 'POST', path: '/users/u1/revokeSignInSessions' }));
    assert.equal(code, 'graph_unauthorized');
    assert.equal(server.requests.length, 4, 'one retry per request, never more');
  });

  describe('with a real client credential (local token endpoint)', () => {
    let openid: OpenIdServer;
    afterEach(() => openid.close());

    it('row 31: a 401 (rotated credential) drops the cached token, fetches a new one and retries once', async () => {
      openid = await startOpenIdServer();
      openid.nextAccessTokens.push('old-token');
      server = await startFaultServer();
      server.script(
        (req) => (req.headers.authorization === 'Bearer old-token' ? { status: 401 } : { status: 500 }),
        (req) => (req.headers.authorization === `Bearer ${openid.accessToken}` ? { status: 204 } : { status: 401 }),
        (req) => (req.headers.authorization === `Bearer ${openid.accessToken}` ? ok : { status: 401 }),
      );
      const client = createGraphClient({
        baseUrl: server.url,
        credential: {
          kind: 'clientSecret',
          tenantId: 'tenant',
          clientId: '11111111-2222-4333-8444-777777777777',
          clientSecret: 'graph-client-secret-Xy7',
          authorityHost: openid.origin,
        },
        clock: createRecordingClock(),
      });
      const res = await client.request({ method: 'PATCH', path: '/users/u1', body: { accountEnabled: false } });
      assert.equal(res.status, 204);
      assert.equal(openid.tokenRequests.length, 2, 'the token was fetched again after the 401');
      // The fresh token is cached again: the next call needs no token request.
      await client.request({ method: 'GET', path: '/users/u1' });
      assert.equal(openid.tokenRequests.length, 2);
      assert.equal(server.requests.length, 3);
    });
  });
});
