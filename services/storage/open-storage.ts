import { resolve } from 'node:path';
import { CodedError } from '../errors';
import { createMemoryStorage } from './memory-storage';
import type { Storage } from './port';
import { createSqliteStorage } from './sqlite-storage';

const SUPPORTED = 'supported: sqlite:<path> (relative to the working directory), sqlite::memory:, memory:';

/** Opens the Storage that STORAGE_URL names: `sqlite:<path>`, `sqlite::memory:` or `memory:`. */
export function openStorage(url: string): Storage {
  const trimmed = url.trim();
  if (trimmed === 'memory:') return createMemoryStorage();
  if (trimmed.startsWith('sqlite:')) {
    const path = trimmed.slice('sqlite:'.length);
    if (path === '') throw new CodedError('config_invalid', `STORAGE_URL sqlite: needs a file path; ${SUPPORTED}`);
    return createSqliteStorage(path === ':memory:' ? path : resolve(path));
  }
  // Never echo the URL: an Azure connection string carries the account key.
  const kind = looksLikeAzureBlob(trimmed) ? 'Azure Blob storage is not supported yet' : 'unrecognised STORAGE_URL';
  throw new CodedError('config_invalid', `STORAGE_URL: ${kind}; ${SUPPORTED}`);
}

function looksLikeAzureBlob(url: string): boolean {
  return /AccountName=|BlobEndpoint=|UseDevelopmentStorage=|\.blob\.core\.windows\.net/i.test(url);
}
