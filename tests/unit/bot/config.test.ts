import assert from 'node:assert/strict';
import { AUTH_OVERRIDE_KEYS, describeConfig, loadConfig, type Config } from '../../../bot/config';
import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_GRAPH_TOKEN,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_TENANT_ID,
} from '../../../demo/constants';
import { isCodedError } from '../../../services/errors';

const APP_PASSWORD = 'app-password-Vq8#unique';
const CLIENT_SECRET = 'client-secret-Kp3$unique';

const TENANT: Record<string, string> = {
  SECBOT_MODE: 'tenant',
  MicrosoftAppId: '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b',
  MicrosoftAppPassword: APP_PASSWORD,
  ALLOWED_TENANT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  OPERATORS_GROUP_ID: '11111111-2222-4333-8444-555555555555',
  APPROVERS_GROUP_ID: '11111111-2222-4333-8444-666666666666',
  PROTECTED_GROUP_ID: 'none',
  AZURE_TENANT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  AZURE_CLIENT_ID: '11111111-2222-4333-8444-777777777777',
  AZURE_CLIENT_SECRET: CLIENT_SECRET,
};

function without(env: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !keys.includes(key)));
}

/** The config_invalid message for env; fails the test when loadConfig accepts it. */
function failure(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(isCodedError(err, 'config_invalid'), `expected config_invalid, got ${String(err)}`);
    return err.message;
  }
  assert.fail('loadConfig accepted an invalid configuration');
}

describe('bot/config loadConfig', () => {
  it('applies tenant defaults', () => {
    const config = loadConfig(TENANT);
    const expected: Partial<Config> = {
      mode: 'tenant',
      port: 3978,
      host: '0.0.0.0',
      loginBaseUrl: 'https://login.microsoftonline.com',
      storage: { kind: 'sqlite', path: './data/secbot.db' },
      dryRun: false,
      approvalTtlMinutes: 30,
      allowAdminTargets: false,
      passwordWriteback: false,
      alertPollSeconds: 60,
      stallMs: 15 * 60_000,
      exchangeAdminEnabled: false,
      logLevel: 'info',
      shutdownGraceMs: 20_000,
      allowedServiceUrlHosts: ['smba.trafficmanager.net'],
    };
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(config[key as keyof Config], value, key);
    assert.equal(config.graph.baseUrl, 'https://graph.microsoft.com');
    assert.deepEqual(config.graph.credential, {
      kind: 'clientSecret',
      tenantId: TENANT.AZURE_TENANT_ID,
      clientId: TENANT.AZURE_CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    assert.deepEqual(config.bot, { appId: TENANT.MicrosoftAppId, appType: 'MultiTenant', appPassword: APP_PASSWORD });
    assert.equal(config.authOverrides, undefined);
    assert.equal(config.protectedGroupId, undefined);
  });

  it('tenant mode requires PROTECTED_GROUP_ID: a group id, or an explicit none', () => {
    assert.match(failure(without(TENANT, 'PROTECTED_GROUP_ID')), /PROTECTED_GROUP_ID is required in tenant mode/);
    assert.match(failure({ ...TENANT, PROTECTED_GROUP_ID: 'breakglass' }), /PROTECTED_GROUP_ID must be a GUID or none/);
    assert.equal(loadConfig({ ...TENANT, PROTECTED_GROUP_ID: 'None' }).protectedGroupId, undefined);
    const id = '11111111-2222-4333-8444-999999999999';
    assert.equal(loadConfig({ ...TENANT, PROTECTED_GROUP_ID: id }).protectedGroupId, id);
    assert.ok(loadConfig({ SECBOT_MODE: 'demo' }).protectedGroupId);
  });

  it('defaults to tenant mode, so an empty environment is refused', () => {
    assert.match(failure({}), /SECBOT_MODE=tenant/);
  });

  it('applies demo defaults: loopback, demo tenant and groups, static token, fast polling', () => {
    const config = loadConfig({ SECBOT_MODE: 'demo' });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.bot.appId, '');
    assert.equal(config.allowedTenantId, DEMO_TENANT_ID);
    assert.equal(config.operatorsGroupId, DEMO_OPERATORS_GROUP_ID);
    assert.equal(config.approversGroupId, DEMO_APPROVERS_GROUP_ID);
    assert.equal(config.graph.baseUrl, 'http://127.0.0.1:56160');
    assert.equal(config.loginBaseUrl, 'http://127.0.0.1:56160');
    assert.deepEqual(config.graph.credential, { kind: 'static', token: DEMO_GRAPH_TOKEN });
    assert.equal(config.alertPollSeconds, 10);
    assert.equal(config.stallMs, 20_000);
    assert.deepEqual(config.allowedServiceUrlHosts, ['127.0.0.1', 'localhost']);
  });

  it('demo mode follows DEMO_GRAPH_PORT and accepts the Playground tenant id, which is not a GUID', () => {
    const config = loadConfig({
      SECBOT_MODE: 'demo',
      DEMO_GRAPH_PORT: '40001',
      ALLOWED_TENANT_ID: '00000000-0000-0000-0000-0000000000001',
    });
    assert.equal(config.graph.baseUrl, 'http://127.0.0.1:40001');
    assert.equal(config.allowedTenantId, '00000000-0000-0000-0000-0000000000001');
  });

  it('parses explicit values', () => {
    const config = loadConfig({
      ...TENANT,
      PORT: '8080',
      DRY_RUN: '1',
      ALLOW_ADMIN_TARGETS: 'true',
      PASSWORD_WRITEBACK: 'false',
      EXCHANGE_ADMIN_ENABLED: '0',
      APPROVAL_TTL_MINUTES: '45',
      STALL_MINUTES: '5',
      ALERT_POLL_SECONDS: '30',
      LOG_LEVEL: 'debug',
      GRAPH_BASE_URL: 'https://graph.example.com/',
      ALLOWED_SERVICE_URL_HOSTS: 'smba.trafficmanager.net, SMBA.infra.gcc.teams.microsoft.com',
      PROTECTED_GROUP_ID: '11111111-2222-4333-8444-999999999999',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.dryRun, true);
    assert.equal(config.allowAdminTargets, true);
    assert.equal(config.approvalTtlMinutes, 45);
    assert.equal(config.stallMs, 5 * 60_000);
    assert.equal(config.alertPollSeconds, 30);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.graph.baseUrl, 'https://graph.example.com');
    assert.deepEqual(config.allowedServiceUrlHosts, ['smba.trafficmanager.net', 'smba.infra.gcc.teams.microsoft.com']);
    assert.equal(config.protectedGroupId, '11111111-2222-4333-8444-999999999999');
  });

  it('supports managed identity and certificate Graph credentials', () => {
    const msi = loadConfig({
      ...without(TENANT, 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'),
      AZURE_USE_MANAGED_IDENTITY: 'true',
    });
    assert.deepEqual(msi.graph.credential, { kind: 'managedIdentity', clientId: TENANT.AZURE_CLIENT_ID });
    const cert = loadConfig({
      ...without(TENANT, 'AZURE_CLIENT_SECRET'),
      AZURE_CLIENT_CERTIFICATE_PATH: '/etc/secbot/graph.pem',
    });
    assert.equal(cert.graph.credential.kind, 'clientCertificate');
  });

  const requiredInTenant = [
    'MicrosoftAppId',
    'MicrosoftAppPassword',
    'ALLOWED_TENANT_ID',
    'OPERATORS_GROUP_ID',
    'APPROVERS_GROUP_ID',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
  ];
  for (const key of requiredInTenant) {
    it(`tenant mode names missing ${key}`, () => {
      assert.match(failure(without(TENANT, key)), new RegExp(`\\b${key}\\b`));
    });
  }

  it('treats an empty or blank MicrosoftAppId as missing (it would disable inbound auth)', () => {
    assert.match(failure({ ...TENANT, MicrosoftAppId: '' }), /MicrosoftAppId is required/);
    assert.match(failure({ ...TENANT, MicrosoftAppId: '   ' }), /MicrosoftAppId is required/);
  });

  it('names every missing key in one message', () => {
    const message = failure(
      without(TENANT, 'MicrosoftAppId', 'ALLOWED_TENANT_ID', 'APPROVERS_GROUP_ID', 'AZURE_CLIENT_SECRET'),
    );
    for (const key of ['MicrosoftAppId', 'ALLOWED_TENANT_ID', 'APPROVERS_GROUP_ID', 'AZURE_CLIENT_SECRET'])
      assert.match(message, new RegExp(key));
    assert.doesNotMatch(message, /OPERATORS_GROUP_ID/);
  });

  it('accepts a bot certificate instead of MicrosoftAppPassword, and SingleTenant needs MicrosoftAppTenantId', () => {
    const env = {
      ...without(TENANT, 'MicrosoftAppPassword'),
      BOT_CERTIFICATE_THUMBPRINT: 'AB12',
      BOT_CERTIFICATE_KEY_PATH: '/etc/secbot/bot.pem',
    };
    assert.deepEqual(loadConfig(env).bot.certificate, { thumbprint: 'AB12', privateKeyPath: '/etc/secbot/bot.pem' });
    assert.match(failure({ ...TENANT, MicrosoftAppType: 'SingleTenant' }), /MicrosoftAppTenantId is required/);
    assert.match(
      failure({ ...TENANT, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT.AZURE_TENANT_ID }),
      /MicrosoftAppPassword must be empty/,
    );
  });

  const invalid: { key: string; value: string }[] = [
    { key: 'PORT', value: 'eighty' },
    { key: 'PORT', value: '70000' },
    { key: 'DRY_RUN', value: 'yes' },
    { key: 'ALLOW_ADMIN_TARGETS', value: 'TRUE!' },
    { key: 'PASSWORD_WRITEBACK', value: 'enabled-yes' },
    { key: 'EXCHANGE_ADMIN_ENABLED', value: '2' },
    { key: 'AZURE_USE_MANAGED_IDENTITY', value: 'maybe' },
    { key: 'APPROVAL_TTL_MINUTES', value: '99999' },
    { key: 'ALERT_POLL_SECONDS', value: '1.5' },
    { key: 'ALERT_POLL_SECONDS', value: '2' },
    { key: 'LEASE_SECONDS', value: '1' },
    { key: 'STALL_MINUTES', value: '-3' },
    { key: 'LOG_LEVEL', value: 'verbose' },
    { key: 'SECBOT_MODE', value: 'prod' },
    { key: 'MicrosoftAppType', value: 'Multi-Tenant-X' },
    { key: 'GRAPH_BASE_URL', value: 'ftp://graph' },
    { key: 'STORAGE_URL', value: 'mysql://db' },
    { key: 'ALLOWED_TENANT_ID', value: 'contoso' },
    { key: 'ALLOWED_SERVICE_URL_HOSTS', value: 'https://evil/' },
    { key: 'SHUTDOWN_GRACE_SECONDS', value: '301' },
    { key: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: 'IngestionEndpoint=https://x.example/' },
  ];
  for (const { key, value } of invalid) {
    it(`names invalid ${key}=${value} without echoing the value`, () => {
      const message = failure({ ...TENANT, [key]: value });
      assert.match(message, new RegExp(`\\b${key}\\b`));
      assert.ok(!message.includes(value), 'the value must not be echoed');
    });
  }

  for (const key of AUTH_OVERRIDE_KEYS) {
    it(`refuses ${key} without SECBOT_TEST_AUTH_OVERRIDES and accepts it with the flag`, () => {
      assert.match(failure({ ...TENANT, [key]: 'https://localhost:1/x' }), new RegExp(`\\b${key}\\b`));
      const config = loadConfig({
        ...TENANT,
        HOST: '127.0.0.1',
        [key]: 'https://localhost:1/x',
        SECBOT_TEST_AUTH_OVERRIDES: 'true',
      });
      assert.deepEqual(config.authOverrides, { [key]: 'https://localhost:1/x' });
    });
  }

  it('refuses the test-only override flag on a non-loopback host', () => {
    assert.match(
      failure({ ...TENANT, SECBOT_TEST_AUTH_OVERRIDES: 'true', BotOpenIdMetadata: 'https://localhost:1/x' }),
      /SECBOT_TEST_AUTH_OVERRIDES/,
    );
  });

  it('refuses demo mode with real Bot Framework credentials', () => {
    assert.match(failure({ SECBOT_MODE: 'demo', MicrosoftAppId: TENANT.MicrosoftAppId ?? '' }), /MicrosoftAppId/);
    assert.match(failure({ SECBOT_MODE: 'demo', MicrosoftAppPassword: APP_PASSWORD }), /MicrosoftAppPassword/);
  });

  for (const host of ['0.0.0.0', '10.0.0.5', '::']) {
    it(`refuses demo mode bound to HOST=${host}`, () => {
      assert.match(failure({ SECBOT_MODE: 'demo', HOST: host }), /HOST/);
    });
  }

  it('demo mode accepts loopback Graph and login roots (https too, for the TLS tests)', () => {
    for (const url of ['http://127.0.0.1:1', 'https://localhost:2', 'http://[::1]:3']) {
      const config = loadConfig({ SECBOT_MODE: 'demo', GRAPH_BASE_URL: url, LOGIN_BASE_URL: url });
      assert.equal(config.graph.baseUrl, url);
      assert.equal(config.loginBaseUrl, url);
    }
  });

  for (const key of ['GRAPH_BASE_URL', 'LOGIN_BASE_URL']) {
    for (const url of ['https://graph.microsoft.com', 'http://10.0.0.7:56160', 'https://127.0.0.1.nip.example']) {
      it(`refuses demo mode with a non-loopback ${key}=${url}, naming the key (issue 10 item 7)`, () => {
        const message = failure({ SECBOT_MODE: 'demo', GRAPH_TOKEN: 'real-tenant-token', [key]: url });
        assert.match(message, new RegExp(`\\b${key} must be a loopback URL`));
        assert.ok(!message.includes(url));
      });
    }
  }

  it('accepts demo mode on a loopback HOST', () => {
    assert.equal(loadConfig({ SECBOT_MODE: 'demo', HOST: 'localhost' }).host, 'localhost');
  });

  it('"was this you?": off in tenant mode, on in demo; CONFIRM_MINUTES 30 by default; a catalog id is a GUID', () => {
    const tenant = loadConfig(TENANT);
    assert.equal(tenant.userConfirmations, false);
    assert.equal(tenant.confirmMs, 30 * 60_000);
    assert.equal(tenant.teamsAppCatalogId, undefined);
    const demo = loadConfig({ SECBOT_MODE: 'demo' });
    assert.equal(demo.userConfirmations, true);
    assert.ok(demo.teamsAppCatalogId);
    const on = loadConfig({
      ...TENANT,
      USER_CONFIRMATIONS: 'true',
      CONFIRM_MINUTES: '45',
      TEAMS_APP_CATALOG_ID: '22222222-3333-4444-8555-666666666666',
    });
    assert.equal(on.userConfirmations, true);
    assert.equal(on.confirmMs, 45 * 60_000);
    assert.equal(on.teamsAppCatalogId, '22222222-3333-4444-8555-666666666666');
    assert.match(failure({ ...TENANT, CONFIRM_MINUTES: '0' }), /CONFIRM_MINUTES must be a whole number from 1 to 1440/);
    assert.match(failure({ ...TENANT, TEAMS_APP_CATALOG_ID: 'my-app' }), /TEAMS_APP_CATALOG_ID must be a GUID/);
    assert.match(failure({ ...TENANT, USER_CONFIRMATIONS: 'yes' }), /USER_CONFIRMATIONS must be true, false/);
  });

  it('refuses GRAPH_TOKEN (a demo-only static token) in tenant mode', () => {
    assert.match(failure({ ...TENANT, GRAPH_TOKEN: 'static-token-value' }), /GRAPH_TOKEN/);
  });
});

describe('bot/config secrets', () => {
  const secrets = [APP_PASSWORD, CLIENT_SECRET];

  it('never puts secret values in the error message', () => {
    const message = failure({
      ...TENANT,
      PORT: 'x',
      DRY_RUN: 'maybe',
      MicrosoftAppId: 'not-a-guid',
      GRAPH_TOKEN: 'graph-token-Qw1',
    });
    for (const secret of [...secrets, 'graph-token-Qw1']) assert.ok(!message.includes(secret));
  });

  it('describeConfig replaces secrets with [set] and keeps the rest', () => {
    const config = loadConfig({
      ...TENANT,
      STORAGE_URL: 'azure-blob:secbot',
      AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=storage-key-Zz9',
    });
    const text = JSON.stringify(describeConfig(config));
    for (const secret of [...secrets, 'storage-key-Zz9']) assert.ok(!text.includes(secret), `leaked ${secret}`);
    assert.match(text, /"appPassword":"\[set\]"/);
    assert.match(text, /"clientSecret":"\[set\]"/);
    assert.match(text, new RegExp(TENANT.ALLOWED_TENANT_ID ?? 'missing'));
  });

  it('describeConfig hides the Application Insights connection string (its key lets anyone write telemetry)', () => {
    const connection = 'InstrumentationKey=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0;IngestionEndpoint=https://x.example/';
    const config = loadConfig({
      ...TENANT,
      APPLICATIONINSIGHTS_CONNECTION_STRING: connection,
      SHUTDOWN_GRACE_SECONDS: '5',
    });
    assert.equal(config.applicationInsightsConnectionString, connection);
    assert.equal(config.shutdownGraceMs, 5_000);
    const text = JSON.stringify(describeConfig(config));
    assert.ok(!text.includes('0f1e2d3c'), text);
    assert.match(text, /"applicationInsightsConnectionString":"\[set\]"/);
  });

  it('describeConfig hides the demo static token too', () => {
    const text = JSON.stringify(describeConfig(loadConfig({ SECBOT_MODE: 'demo', GRAPH_TOKEN: 'demo-token-Pp4' })));
    assert.ok(!text.includes('demo-token-Pp4'));
    assert.match(text, /"token":"\[set\]"/);
  });
});

describe('bot/config WATCHED_MAILBOXES', () => {
  it('defaults to the demo watched mailbox in demo mode and to none in tenant mode', () => {
    assert.deepEqual(loadConfig({ SECBOT_MODE: 'demo' }).watchedMailboxes, ['pattif@example.com']);
  });

  it('parses a comma-separated list and names the key when an entry is not a UPN', () => {
    assert.deepEqual(
      loadConfig({ SECBOT_MODE: 'demo', WATCHED_MAILBOXES: 'a@example.com, b@example.com' }).watchedMailboxes,
      ['a@example.com', 'b@example.com'],
    );
    assert.throws(
      () => loadConfig({ SECBOT_MODE: 'demo', WATCHED_MAILBOXES: 'a@example.com,not a upn' }),
      /WATCHED_MAILBOXES/,
    );
  });
});

describe('bot/config LEASE_SECONDS and the poll interval', () => {
  it('defaults the lease to 60 s and lets demo mode poll every second (tests of takeover), tenant mode every 5 s', () => {
    assert.equal(loadConfig(TENANT).leaseSeconds, 60);
    const fast = loadConfig({ SECBOT_MODE: 'demo', ALERT_POLL_SECONDS: '1', LEASE_SECONDS: '3' });
    assert.deepEqual([fast.alertPollSeconds, fast.leaseSeconds], [1, 3]);
    assert.equal(loadConfig({ ...TENANT, ALERT_POLL_SECONDS: '5' }).alertPollSeconds, 5);
  });
});

describe('bot/config storage settings', () => {
  const ACCOUNT_KEY = 'c2VjcmV0LWFjY291bnQta2V5';
  const CONNECTION = `DefaultEndpointsProtocol=https;AccountName=secbot;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

  it('accepts azure-blob:<container> with a connection string or an account URL, and memory: in demo mode', () => {
    assert.deepEqual(
      loadConfig({ ...TENANT, STORAGE_URL: 'azure-blob:secbot', AZURE_STORAGE_CONNECTION_STRING: CONNECTION }).storage,
      { kind: 'azure-blob', container: 'secbot', account: { kind: 'connection-string', connectionString: CONNECTION } },
    );
    assert.deepEqual(
      loadConfig({
        ...TENANT,
        STORAGE_URL: 'azure-blob:secbot',
        AZURE_STORAGE_ACCOUNT_URL: 'https://secbot.blob.core.windows.net/',
      }).storage,
      {
        kind: 'azure-blob',
        container: 'secbot',
        account: { kind: 'account-url', url: 'https://secbot.blob.core.windows.net' },
      },
    );
    assert.deepEqual(loadConfig({ SECBOT_MODE: 'demo', STORAGE_URL: 'memory:' }).storage, { kind: 'memory' });
  });

  const refused: { name: string; env: Record<string, string>; key: string }[] = [
    { name: 'a connection string in STORAGE_URL (the old form)', env: { STORAGE_URL: CONNECTION }, key: 'STORAGE_URL' },
    { name: 'memory: in tenant mode', env: { STORAGE_URL: 'memory:' }, key: 'STORAGE_URL' },
    {
      name: 'azure-blob without an account',
      env: { STORAGE_URL: 'azure-blob:secbot' },
      key: 'AZURE_STORAGE_CONNECTION_STRING',
    },
    {
      name: 'an account key alone as the connection string',
      env: { STORAGE_URL: 'azure-blob:secbot', AZURE_STORAGE_CONNECTION_STRING: ACCOUNT_KEY },
      key: 'AZURE_STORAGE_CONNECTION_STRING',
    },
    {
      name: 'a connection string while STORAGE_URL is SQLite',
      env: { AZURE_STORAGE_CONNECTION_STRING: CONNECTION },
      key: 'AZURE_STORAGE_CONNECTION_STRING',
    },
    {
      name: 'an account URL with a SAS',
      env: {
        STORAGE_URL: 'azure-blob:secbot',
        AZURE_STORAGE_ACCOUNT_URL: `https://secbot.blob.core.windows.net/?sv=2024&sig=${ACCOUNT_KEY}`,
      },
      key: 'AZURE_STORAGE_ACCOUNT_URL',
    },
  ];
  for (const { name, env, key } of refused) {
    it(`refuses ${name}, naming ${key} and echoing no key material`, () => {
      const message = failure({ ...TENANT, ...env });
      assert.match(message, new RegExp(`\\b${key}\\b`));
      assert.ok(!message.includes(ACCOUNT_KEY), 'the account key must not be echoed');
    });
  }

  it('refuses an account URL in demo mode, which has no Azure identity to sign in with', () => {
    assert.match(
      failure({
        SECBOT_MODE: 'demo',
        STORAGE_URL: 'azure-blob:secbot',
        AZURE_STORAGE_ACCOUNT_URL: 'https://secbot.blob.core.windows.net',
      }),
      /AZURE_STORAGE_ACCOUNT_URL/,
    );
  });
});
