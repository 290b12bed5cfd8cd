import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const SECRET = 'app-password-Startup-9x';

const TENANT: Record<string, string> = {
  SECBOT_MODE: 'tenant',
  MicrosoftAppId: '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b',
  MicrosoftAppPassword: SECRET,
  ALLOWED_TENANT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  OPERATORS_GROUP_ID: '11111111-2222-4333-8444-555555555555',
  APPROVERS_GROUP_ID: '11111111-2222-4333-8444-666666666666',
  AZURE_TENANT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  AZURE_CLIENT_ID: '11111111-2222-4333-8444-777777777777',
  AZURE_CLIENT_SECRET: 'graph-secret-Startup-3y',
};

/** Runs loadConfigOrExit in a fresh process with exactly `env` (plus PATH), as main would at startup. */
function start(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(
    tsx,
    ['-e', "require('./bot/config').loadConfigOrExit(process.env); console.log('config ok')"],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { status: result.status, stderr: result.stderr };
}

describe('startup: loadConfigOrExit in a child process', function () {
  this.timeout(60_000);

  it('starts with a complete tenant configuration, and in demo mode with a loopback Graph (control cases)', () => {
    assert.equal(start(TENANT).status, 0);
    assert.equal(start({ SECBOT_MODE: 'demo', GRAPH_BASE_URL: 'http://127.0.0.1:56160', GRAPH_TOKEN: 't' }).status, 0);
  });

  const refused: { name: string; env: Record<string, string>; key: string }[] = [
    { name: 'an empty MicrosoftAppId', env: { ...TENANT, MicrosoftAppId: '' }, key: 'MicrosoftAppId' },
    {
      name: 'an OpenID metadata override',
      env: { ...TENANT, BotOpenIdMetadata: 'https://evil.example.com/.well-known' },
      key: 'BotOpenIdMetadata',
    },
    {
      name: 'a token issuer override',
      env: { ...TENANT, ToBotFromChannelTokenIssuer: 'https://evil.example.com' },
      key: 'ToBotFromChannelTokenIssuer',
    },
    {
      name: 'demo mode with a real app id',
      env: { SECBOT_MODE: 'demo', MicrosoftAppId: TENANT.MicrosoftAppId ?? '' },
      key: 'MicrosoftAppId',
    },
    {
      name: 'demo mode pointed at a real Graph with a token',
      env: { SECBOT_MODE: 'demo', GRAPH_BASE_URL: 'https://graph.evil.example.com', GRAPH_TOKEN: SECRET },
      key: 'GRAPH_BASE_URL',
    },
    {
      name: 'demo mode with a non-loopback login root',
      env: { SECBOT_MODE: 'demo', LOGIN_BASE_URL: 'https://login.evil.example.com' },
      key: 'LOGIN_BASE_URL',
    },
  ];
  for (const { name, env, key } of refused) {
    it(`exits non-zero and names ${key} for ${name}`, () => {
      const { status, stderr } = start(env);
      assert.equal(status, 1);
      assert.match(stderr, new RegExp(`\\b${key}\\b`));
      assert.ok(!stderr.includes(SECRET), 'stderr must not contain the app password');
      assert.ok(!stderr.includes('evil.example.com'), 'stderr names keys, not values');
    });
  }
});
