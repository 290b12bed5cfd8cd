import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { registerSweepDownload, sweepCsvPath } from '../../../bot/actions/sweep-download';
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
    const records = await audit.list();
    const download = records.find((r) => r.action === 'sweep:csv-download' && r.target === JOB);
    assert.ok(download);
    assert.equal(download.actor.aadObjectId, 'op-1', 'the requester named by the signed link');
    assert.equal(download.outcome, 'allowed');
    assert.deepEqual(download.details, { via: 'link' });
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
});
