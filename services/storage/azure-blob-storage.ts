import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { CodedError, isCodedError } from '../errors';
import { blobNameOf, keyOfBlobName } from './blob-names';
import { mapBounded } from './map-bounded';
import type { ListOptions, PutResult, Storage, StoredItem, WriteCondition } from './port';
import { assertKey, assertListOptions, decodeValue, encodeValue } from './stored-value';

// Azure's limit on a blob name; escaped characters make a name longer than its key.
const MAX_NAME_LENGTH = 1024;
const LIST_PAGE = 5000;
// Values of a listing are read in parallel, a bounded number at a time.
const READ_CONCURRENCY = 16;
// Metadata that names the write, so a write whose response was lost and was retried by the SDK is recognised as ours.
const WRITE_ID = 'secbotwrite';

interface Downloaded {
  json: string;
  version: string;
  writeId: string | undefined;
}

/**
 * Storage on one Azure Blob container, one JSON blob per key. Versions are ETags: a conditional put is an
 * `If-Match`/`If-None-Match: *` upload that the service checks atomically, and an ETag never comes back for a
 * blob (it is derived from the write time, so a deleted and re-created blob gets a new one). Transient failures
 * are retried by the SDK's policy (configured on the client); what remains is CodedError('storage_unavailable').
 */
export function createAzureBlobStorage(container: ContainerClient): Storage {
  let closed = false;
  let ready: Promise<unknown> | null = null;

  // The container is created on first use, so opening needs no network and a failed creation is retried later.
  const ensureContainer = (): Promise<unknown> => {
    ready ??= container.createIfNotExists().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };

  const guard = async <R>(op: string, key: string | undefined, body: () => Promise<R>): Promise<R> => {
    if (closed) throw new CodedError('storage_unavailable', 'Azure Blob storage is closed', { op });
    try {
      await ensureContainer();
      return await body();
    } catch (error) {
      throw toStorageError(op, key, error);
    }
  };

  const blobOf = (key: string) => {
    assertKey(key);
    const name = blobNameOf(key);
    if (name.length > MAX_NAME_LENGTH)
      throw new CodedError('internal', 'storage key is too long for an Azure blob name', { length: key.length });
    return container.getBlockBlobClient(name);
  };

  const download = async (key: string): Promise<Downloaded | undefined> => {
    try {
      const response = await blobOf(key).download();
      const body = response.readableStreamBody;
      const json = body ? await readAll(body) : '';
      return { json, version: response.etag ?? '', writeId: response.metadata?.[WRITE_ID] };
    } catch (error) {
      if (statusOf(error) === 404 && codeOf(error) === 'BlobNotFound') return undefined;
      throw error;
    }
  };

  const read = async <T>(key: string): Promise<StoredItem<T> | undefined> => {
    const found = await download(key);
    return found && { key, value: decodeValue<T>(key, found.json), version: found.version };
  };

  return {
    get<T>(key: string): Promise<StoredItem<T> | undefined> {
      return guard('get', key, () => read<T>(key));
    },

    put<T>(key: string, value: T, condition: WriteCondition): Promise<PutResult<T>> {
      return guard('put', key, async () => {
        const blob = blobOf(key);
        const json = encodeValue(key, value);
        const writeId = randomUUID();
        const conditions =
          'ifAbsent' in condition
            ? { ifNoneMatch: '*' }
            : 'ifVersion' in condition
              ? { ifMatch: condition.ifVersion }
              : {};
        try {
          const response = await blob.upload(json, Buffer.byteLength(json), {
            conditions,
            metadata: { [WRITE_ID]: writeId },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          return { ok: true, item: { key, value: decodeValue<T>(key, json), version: response.etag ?? '' } };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        const current = await download(key);
        // The SDK retries a write whose response was lost; the retry then fails its own condition against our write.
        if (current?.writeId === writeId)
          return { ok: true, item: { key, value: decodeValue<T>(key, json), version: current.version } };
        return current
          ? {
              ok: false,
              reason: 'conflict',
              current: { key, value: decodeValue<unknown>(key, current.json), version: current.version },
            }
          : { ok: false, reason: 'conflict' };
      });
    },

    delete(key: string, condition?: { ifVersion: string }): Promise<boolean> {
      return guard('delete', key, async () => {
        try {
          await blobOf(key).delete(condition ? { conditions: { ifMatch: condition.ifVersion } } : {});
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      });
    },

    list<T>(prefix: string, options?: ListOptions): Promise<StoredItem<T>[]> {
      return guard('list', undefined, async () => {
        assertListOptions(options);
        const limit = options?.limit ?? Infinity;
        // Names sort like keys (blob-names.ts), so `after` is a comparison of names. Blob listings have no
        // "start after": the names before it are listed and skipped (cheap: names only, 5,000 per request).
        const after = options?.after === undefined ? undefined : blobNameOf(options.after);
        const items: StoredItem<T>[] = [];
        let pending: string[] = [];
        const drain = async (): Promise<void> => {
          const batch = pending;
          pending = [];
          const found = await mapBounded(batch, READ_CONCURRENCY, (key) => read<T>(key));
          // A key deleted between the listing and the read is simply not there any more.
          for (const item of found) if (item && items.length < limit) items.push(item);
        };
        for await (const page of container
          .listBlobsFlat({ prefix: blobNameOf(prefix) })
          .byPage({ maxPageSize: LIST_PAGE })) {
          for (const blob of page.segment.blobItems) {
            if (after !== undefined && blob.name <= after) continue;
            // A name this adapter never writes belongs to someone else sharing the container; it is not a key.
            const key = keyOfBlobName(blob.name);
            if (key === null) continue;
            pending.push(key);
            if (items.length + pending.length >= limit) await drain();
            if (items.length >= limit) return items;
          }
          await drain();
          if (items.length >= limit) return items;
        }
        await drain();
        return items;
      });
    },

    ping(): Promise<void> {
      return guard('ping', undefined, async () => {
        await container.getProperties();
      });
    },

    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

// 412 ConditionNotMet (If-Match failed, or the blob is absent), 409 BlobAlreadyExists (If-None-Match: *),
// 404 BlobNotFound (an unconditional delete of nothing). A missing container is not a lost race.
function isConditionFailure(error: unknown): boolean {
  const status = statusOf(error);
  return (
    status === 412 ||
    (status === 409 && codeOf(error) === 'BlobAlreadyExists') ||
    (status === 404 && codeOf(error) === 'BlobNotFound')
  );
}

function toStorageError(op: string, key: string | undefined, error: unknown): Error {
  if (isCodedError(error)) return error;
  const status = statusOf(error);
  const code = codeOf(error);
  // The SDK's message can quote request URLs; only the status and the service's error code go into ours.
  return new CodedError(
    'storage_unavailable',
    `Azure Blob ${op} failed${status !== undefined ? ` (${status}${code ? ` ${code}` : ''})` : code ? ` (${code})` : ''}`,
    {
      op,
      ...(key !== undefined && { key }),
      ...(status !== undefined && { status }),
      ...(code && { azureCode: code }),
    },
    { cause: error },
  );
}
