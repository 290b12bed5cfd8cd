import assert from 'node:assert/strict';
import { request } from 'node:http';
import sinon from 'sinon';
import { combineReadinessChecks, getCorrelationId } from '../../../bot/server';
import { messageActivity, startHarness, type Harness } from './harness';

/** Sends a raw body with node:http so a server that answers before reading everything can be observed. */
function postRaw(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/messages`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer 413 and close while the body is still streaming; the response is what matters.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}

describe('bot HTTP server', () => {
  let h: Harness | undefined;

  beforeEach(() => {
    sinon.stub(console, 'error'); // CloudAdapter console.errors every failed request
  });

  afterEach(async () => {
    sinon.restore();
    await h?.close();
    h = undefined;
  });

  it('answers /healthz with 200 {status: ok}', async () => {
    h = await startHarness();
    const response = await fetch(`${h.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  const readinessCases: { name: string; readiness: () => Promise<Record<string, boolean>>; status: number }[] = [
    { name: 'every check true', readiness: () => Promise.resolve({ storage: true, graph: true }), status: 200 },
    { name: 'one check false', readiness: () => Promise.resolve({ storage: true, graph: false }), status: 503 },
    {
      name: 'the readiness function throws',
      readiness: () => Promise.reject(new Error('db down: secret-detail')),
      status: 503,
    },
  ];
  for (const { name, readiness, status } of readinessCases) {
    it(`answers /readyz with ${status} when ${name}`, async () => {
      h = await startHarness({ readiness });
      const response = await fetch(`${h.url}/readyz`);
      const text = await response.text();
      assert.equal(response.status, status);
      assert.ok(!text.includes('secret-detail'));
    });
  }

  it('reports per-check booleans on /readyz; a throwing check counts as false', async () => {
    const readiness = combineReadinessChecks({
      storage: () => Promise.resolve(true),
      graph: () => Promise.reject(new Error('unreachable')),
    });
    h = await startHarness({ readiness });
    const response = await fetch(`${h.url}/readyz`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { status: 'unavailable', checks: { storage: true, graph: false } });
  });

  it('refuses a 5 MB body with 413 and runs no turn', async () => {
    h = await startHarness();
    const activity = messageActivity(h.connector.serviceUrl, 'x'.repeat(5 * 1024 * 1024));
    const response = await postRaw(h.url, Buffer.from(JSON.stringify(activity)), {
      authorization: `Bearer ${h.validToken()}`,
    });
    assert.equal(response.status, 413);
    assert.equal(h.turns.length, 0);
  });

  it('refuses an oversized chunked body (no content-length) with 413 and runs no turn', async () => {
    h = await startHarness({ maxBodyBytes: 1024 });
    const activity = messageActivity(h.connector.serviceUrl, 'x'.repeat(4096));
    const response = await postRaw(h.url, Buffer.from(JSON.stringify(activity)), {
      authorization: `Bearer ${h.validToken()}`,
      'transfer-encoding': 'chunked',
    });
    assert.equal(response.status, 413);
    assert.equal(h.turns.length, 0);
  });

  it('answers a throwing handler with a generic 500 {error, ref} and logs the error under that ref', async () => {
    let seenRef: string | undefined;
    const onTurnError = sinon.spy((_context: unknown, _error: unknown) => Promise.resolve());
    h = await startHarness({
      onTurn: (context) => {
        seenRef = getCorrelationId(context);
        return Promise.reject(new Error('database password is hunter2'));
      },
      onTurnError,
    });
    const response = await h.post(messageActivity(h.connector.serviceUrl), {
      authorization: `Bearer ${h.validToken()}`,
    });

    assert.equal(response.status, 500);
    assert.ok(!response.text.includes('hunter2'));
    const body = JSON.parse(response.text) as { error: string; ref: string };
    assert.equal(body.error, 'internal_error');
    assert.equal(body.ref, seenRef);
    assert.equal(onTurnError.callCount, 1);
    assert.equal((onTurnError.firstCall.args[1] as Error).message, 'database password is hunter2');
    const logged = h.logs.find((line) => line.includes('turn failed'));
    assert.ok(logged?.includes(body.ref), 'the failure log carries the ref');
  });

  it('answers a body that is not an activity with 400 and a generic body', async () => {
    h = await startHarness();
    const response = await h.post('{"type": 42}', { authorization: `Bearer ${h.validToken()}` });
    assert.equal(response.status, 400);
    assert.equal((JSON.parse(response.text) as { error: string }).error, 'bad_request');
    assert.equal(h.turns.length, 0);
  });

  it('answers malformed JSON with 400 without echoing the parser message', async () => {
    h = await startHarness();
    const response = await h.post('{"type": "message", oops', { authorization: `Bearer ${h.validToken()}` });
    assert.equal(response.status, 400);
    assert.ok(!response.text.includes('oops'));
    assert.ok(!/Unexpected|JSON/i.test(response.text));
  });

  it('close() waits for an in-flight turn, then refuses new connections', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    h = await startHarness({
      onTurn: async () => {
        await gate;
        finished = true;
      },
    });
    const inFlight = h.post(messageActivity(h.connector.serviceUrl), { authorization: `Bearer ${h.validToken()}` });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = h.bot.close();
    setTimeout(release, 100);
    const response = await inFlight;
    await closed;

    assert.equal(response.status, 200);
    assert.ok(finished);
    await assert.rejects(fetch(`${h.url}/healthz`));
  });

  it('serves demo mode anonymously: no Authorization header needed, reply carries none', async () => {
    h = await startHarness({ env: { SECBOT_MODE: 'demo', PORT: '0' } });
    const response = await h.post(messageActivity(h.connector.serviceUrl, 'demo'));
    assert.equal(response.status, 200);
    const [reply] = await h.connector.waitForRequests(1);
    assert.equal(reply?.headers.authorization, undefined);
    assert.equal(h.turns[0]?.text, 'demo');
  });
});
