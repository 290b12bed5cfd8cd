/** Where the bot keeps its state, parsed from STORAGE_URL and the Azure Storage settings. */
export type StorageSettings =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'azure-blob'; container: string; account: AzureAccount };

/** How the Blob adapter reaches the account: a connection string (Azurite, development) or the account URL + our identity. */
export type AzureAccount =
  { kind: 'connection-string'; connectionString: string } | { kind: 'account-url'; url: string };

/** The raw settings, by their environment names. */
export interface StorageInput {
  STORAGE_URL?: string | undefined;
  AZURE_STORAGE_CONNECTION_STRING?: string | undefined;
  AZURE_STORAGE_ACCOUNT_URL?: string | undefined;
}

/** A setting that is wrong, by key; the problem never quotes the value (it may hold an account key). */
export interface StorageProblem {
  key: keyof StorageInput;
  problem: string;
}

export const DEFAULT_STORAGE_URL = 'sqlite:./data/secbot.db';
export const STORAGE_URL_FORMS =
  'sqlite:<path>, azure-blob:<container>, or (demo and tests only) memory: or sqlite::memory:';

// Azure's container naming rule: 3-63 characters, lowercase letters, digits and single inner hyphens.
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The one parser of the storage settings, used by bot/config.ts, openStorage and `npm run storage:copy`.
 * `volatileAllowed` is false in tenant mode: a store that forgets approvals and the audit trail on restart is refused.
 */
export function parseStorageSettings(
  input: StorageInput,
  options: { volatileAllowed: boolean },
): { ok: true; settings: StorageSettings } | { ok: false; problems: StorageProblem[] } {
  const problems: StorageProblem[] = [];
  const url = clean(input.STORAGE_URL) ?? DEFAULT_STORAGE_URL;
  const connectionString = clean(input.AZURE_STORAGE_CONNECTION_STRING);
  const accountUrl = clean(input.AZURE_STORAGE_ACCOUNT_URL);
  const volatile = (kind: 'memory' | 'sqlite'): StorageSettings | undefined => {
    if (options.volatileAllowed) return kind === 'memory' ? { kind } : { kind, path: ':memory:' };
    problems.push({
      key: 'STORAGE_URL',
      problem: 'keeps nothing across restarts (approvals, audit trail) and is refused in tenant mode',
    });
    return undefined;
  };

  let settings: StorageSettings | undefined;
  if (url === 'memory:') settings = volatile('memory');
  else if (url === 'sqlite::memory:') settings = volatile('sqlite');
  else if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') problems.push({ key: 'STORAGE_URL', problem: 'sqlite: needs a file path (sqlite:<path>)' });
    else settings = { kind: 'sqlite', path };
  } else if (url.startsWith('azure-blob:')) {
    const container = url.slice('azure-blob:'.length);
    const account = parseAccount(connectionString, accountUrl, problems);
    if (!CONTAINER.test(container)) {
      problems.push({
        key: 'STORAGE_URL',
        problem:
          'azure-blob: needs a container name of 3-63 lowercase letters, digits and single hyphens (azure-blob:<container>)',
      });
    } else if (account) settings = { kind: 'azure-blob', container, account };
  } else {
    // Older settings put a connection string or an https URL here; say where it goes now, without echoing it.
    const hint = /AccountKey=|SharedAccessSignature=|BlobEndpoint=|UseDevelopmentStorage=/i.test(url)
      ? '; an Azure connection string goes in AZURE_STORAGE_CONNECTION_STRING'
      : /^https?:\/\//i.test(url)
        ? '; an account URL goes in AZURE_STORAGE_ACCOUNT_URL'
        : '';
    problems.push({ key: 'STORAGE_URL', problem: `must be ${STORAGE_URL_FORMS}${hint}` });
  }
  if (settings && settings.kind !== 'azure-blob') {
    // Set but unused would mean the operator believes the data is in Azure while it is on local disk.
    for (const key of ['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_ACCOUNT_URL'] as const) {
      if (clean(input[key]) !== undefined)
        problems.push({ key, problem: 'is set but STORAGE_URL is not azure-blob:<container>' });
    }
  }
  return problems.length === 0 && settings ? { ok: true, settings } : { ok: false, problems };
}

function parseAccount(
  connectionString: string | undefined,
  accountUrl: string | undefined,
  problems: StorageProblem[],
): AzureAccount | undefined {
  if (connectionString !== undefined && accountUrl !== undefined) {
    problems.push({
      key: 'AZURE_STORAGE_ACCOUNT_URL',
      problem: 'must not be set together with AZURE_STORAGE_CONNECTION_STRING (choose one)',
    });
    return undefined;
  }
  if (connectionString !== undefined) {
    if (!isConnectionString(connectionString)) {
      problems.push({
        key: 'AZURE_STORAGE_CONNECTION_STRING',
        problem:
          'must be an Azure Storage connection string (AccountName=…;AccountKey=…, BlobEndpoint=…, or UseDevelopmentStorage=true)',
      });
      return undefined;
    }
    return { kind: 'connection-string', connectionString };
  }
  if (accountUrl !== undefined) {
    const problem = accountUrlProblem(accountUrl);
    if (problem) {
      problems.push({ key: 'AZURE_STORAGE_ACCOUNT_URL', problem });
      return undefined;
    }
    return { kind: 'account-url', url: accountUrl.replace(/\/+$/, '') };
  }
  problems.push({
    key: 'AZURE_STORAGE_CONNECTION_STRING',
    problem: 'or AZURE_STORAGE_ACCOUNT_URL is required for STORAGE_URL=azure-blob:<container>',
  });
  return undefined;
}

function isConnectionString(value: string): boolean {
  const pairs = value
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => part.split('=')[0]?.trim().toLowerCase() ?? '');
  const has = (name: string): boolean => pairs.includes(name.toLowerCase());
  if (!value.split(';').every((part) => part.trim() === '' || /^[A-Za-z]+=/.test(part.trim()))) return false;
  return (
    has('UseDevelopmentStorage') ||
    (has('AccountName') && has('AccountKey')) ||
    (has('BlobEndpoint') && (has('SharedAccessSignature') || has('AccountKey')))
  );
}

function accountUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be the account blob endpoint, https://<account>.blob.core.windows.net';
  }
  // A SAS in the URL would be a secret in a setting that is logged; the bot uses its own identity instead.
  if (url.search !== '' || url.username !== '' || url.password !== '')
    return 'must not carry a query or credentials (SAS tokens are not supported; the bot signs in with its own identity)';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return undefined;
  return 'must be an https URL (http only on a loopback host)';
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** A loggable description: paths, container and account URL, never the connection string. */
export function describeStorage(settings: StorageSettings): string {
  switch (settings.kind) {
    case 'memory':
      return 'memory:';
    case 'sqlite':
      return `sqlite:${settings.path}`;
    case 'azure-blob':
      return `azure-blob:${settings.container} (${settings.account.kind === 'account-url' ? settings.account.url : 'connection string [set]'})`;
  }
}
