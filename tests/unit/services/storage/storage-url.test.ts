import assert from 'node:assert/strict';
import { parseStorageSettings, type StorageInput } from '../../../../services/storage/storage-url';

const parse = (input: StorageInput, volatileAllowed = true) => parseStorageSettings(input, { volatileAllowed });

function problemKeys(input: StorageInput, volatileAllowed = true): string[] {
  const result = parse(input, volatileAllowed);
  assert.ok(!result.ok, 'expected the settings to be refused');
  return result.problems.map((p) => p.key);
}

describe('parseStorageSettings', () => {
  it('defaults to the SQLite file under ./data', () => {
    assert.deepEqual(parse({}), { ok: true, settings: { kind: 'sqlite', path: './data/secbot.db' } });
  });

  it('reads sqlite:<path>, sqlite::memory: and memory:', () => {
    assert.deepEqual(parse({ STORAGE_URL: 'sqlite:/var/lib/secbot.db' }), {
      ok: true,
      settings: { kind: 'sqlite', path: '/var/lib/secbot.db' },
    });
    assert.deepEqual(parse({ STORAGE_URL: 'sqlite::memory:' }), {
      ok: true,
      settings: { kind: 'sqlite', path: ':memory:' },
    });
    assert.deepEqual(parse({ STORAGE_URL: ' memory: ' }), { ok: true, settings: { kind: 'memory' } });
  });

  it('refuses the volatile stores when they are not allowed (tenant mode)', () => {
    assert.deepEqual(problemKeys({ STORAGE_URL: 'memory:' }, false), ['STORAGE_URL']);
    assert.deepEqual(problemKeys({ STORAGE_URL: 'sqlite::memory:' }, false), ['STORAGE_URL']);
  });

  it('checks the container name against Azure naming rules', () => {
    const account = { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
    for (const bad of ['', 'ab', 'Secbot', 'sec--bot', '-secbot', 'secbot-', 'sec_bot', 'a'.repeat(64)])
      assert.deepEqual(problemKeys({ ...account, STORAGE_URL: `azure-blob:${bad}` }), ['STORAGE_URL'], bad);
    assert.ok(parse({ ...account, STORAGE_URL: 'azure-blob:sec-bot-01' }).ok);
  });

  it('accepts the connection string forms the SDK understands and refuses other text', () => {
    for (const good of [
      'UseDevelopmentStorage=true',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net',
      'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=sv=1&sig=x',
    ])
      assert.ok(parse({ STORAGE_URL: 'azure-blob:secbot', AZURE_STORAGE_CONNECTION_STRING: good }).ok, good);
    for (const bad of ['a2V5', 'AccountName=a', 'AccountName=a;junk;AccountKey=b'])
      assert.deepEqual(
        problemKeys({ STORAGE_URL: 'azure-blob:secbot', AZURE_STORAGE_CONNECTION_STRING: bad }),
        ['AZURE_STORAGE_CONNECTION_STRING'],
        bad,
      );
  });

  it('accepts an https account URL (http only on loopback) and refuses both account settings at once', () => {
    const blob = { STORAGE_URL: 'azure-blob:secbot' };
    assert.ok(parse({ ...blob, AZURE_STORAGE_ACCOUNT_URL: 'http://127.0.0.1:10000/devstoreaccount1' }).ok);
    assert.deepEqual(problemKeys({ ...blob, AZURE_STORAGE_ACCOUNT_URL: 'http://secbot.blob.core.windows.net' }), [
      'AZURE_STORAGE_ACCOUNT_URL',
    ]);
    assert.deepEqual(problemKeys({ ...blob, AZURE_STORAGE_ACCOUNT_URL: 'not a url' }), ['AZURE_STORAGE_ACCOUNT_URL']);
    assert.deepEqual(
      problemKeys({
        ...blob,
        AZURE_STORAGE_ACCOUNT_URL: 'https://secbot.blob.core.windows.net',
        AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
      ['AZURE_STORAGE_ACCOUNT_URL'],
    );
  });

  it('points a connection string or URL given as STORAGE_URL to the setting where it now belongs', () => {
    const asUrl = parse({ STORAGE_URL: 'https://secbot.blob.core.windows.net' });
    assert.ok(!asUrl.ok);
    assert.match(asUrl.problems[0]?.problem ?? '', /AZURE_STORAGE_ACCOUNT_URL/);
    const asConnection = parse({ STORAGE_URL: 'AccountName=a;AccountKey=a2V5' });
    assert.ok(!asConnection.ok);
    assert.match(asConnection.problems[0]?.problem ?? '', /AZURE_STORAGE_CONNECTION_STRING/);
  });
});
