import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { isCodedError } from '../../../../services/errors';
import { openStorage, type BlobRetryOptions } from '../../../../services/storage/open-storage';
import type { Storage } from '../../../../services/storage/port';
import { useAzurite } from '../../../support/azurite';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { runStorageContract } from './storage-contract';

// The SDK's policy with the waits scaled down: the same number of tries, milliseconds instead of seconds.
const FAST_RETRY: BlobRetryOptions = { maxTries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20, tryTimeoutInMs: 5_000 };

const containerName = (): string => `t${randomBytes(8).toString('hex')}`;

describe('Azure Blob storage (Azurite)', () => {
  const azurite = useAzurite();

  const open = (container: string, origin?: string): Storage =>
    openStorage('azure-blob:' + container, {
      azure: { AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString(origin) },
      retry: FAST_RETRY,
    });

  const dropContainer = async (container: string): Promise<void> => {
    await BlobServiceClient.fromConnectionString(azurite().connectionString())
      .getContainerClient(container)
      .deleteIfExists();
  };

  runStorageContract('azure blob', () => {
    const container = containerName();
    return Promise.resolve({
      storage: open(container),
      second: () => open(container),
      cleanup: () => dropContainer(container),
    });
  });

  describe('what a remote store makes real', () => {
    let proxy: FaultProxy;
    let container: string;
    let storage: Storage;

    beforeEach(async () => {
      proxy = await startFaultProxy(azurite().origin);
      container = containerName();
      storage = open(container, proxy.origin);
    });

    afterEach(async () => {
      await storage.close();
      await proxy.close();
      await dropContainer(container);
    });

    const puts = (): number =>
      proxy.seen.filter((s) => s.startsWith('PUT ') && !s.includes('restype=container')).length;

    it('creates its container on first use', async () => {
      await storage.put('a/1', 1, { ifAbsent: true });
      const exists = await BlobServiceClient.fromConnectionString(azurite().connectionString())
        .getContainerClient(container)
        .exists();
      assert.ok(exists);
    });

    it('returns the 412 of a stale If-Match as a conflict with the current item, not an error', async () => {
      const first = await storage.put('a/1', { n: 1 }, { ifAbsent: true });
      assert.ok(first.ok);
      const second = await storage.put('a/1', { n: 2 }, { ifVersion: first.item.version });
      assert.ok(second.ok);
      const stale = await storage.put('a/1', { n: 3 }, { ifVersion: first.item.version });
      assert.deepEqual(stale, { ok: false, reason: 'conflict', current: second.item });
    });

    it('returns the 409 of If-None-Match on an existing blob as a conflict', async () => {
      await storage.put('a/1', 1, { ifAbsent: true });
      const again = await storage.put('a/1', 2, { ifAbsent: true });
      assert.equal(again.ok, false);
    });

    it('retries a 503 with the SDK policy and succeeds when the service recovers', async () => {
      await storage.ping();
      proxy.inject({ kind: 'refuse', status: 503 }, 2, (method) => method === 'PUT');
      const before = puts();
      const result = await storage.put('a/1', { n: 1 }, { ifAbsent: true });
      assert.ok(result.ok);
      assert.equal(puts() - before, 3, 'two refused tries and the one that landed');
      assert.deepEqual((await storage.get('a/1'))?.value, { n: 1 });
    });

    it('surfaces storage_unavailable once the retry policy is spent, naming the status and never the key material', async () => {
      proxy.inject({ kind: 'refuse', status: 503 }, 100);
      await assert.rejects(storage.get('a/1'), (err: unknown) => {
        assert.ok(isCodedError(err, 'storage_unavailable'));
        assert.match(err.message, /503/);
        assert.ok(!err.message.includes('AccountKey') && !JSON.stringify(err.details).includes('AccountKey'));
        return true;
      });
      assert.equal(proxy.seen.length, FAST_RETRY.maxTries, 'every try reached the service, then it gave up');
    });

    it('recognises its own write when the response was lost and the retried create met it (no false conflict)', async () => {
      await storage.ping();
      proxy.inject({ kind: 'lose-response', status: 503 }, 1, (method) => method === 'PUT');
      const result = await storage.put('a/1', { n: 1 }, { ifAbsent: true });
      assert.ok(result.ok, 'the first try created the blob; the retry got 409 against our own write');
      assert.equal((await storage.get('a/1'))?.version, result.item.version);
    });

    it('still reports a real conflict after a retry when someone else holds the key', async () => {
      const other = open(container);
      try {
        await other.put('a/1', 'theirs', { ifAbsent: true });
        proxy.inject({ kind: 'refuse', status: 503 }, 1, (method) => method === 'PUT');
        const result = await storage.put('a/1', 'ours', { ifAbsent: true });
        assert.ok(!result.ok);
        assert.equal(result.current?.value, 'theirs');
      } finally {
        await other.close();
      }
    });

    it('reports an unreachable service as storage_unavailable', async () => {
      await proxy.close();
      await assert.rejects(storage.ping(), (err: unknown) => isCodedError(err, 'storage_unavailable'));
      proxy = await startFaultProxy(azurite().origin);
    });

    it('skips blobs in the container that it did not write', async () => {
      await storage.put('a/1', 1, { ifAbsent: true });
      await BlobServiceClient.fromConnectionString(azurite().connectionString())
        .getContainerClient(container)
        .getBlockBlobClient('a/not.ours%')
        .upload('x', 1);
      assert.deepEqual(
        (await storage.list('a/')).map((i) => i.key),
        ['a/1'],
      );
    });
  });
});
