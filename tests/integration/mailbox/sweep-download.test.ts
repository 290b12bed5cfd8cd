import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import restify from 'restify';
import { createLogger } from '../../../bot/log';
import { registerSignedCsvDownload, registerSweepDownload, sweepCsvPath } from '../../../bot/actions/sweep-download';
import { createAuditLog } from '../../../services/audit/audit-log';
import { ManualClock } from '../../fakes/manual-clock';
import { silentLogger } from '../../../services/log';
import { createCsvLinkSigner } from '../../../services/mailbox/sweep-csv';
import { chunkKey, jobKey } from '../../../services/mailbox/sweep-store';
import type { SweepJob } from '../../../services/mailbox/sweep-types';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { CONVERSATION } from './sweep-harness';

const JOB = '6f1c2a9e-0000-4000-8000-000000000001';

describe('bot/actions/sweep-download: the signed CSV link', () => {
  const clock = new ManualClock();
  const storage = createMemoryStorage();
  const audit = createAuditLog(storage, clock);
  const signer = createCsvLinkSigner(Buffer.alloc(32, 1), clock);
  let server: restify.Server;
  let base = '';

  before(async () => {
    const job: SweepJob = {
      id: JOB,
      scope: { kind: 'all' },
      requester: { aadObjectId: 'op-1', name: 'Alex' },
      conversation: CONVERSATION,
      progressActivityId: null,
      state: 'done',
      startedAt: 0,
      finishedAt: 1,
      total: 2,
      checkpoint: null,
      cancelledBy: null,
      failure: null,
    };
    await storage.put(jobKey(JOB), job, { overwrite: true });
    await storage.put(
      chunkKey(JOB, 0, 0),
      {
        page: 0,
        rows: [
          { id: 'u1', upn: 'clean@example.com', status: 'ok', severity: 'none' },
          {
            id: 'u2',
            upn: 'forwarder@example.com',
            status: 'ok',
            severity: 'high',
            findings: [
              {
                severity: 'high',
                what: 'forward-external',
                ruleId: 'r1',
                ruleName: '=HYPERLINK("https://evil.example")',
                enabled: true,
                target: 'a@evil.example',
                domains: ['evil.example'],
              },
            ],
          },
        ],
      },
      { overwrite: true },
    );
    server = restify.createServer();
    registerSweepDownload(server, { storage, signer, audit, logger: silentLogger });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address: AddressInfo = server.address();
    base = `http://127.0.0.1:${address.port}`;
  });
  after(() => {
    server.close();
  });

  it('streams the CSV for the requester: findings only, formula cells neutralised, audited', async () => {
    const auditedBefore = (await audit.list()).length;
    const res = await fetch(`${base}${sweepCsvPath(JOB, signer.sign(JOB, 'op-1', 60_000))}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    // A download, never rendered by the browser as something else.
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="forwarding-sweep-${JOB}.csv"`);
    const body = await res.text();
    const lines = body.trim().split('\r\n');
    assert.equal(lines.length, 2, body);
    assert.match(lines[1] ?? '', /^"forwarder@example\.com","u2","ok","high","forward-external","'=HYPERLINK\(""https/);
    // Exactly one record for this download (earlier tests' records are not counted).
    const added = (await audit.list()).slice(auditedBefore);
    assert.equal(added.length, 1, JSON.stringify(added));
    const [download] = added;
    assert.deepEqual(
      {
        actor: download?.actor,
        action: download?.action,
        target: download?.target,
        outcome: download?.outcome,
        correlationId: download?.correlationId,
        details: download?.details,
      },
      {
        actor: { aadObjectId: 'op-1', name: 'Alex' }, // the requester named by the signed link
        action: 'sweep:csv-download',
        target: JOB,
        outcome: 'allowed',
        correlationId: JOB,
        details: { via: 'link' },
      },
    );
  });

  it('refuses a token for another requester, another job, an expired one, or a forged one (403, same body)', async () => {
    const get = async (token: string, job = JOB) => {
      const res = await fetch(`${base}${sweepCsvPath(job, token)}`);
      return { status: res.status, body: await res.text() };
    };
    const refusals = [
      await get(signer.sign(JOB, 'someone-else', 60_000)),
      await get(signer.sign('6f1c2a9e-0000-4000-8000-000000000002', 'op-1', 60_000)),
      await get(signer.sign(JOB, 'op-1', -1)),
      await get(createCsvLinkSigner(Buffer.alloc(32, 2), clock).sign(JOB, 'op-1', 60_000)),
      await get(''),
      await get(signer.sign(JOB, 'op-1', 60_000), 'not-a-uuid'),
    ];
    for (const r of refusals) assert.deepEqual(r, { status: 403, body: '{"error":"forbidden"}' });
  });

  it('refuses a tampered token: requester or expiry rewritten under the old signature (403, nothing audited)', async () => {
    const auditedBefore = (await audit.list()).length;
    const rewrite = (token: string, change: Record<string, unknown>): string => {
      const [payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      return `${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${signature ?? ''}`;
    };
    const tampered = [
      rewrite(signer.sign(JOB, 'someone-else', 60_000), { r: 'op-1' }),
      rewrite(signer.sign(JOB, 'op-1', -1), { e: clock.now() + 3_600_000 }),
      `${signer.sign(JOB, 'op-1', 60_000)}x`,
    ];
    for (const token of tampered) {
      const res = await fetch(`${base}${sweepCsvPath(JOB, token)}`);
      assert.deepEqual({ status: res.status, body: await res.text() }, { status: 403, body: '{"error":"forbidden"}' });
    }
    assert.equal((await audit.list()).length, auditedBefore);
  });

  it('refuses a valid token for a job that does not exist, and a link without a token (403, same body)', async () => {
    const missing = '6f1c2a9e-0000-4000-8000-0000000000ff';
    const forMissing = await fetch(`${base}${sweepCsvPath(missing, signer.sign(missing, 'op-1', 60_000))}`);
    assert.deepEqual(
      { status: forMissing.status, body: await forMissing.text() },
      { status: 403, body: '{"error":"forbidden"}' },
    );
    const noToken = await fetch(`${base}/sweep/${JOB}/findings.csv`);
    assert.deepEqual(
      { status: noToken.status, body: await noToken.text() },
      { status: 403, body: '{"error":"forbidden"}' },
    );
  });
});

describe('bot/actions/sweep-download: streaming a signed CSV (registerSignedCsvDownload)', () => {
  const clock = new ManualClock();
  const storage = createMemoryStorage();
  const signer = createCsvLinkSigner(Buffer.alloc(32, 3), clock);
  let server: restify.Server;
  let base = '';
  let lines: () => AsyncIterable<string> = async function* () {};
  const logged: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logged.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });

  before(async () => {
    server = restify.createServer();
    registerSignedCsvDownload(
      server,
      {
        route: '/test/:jobId/rows.csv',
        name: 'test',
        filename: (id) => `rows-${id}.csv`,
        readJob: (_storage, jobId) => Promise.resolve({ id: jobId, requester: { aadObjectId: 'op-1', name: 'Alex' } }),
        lines: () => lines(),
      },
      { storage, signer, audit: createAuditLog(storage, clock), logger: createLogger('debug', sink) },
    );
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address: AddressInfo = server.address();
    base = `http://127.0.0.1:${address.port}`;
  });
  after(() => {
    server.close();
  });

  const url = (): string => `${base}/test/${JOB}/rows.csv?t=${encodeURIComponent(signer.sign(JOB, 'op-1', 60_000))}`;

  it('a CSV far larger than the socket buffers arrives complete and in order (waits for drain)', async () => {
    const row = `${'x'.repeat(4000)}\r\n`;
    lines = async function* () {
      for (let i = 0; i < 2000; i++) {
        if (i % 100 === 0) await Promise.resolve(); // as a storage read would
        yield `${String(i).padStart(4, '0')}${row}`;
      }
    };
    const res = await fetch(url());
    assert.equal(res.status, 200);
    const received = (await res.text()).split('\r\n').slice(0, -1);
    assert.equal(received.length, 2000);
    received.forEach((line, i) => assert.equal(line.slice(0, 4), String(i).padStart(4, '0')));
  });

  it('a failure part-way through aborts the download: the client never gets a truncated CSV that looks complete', async () => {
    lines = async function* () {
      yield 'upn,id\r\n';
      yield 'a@example.com,1\r\n';
      await Promise.resolve();
      throw new Error('storage read failed');
    };
    // The 200 head may or may not have reached the client before the abort; either way the download must fail.
    const outcome = await fetch(url())
      .then((res) => res.text())
      .then(
        () => 'complete',
        () => 'aborted',
      );
    assert.equal(outcome, 'aborted', 'the body must end in an error, not a clean end of file');
    const failure = logged.find((line) => line.msg === 'test CSV stream failed');
    assert.equal((failure?.err as { message?: string } | undefined)?.message, 'storage read failed');
  });

  it('each refusal is logged with the check that failed (for the operator), never with the token', async () => {
    const tokens = {
      expired: signer.sign(JOB, 'op-1', -1),
      other: signer.sign(JOB, 'someone-else', 60_000),
    };
    logged.length = 0;
    for (const [path, token] of [
      [JOB, tokens.expired],
      [JOB, tokens.other],
      ['not-a-uuid', tokens.other],
    ] as const) {
      const res = await fetch(`${base}/test/${path}/rows.csv?t=${encodeURIComponent(token)}`);
      assert.equal(res.status, 403);
    }
    assert.deepEqual(
      logged.map((line) => ({ level: line.level, component: line.component, reason: line.reason })),
      [
        { level: 40, component: 'test-download', reason: 'expired' },
        { level: 40, component: 'test-download', reason: 'not the requester of this job' },
        { level: 40, component: 'test-download', reason: 'bad job id' },
      ],
    );
    const text = JSON.stringify(logged);
    for (const token of Object.values(tokens))
      assert.ok(!text.includes(token.split('.')[1] ?? ''), 'no token in the log');
  });
});
