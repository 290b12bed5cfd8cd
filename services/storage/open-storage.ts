import { resolve } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { CodedError } from '../errors';
import { createAzureBlobStorage } from './azure-blob-storage';
import { createMemoryStorage } from './memory-storage';
import type { Storage } from './port';
import { createSqliteStorage } from './sqlite-storage';
import { parseStorageSettings, type StorageInput, type StorageSettings } from './storage-url';

/** The SDK's retry policy, bounded so a storage outage fails a turn in seconds instead of hanging it for minutes. */
export type BlobRetryOptions = NonNullable<StoragePipelineOptions['retryOptions']>;

export const DEFAULT_BLOB_RETRY: BlobRetryOptions = {
  maxTries: 4,
  retryDelayInMs: 100,
  maxRetryDelayInMs: 1_000,
  tryTimeoutInMs: 5_000,
};

export interface OpenStorageOptions {
  /** The bot's own Azure identity, for AZURE_STORAGE_ACCOUNT_URL (managed identity in Azure). */
  credential?: TokenCredential;
  /** The Azure settings that go with a STORAGE_URL given as a string (tests, `npm run storage:copy`). */
  azure?: Omit<StorageInput, 'STORAGE_URL'>;
  retry?: BlobRetryOptions;
}

/**
 * Opens the Storage the settings name. A string is parsed as STORAGE_URL (memory: and sqlite::memory: allowed, as in
 * demo mode); bad settings throw CodedError('config_invalid') naming the key, never the value.
 */
export function openStorage(target: string | StorageSettings, options: OpenStorageOptions = {}): Storage {
  const settings = typeof target === 'string' ? parseOrThrow(target, options) : target;
  switch (settings.kind) {
    case 'memory':
      return createMemoryStorage();
    case 'sqlite':
      return createSqliteStorage(settings.path === ':memory:' ? settings.path : resolve(settings.path));
    case 'azure-blob': {
      const pipeline = { retryOptions: options.retry ?? DEFAULT_BLOB_RETRY };
      let service: BlobServiceClient;
      if (settings.account.kind === 'connection-string') {
        try {
          service = BlobServiceClient.fromConnectionString(settings.account.connectionString, pipeline);
        } catch (cause) {
          // The SDK's message may quote the connection string; ours names the key only.
          throw new CodedError(
            'config_invalid',
            'AZURE_STORAGE_CONNECTION_STRING could not be used by the Azure SDK',
            {},
            { cause },
          );
        }
      } else {
        if (!options.credential)
          throw new CodedError(
            'config_invalid',
            "AZURE_STORAGE_ACCOUNT_URL needs the bot's Azure identity (tenant mode: AZURE_USE_MANAGED_IDENTITY or AZURE_CLIENT_*); use AZURE_STORAGE_CONNECTION_STRING for Azurite",
          );
        service = new BlobServiceClient(settings.account.url, options.credential, pipeline);
      }
      return createAzureBlobStorage(service.getContainerClient(settings.container));
    }
  }
}

function parseOrThrow(url: string, options: OpenStorageOptions): StorageSettings {
  const parsed = parseStorageSettings({ ...options.azure, STORAGE_URL: url }, { volatileAllowed: true });
  if (parsed.ok) return parsed.settings;
  throw new CodedError('config_invalid', parsed.problems.map((p) => `${p.key} ${p.problem}`).join('; '), {
    problems: parsed.problems.map((p) => `${p.key} ${p.problem}`),
  });
}
