import assert from 'node:assert/strict';
import { createGraphClient } from '../../../services/graph/client';
import type { GraphClient } from '../../../services/graph/client';
import { isCodedError } from '../../../services/errors';
import { startFaultServer } from '../../fakes/graph-fault-server';
import type { FaultServer } from '../../fakes/graph-fault-server';
import { createManualClock, createRecordingClock } from '../../unit/services/graph/recording-clock';
import type { RecordingClock } from '../../unit/services/graph/recording-clock';

const TOKEN = 'test-token-not-a-secret';
const ok = { status: 200, body: { id: 'u1', userPrincipalName: 'a@contoso.com' } };
const unavailable = (requestId: string) => ({
  status: 503,
  body: { error: { code: 'serviceNotAvailable', message: 'down', innerError: { 'request-id': requestId } } },
});

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isCodedError(err), `expected a CodedError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return { ...err.details, message: err.message };
  }
  assert.fail(`expected ${code}`);
}

/** Resolves once `done()` holds, checking after each turn of the event loop (fails after 2,000 turns). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !done(); i++) await new Promise<void>((resolve) => setTimeout(resolve, 5));
  assert.ok(done(), `never happened: ${what}`);
}

describe('graph client against the fault server', () => {
  let server: FaultServer;
  let clock: RecordingClock;
  let client: GraphClient;

  beforeEach(async () => {
    server = await startFaultServer();
    clock = createRecordingClock();
    client = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock,
      random: () => 0.5,
    });
  });
  afterEach(() => server.close());

  it('waits out a fractional Retry-After (2.5 s) and retries once', async () => {
    server.script({ status: 429, headers: { 'Retry-After': '2.5' }, body: { error: { code: 'TooManyRequests' } } }, ok);
    const res = await client.request({ method: 'GET', path: '/users/u1' });
    assert.equal(res.status, 200);
    assert.deepEqual(clock.waits, [2500]);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /v1.0/users/u1', 'GET /v1.0/users/u1'],
    );
  });

  it('honours an HTTP-date Retry-After', async () => {
    const at = new Date(clock.now() + 7000).toUTCString();
    server.script({ status: 429, headers: { 'Retry-After': at } }, ok);
    await client.request({ method: 'GET', path: '/users/u1' });
    assert.deepEqual(clock.waits, [7000]);
  });

  it('retries a read after 503 three times and succeeds on the fourth', async () => {
    server.script(unavailable('r1'), unavailable('r2'), unavailable('r3'), ok);
    const res = await client.request({ method: 'GET', path: '/users/u1' });
    assert.equal(res.status, 200);
    assert.equal(server.requests.length, 4);
    assert.equal(clock.waits.length, 3);
  });

  it('gives up after the fourth 503 with graph_unavailable carrying the request-id', async () => {
    server.script(unavailable('r1'), unavailable('r2'), unavailable('r3'), unavailable('req-4th'), ok);
    const details = await rejectsWith(client.request({ method: 'GET', path: '/users/u1' }), 'graph_unavailable');
    assert.equal(details.requestId, 'req-4th');
    assert.equal(server.requests.length, 4);
    assert.ok(!JSON.stringify(details).includes(TOKEN));
  });

  it('takes the request-id from the response header when the body has none', async () => {
    server.script({ status: 400, headers: { 'request-id': 'hdr-1' }, body: 'bad' });
    const details = await rejectsWith(client.request({ method: 'GET', path: '/users/u1' }), 'graph_bad_request');
    assert.equal(details.requestId, 'hdr-1');
  });

  it('does not replay a write after 504: one request, graph_outcome_unknown', async () => {
    server.script(
      { status: 504, body: { error: { code: 'GatewayTimeout', innerError: { 'request-id': 'w1' } } } },
      { status: 204 },
    );
    const details = await rejectsWith(
      client.request({ method: 'POST', path: '/users/u1/revokeSignInSessions' }),
      'graph_outcome_unknown',
    );
    assert.equal(server.requests.length, 1);
    assert.equal(details.requestId, 'w1');
  });

  it('does not replay a write that timed out', async () => {
    const slow = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock,
      requestTimeoutMs: 100,
    });
    server.script({ status: 204, delayMs: 400 }, { status: 204 });
    const details = await rejectsWith(
      slow.request({ method: 'PATCH', path: '/users/u1', body: { accountEnabled: false } }),
      'graph_outcome_unknown',
    );
    assert.equal(details.reason, 'timeout');
    assert.equal(server.requests.length, 1);
  });

  it('retries a read-only POST (checkMemberGroups) after 503', async () => {
    server.script(unavailable('x'), { status: 200, body: { value: [] } });
    await client.request({
      method: 'POST',
      path: '/users/u1/checkMemberGroups',
      body: { groupIds: ['g'] },
      readOnly: true,
    });
    assert.equal(server.requests.length, 2);
  });

  it('backs off with growing waits on identity-protection 429s without Retry-After', async () => {
    // No window margin, so every recorded wait is a backoff (the 1 s class window never adds one).
    const jittery = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock,
      limits: { windowMarginMs: 0 },
    });
    server.script(
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 200, body: { value: [] } },
    );
    await jittery.request({ method: 'GET', path: '/identityProtection/riskyUsers' });
    assert.equal(server.requests.length, 5);
    const waits = clock.waits.filter((w) => w > 0);
    assert.equal(waits.length, 4, `waits: ${waits.join(',')}`);
    for (let i = 1; i < waits.length; i += 1)
      assert.ok((waits[i] ?? 0) > (waits[i - 1] ?? 0), `waits grow: ${waits.join(',')}`);
    assert.ok((waits[0] ?? 0) >= 1000, 'first wait respects the 1 request/s class limit');
  });

  it('caps backoff and gives up with graph_throttled after the bound', async () => {
    const capped = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock,
      random: () => 0.999,
      limits: { maxThrottleRetries: 8, backoffBaseMs: 1000, backoffMaxMs: 4000 },
    });
    for (let i = 0; i < 9; i += 1) server.script({ status: 429 });
    await rejectsWith(capped.request({ method: 'GET', path: '/identityProtection/riskyUsers' }), 'graph_throttled');
    assert.equal(server.requests.length, 9);
    assert.ok(Math.max(...clock.waits) <= 4000, `capped: ${clock.waits.join(',')}`);
  });

  // Waits for what the client has done (requests at the server, sleeps on the manual clock), not for a fixed time: on a
  // loaded machine a request may take longer than any fixed pause to reach the server.
  it('pauses the whole class while a Retry-After is in force', async () => {
    const manual = createManualClock();
    const paused = createGraphClient({
      baseUrl: server.url,
      credential: { kind: 'static', token: TOKEN },
      clock: manual,
    });
    server.script({ status: 429, headers: { 'Retry-After': '3' } }, ok, ok);
    const first = paused.request({ method: 'GET', path: '/users/u1' });
    await until(() => server.requests.length === 1 && manual.sleepers > 0, 'the 429 is in and its wait begun');
    const second = paused.request({ method: 'GET', path: '/users/u2' });
    await manual.advance(2999);
    assert.ok(manual.sleepers > 0, 'nothing is due before the Retry-After ends');
    assert.equal(server.requests.length, 1, 'a sibling in the same class waits for the Retry-After');
    await manual.advance(1);
    await Promise.all([first, second]);
    assert.equal(server.requests.length, 3);
  });

  it('maps 403 to graph_forbidden naming the permission', async () => {
    server.script({
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', innerError: { 'request-id': 'f1' } } },
    });
    const details = await rejectsWith(
      client.request({ method: 'GET', path: '/auditLogs/directoryAudits' }),
      'graph_forbidden',
    );
    assert.equal(details.permission, 'AuditLog.Read.All + Directory.Read.All');
    assert.match(String(details.message), /AuditLog\.Read\.All/);
    assert.equal(details.requestId, 'f1');
  });

  it('maps 401 to graph_unauthorized and 404 on a user path to user_not_found', async () => {
    // A 401 is retried once with a fresh token (row 31), so a persistent one takes two answers.
    server.script(
      { status: 401 },
      { status: 401 },
      { status: 404, body: { error: { code: 'Request_ResourceNotFound' } } },
    );
    await rejectsWith(client.request({ method: 'GET', path: '/users/u1' }), 'graph_unauthorized');
    const details = await rejectsWith(
      client.request({ method: 'GET', path: '/users/bob%40contoso.com' }),
      'user_not_found',
    );
    assert.equal(details.resource, '/users/{id}');
    assert.ok(!String(details.message).includes('bob'));
  });

  it('sends the bearer token to a loopback http base URL and refuses other http roots', async () => {
    server.script(ok);
    await client.request({ method: 'GET', path: '/users/u1' });
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
    assert.throws(
      () => createGraphClient({ baseUrl: 'http://graph.example.com', credential: { kind: 'static', token: TOKEN } }),
      (err: unknown) => isCodedError(err, 'config_invalid'),
    );
  });
});
