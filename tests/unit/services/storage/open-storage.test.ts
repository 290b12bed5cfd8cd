import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCodedError } from '../../../../services/errors';
import { openStorage } from '../../../../services/storage/open-storage';
import type { Storage } from '../../../../services/storage/port';

describe('openStorage', () => {
  let dir: string;
  let cwd: string;
  const opened: Storage[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-open-storage-'));
    cwd = process.cwd();
  });

  afterEach(async () => {
    process.chdir(cwd);
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (url: string): Storage => {
    const storage = openStorage(url);
    opened.push(storage);
    return storage;
  };

  it('opens a SQLite file relative to the working directory, creating its folder', async () => {
    process.chdir(dir);
    const storage = open('sqlite:./data/secbot.db');
    await storage.put('k', 1, { overwrite: true });
    assert.ok(existsSync(join(dir, 'data', 'secbot.db')));
  });

  it('opens an absolute SQLite path', async () => {
    const file = join(dir, 'abs.db');
    await open(`sqlite:${file}`).ping();
    assert.ok(existsSync(file));
  });

  it('opens SQLite in memory for sqlite::memory: without touching the disk', async () => {
    process.chdir(dir);
    const storage = open('sqlite::memory:');
    await storage.put('k', 1, { overwrite: true });
    assert.equal((await storage.get('k'))?.value, 1);
    assert.ok(!existsSync(join(dir, ':memory:')));
  });

  it('opens independent memory storages for memory:', async () => {
    const a = open('memory:');
    const b = open('memory:');
    await a.put('k', 1, { overwrite: true });
    assert.equal(await b.get('k'), undefined);
  });

  it('rejects sqlite: without a path with config_invalid', () => {
    assert.throws(
      () => openStorage('sqlite:'),
      (err: unknown) => isCodedError(err, 'config_invalid'),
    );
  });

  it('refuses a connection string as STORAGE_URL, pointing to its setting and never echoing the key', () => {
    const conn =
      'DefaultEndpointsProtocol=https;AccountName=secbot;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';
    assert.throws(
      () => openStorage(conn),
      (err: unknown) =>
        isCodedError(err, 'config_invalid') &&
        err.message.includes('AZURE_STORAGE_CONNECTION_STRING') &&
        err.message.includes('azure-blob:<container>') &&
        !err.message.includes('c2VjcmV0LWtleQ') &&
        !JSON.stringify(err.details).includes('c2VjcmV0LWtleQ'),
    );
  });

  it('refuses an account URL without a credential to sign in with', () => {
    assert.throws(
      () =>
        openStorage('azure-blob:secbot', {
          azure: { AZURE_STORAGE_ACCOUNT_URL: 'https://secbot.blob.core.windows.net' },
        }),
      (err: unknown) => isCodedError(err, 'config_invalid') && err.message.includes('AZURE_STORAGE_ACCOUNT_URL'),
    );
  });

  it('rejects an unknown scheme without echoing it', () => {
    assert.throws(
      () => openStorage('postgres://user:hunter2@db/secbot'),
      (err: unknown) => isCodedError(err, 'config_invalid') && !err.message.includes('hunter2'),
    );
  });
});
