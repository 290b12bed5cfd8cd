import assert from 'node:assert/strict';
import { chunkKey, jobKey } from '../../../../services/mailbox/sweep-store';
import type { FindingRow, ResultRow, SweepJob } from '../../../../services/mailbox/sweep-types';
import { readLastSweep } from '../../../../services/posture/last-sweep';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';

const job = (id: string, state: SweepJob['state'], scope: SweepJob['scope'], finishedAt: number | null) =>
  ({ id, state, scope, startedAt: 1, finishedAt }) as SweepJob;
const finding = (what: string, domains: string[]): FindingRow => ({
  severity: 'high',
  what,
  ruleId: null,
  ruleName: null,
  enabled: true,
  target: 't',
  domains,
});
const row = (id: string, findings: FindingRow[] = [], status: ResultRow['status'] = 'ok'): ResultRow => ({
  id,
  upn: `${id}@x`,
  status,
  severity: findings.length > 0 ? 'high' : 'none',
  findings,
});

describe('posture: the last forwarding sweep (check 6)', () => {
  it('is null before any tenant-wide sweep has finished', async () => {
    const storage = createMemoryStorage();
    await storage.put(jobKey('r'), job('r', 'running', { kind: 'all' }, null), { overwrite: true });
    await storage.put(jobKey('g'), job('g', 'done', { kind: 'group', groupId: 'x' }, 9), { overwrite: true });
    assert.equal(await readLastSweep(storage), null);
  });

  it('takes the newest finished sweep of all mailboxes and counts mailboxes forwarding outside once each', async () => {
    const storage = createMemoryStorage();
    await storage.put(jobKey('old'), job('old', 'done', { kind: 'all' }, 5), { overwrite: true });
    await storage.put(jobKey('new'), job('new', 'done', { kind: 'all' }, 50), { overwrite: true });
    await storage.put(jobKey('cancelled'), job('cancelled', 'cancelled', { kind: 'all' }, 99), { overwrite: true });
    await storage.put(
      chunkKey('old', 0, 0),
      { page: 0, rows: [row('o', [finding('forward-external', ['e.org'])])] },
      {
        overwrite: true,
      },
    );
    const rows = [
      row('a', [finding('forward-external', ['e.org']), finding('forward-lookalike', ['examp1e.com'])]),
      row('b', [finding('mailbox-forward-external', ['x.org'])]),
      row('c', [finding('forward-internal', [])]),
      row('d', [finding('delete', [])]),
      row('e', [], 'no-mailbox'),
    ];
    await storage.put(chunkKey('new', 0, 0), { page: 0, rows: rows.slice(0, 3) }, { overwrite: true });
    await storage.put(chunkKey('new', 1, 0), { page: 1, rows: rows.slice(3) }, { overwrite: true });
    assert.deepEqual(await readLastSweep(storage), { finishedAt: 50, mailboxes: 4, externalForwarders: 2 });
  });
});
