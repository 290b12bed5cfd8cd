import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../../../services/audit/audit-log';
import { systemClock } from '../../../services/clock';
import { isCodedError } from '../../../services/errors';
import { copyStorage } from '../../../services/storage/copy-storage';
import { openStorage } from '../../../services/storage/open-storage';
import type { Storage } from '../../../services/storage/port';
import { useAzurite } from '../../support/azurite';

const entry = (n: number) => ({
  actor: { aadObjectId: `user-${n}` },
  action: 'command:user',
  target: `u${n % 3}@example.com`,
  outcome: 'allowed',
  correlationId: `c${n}`,
});

async function everything(storage: Storage): Promise<[string, unknown][]> {
  return (await storage.list('')).map((item) => [item.key, item.value]);
}

describe('storage:copy (SQLite → Azurite → SQLite)', function () {
  this.timeout(60_000);
  const azurite = useAzurite();
  let dir: string;
  const opened: Storage[] = [];
  const open = (url: string): Storage => {
    const storage = url.startsWith('azure-blob:')
      ? openStorage(url, { azure: { AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString() } })
      : openStorage(url);
    opened.push(storage);
    return storage;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-copy-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every key and value there and back, with the audit chain verified on each side', async () => {
    const source = open(`sqlite:${join(dir, 'a.db')}`);
    const audit = createAuditLog(source, systemClock);
    await Promise.all(Array.from({ length: 30 }, (_, i) => audit.append(entry(i))));
    await audit.forTarget(['u1@example.com'], 5);
    await source.put('approvals/open/r-1', { state: 'pending', who: 'Zoë 👩‍💻' }, { ifAbsent: true });
    await source.put('alerts/seen/0001/ab.c%d', ['x'], { ifAbsent: true });

    const blob = open('azure-blob:copytest');
    const there = await copyStorage(source, blob, { clock: systemClock });
    assert.deepEqual(there.auditSource, { ok: true, count: 30 });
    assert.deepEqual(there.auditDestination, { ok: true, count: 30 });
    assert.equal(there.keys, (await everything(source)).length);
    assert.equal(there.byPrefix.approvals, 1);

    const back = open(`sqlite:${join(dir, 'b.db')}`);
    const report = await copyStorage(blob, back, { clock: systemClock });
    assert.deepEqual(report.auditDestination, { ok: true, count: 30 });
    assert.deepEqual(await everything(back), await everything(source));
    const copied = createAuditLog(back, systemClock);
    assert.deepEqual(
      (await copied.forTarget(['u1@example.com'], 100)).records.length,
      10,
      'the index and checkpoint travel with the trail',
    );
    assert.equal((await copied.append(entry(99))).seq, 31, 'the copy continues the same chain');
  });

  it('refuses a destination that is not empty unless told', async () => {
    const source = open(`sqlite:${join(dir, 'a.db')}`);
    await source.put('k', 1, { ifAbsent: true });
    const target = open(`sqlite:${join(dir, 'b.db')}`);
    await target.put('other', 2, { ifAbsent: true });
    await assert.rejects(copyStorage(source, target, { clock: systemClock }), (err: unknown) =>
      isCodedError(err, 'internal'),
    );
    assert.equal((await copyStorage(source, target, { clock: systemClock, allowNonEmpty: true })).keys, 1);
  });

  it('runs as npm run storage:copy, reports counts, and never prints the connection string', async () => {
    const source = open(`sqlite:${join(dir, 'a.db')}`);
    const audit = createAuditLog(source, systemClock);
    for (let i = 0; i < 3; i++) await audit.append(entry(i));
    await source.close();
    const run = async (...args: string[]): Promise<{ code: number | null; output: string }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bot/storage-copy.ts', ...args], {
        env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, output };
    };
    const ok = await run(`sqlite:${join(dir, 'a.db')}`, 'azure-blob:clitest');
    assert.equal(ok.code, 0, ok.output);
    assert.match(ok.output, /copied \d+ keys \(audit \d+\)/);
    assert.match(ok.output, /source 3 records, chain intact; copy 3 records, chain intact/);
    assert.ok(!ok.output.includes('AccountKey'));
  });
});
