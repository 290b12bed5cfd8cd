import assert from 'node:assert/strict';
import { batch } from '../../../services/graph/batch';
import type { BatchItem } from '../../../services/graph/batch';
import { createGraphClient } from '../../../services/graph/client';
import type { GraphClient } from '../../../services/graph/client';
import { startFaultServer } from '../../fakes/graph-fault-server';
import type { FaultServer, RecordedRequest, ScriptedResponse } from '../../fakes/graph-fault-server';
import { createRecordingClock } from '../../unit/services/graph/recording-clock';
import type { RecordingClock } from '../../unit/services/graph/recording-clock';

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  dependsOn?: string[];
}

function innerRequests(req: RecordedRequest | undefined): InnerRequest[] {
  return (req?.json as { requests: InnerRequest[] }).requests;
}

/** Answer every inner request 200 unless `statusFor` says otherwise; replies reversed (out of order) with lower-case headers. */
type Override = { status: number; headers?: Record<string, string> } | undefined;

function batchReply(statusFor: (id: string) => Override = () => undefined) {
  return (req: RecordedRequest): ScriptedResponse => ({
    status: 200,
    body: {
      responses: innerRequests(req)
        .map((r) => {
          const override = statusFor(r.id);
          return {
            id: r.id,
            status: override?.status ?? 200,
            headers: { 'content-type': 'application/json', ...override?.headers },
            body: override
              ? { error: { code: 'x', innerError: { 'request-id': `rid-${r.id}` } } }
              : { id: r.id, value: [] },
          };
        })
        .reverse(),
    },
  });
}

describe('$batch helper against the fault server', () => {
  let server: FaultServer;
  let clock: RecordingClock;
  let client: GraphClient;

  beforeEach(async () => {
    server = await startFaultServer();
    clock = createRecordingClock();
    client = createGraphClient({ baseUrl: server.url, credential: { kind: 'static', token: 't' }, clock });
  });
  afterEach(() => server.close());

  const reads = (n: number): BatchItem[] =>
    Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: 'GET' as const, url: `/users/u${i + 1}` }));

  it('retries only the throttled item, after its Retry-After, in a batch of its own', async () => {
    server.script(
      batchReply((id) => (id === '2' ? { status: 429, headers: { 'retry-after': '5' } } : undefined)),
      batchReply(),
    );
    const results = await batch(client, reads(3));
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      innerRequests(server.requests[0]).map((r) => r.id),
      ['1', '2', '3'],
    );
    assert.deepEqual(
      innerRequests(server.requests[1]).map((r) => r.id),
      ['2'],
    );
    assert.deepEqual(clock.waits, [5000]);
    assert.deepEqual(
      [...results.values()].map((r) => r.status),
      [200, 200, 200],
    );
    assert.equal(server.requests[0]?.url, '/v1.0/$batch');
    assert.equal(innerRequests(server.requests[0])[0]?.url, '/users/u1');
  });

  it('waits for the longest Retry-After among throttled items', async () => {
    server.script(
      batchReply((id): Override =>
        id === '1'
          ? { status: 429, headers: { 'Retry-After': '2' } }
          : id === '3'
            ? { status: 429, headers: { 'RETRY-AFTER': '7.5' } }
            : undefined,
      ),
      batchReply(),
    );
    await batch(client, reads(3));
    assert.deepEqual(
      innerRequests(server.requests[1]).map((r) => r.id),
      ['1', '3'],
    );
    assert.deepEqual(clock.waits, [7500]);
  });

  it('retries a 424 whose dependency is retried, and keeps the dependsOn', async () => {
    const items: BatchItem[] = [
      { id: 'a', method: 'GET', url: '/users/a' },
      { id: 'b', method: 'GET', url: '/users/a/memberOf', dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: '/users/c' },
    ];
    server.script(
      batchReply((id) => (id === 'a' ? { status: 503 } : id === 'b' ? { status: 424 } : undefined)),
      batchReply(),
    );
    const results = await batch(client, items);
    const second = innerRequests(server.requests[1]);
    assert.deepEqual(
      second.map((r) => r.id),
      ['a', 'b'],
    );
    assert.deepEqual(second[1]?.dependsOn, ['a']);
    assert.equal(results.get('b')?.status, 200);
  });

  it('leaves a 424 final when its dependency failed for good', async () => {
    const items: BatchItem[] = [
      { id: 'a', method: 'GET', url: '/users/a' },
      { id: 'b', method: 'GET', url: '/users/a/memberOf', dependsOn: ['a'] },
    ];
    server.script(batchReply((id) => (id === 'a' ? { status: 404 } : id === 'b' ? { status: 424 } : undefined)));
    const results = await batch(client, items);
    assert.equal(server.requests.length, 1);
    assert.equal(results.get('a')?.status, 404);
    assert.equal(results.get('b')?.status, 424);
  });

  it('splits 45 requests into batches of 20, 20 and 5', async () => {
    server.script(batchReply(), batchReply(), batchReply());
    const results = await batch(client, reads(45));
    assert.deepEqual(
      server.requests.map((r) => innerRequests(r).length).sort((a, b) => b - a),
      [20, 20, 5],
    );
    assert.equal(results.size, 45);
  });

  it('keeps reports items within the 5-per-window budget per batch', async () => {
    const items: BatchItem[] = Array.from({ length: 7 }, (_, i) => ({
      id: `r${i}`,
      method: 'GET' as const,
      url: `/auditLogs/directoryAudits?$top=${i + 1}`,
    }));
    server.script(batchReply(), batchReply());
    await batch(client, items);
    assert.deepEqual(server.requests.map((r) => innerRequests(r).length).sort(), [2, 5]);
    assert.ok(
      clock.waits.some((w) => w > 9000),
      `the second batch waited for the window: ${clock.waits.join(',')}`,
    );
  });

  it('does not retry a write answered 503 inside a batch', async () => {
    server.script(batchReply((id) => (id === 'w' ? { status: 503 } : undefined)));
    const results = await batch(client, [{ id: 'w', method: 'POST', url: '/users/u1/revokeSignInSessions', body: {} }]);
    assert.equal(server.requests.length, 1);
    assert.equal(results.get('w')?.status, 503);
    const inner = innerRequests(server.requests[0])[0] as InnerRequest & { headers?: Record<string, string> };
    assert.equal(inner.headers?.['Content-Type'], 'application/json');
  });
});
