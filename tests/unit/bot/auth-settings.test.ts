import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { botAuthenticationSettings, createBotAuthentication } from '../../../bot/auth';
import { loadConfig } from '../../../bot/config';

// What botbuilder is told about whose tokens to trust and how the bot proves itself, built from the parsed config only
// (bot/auth.ts): never from process.env, whose extra keys would re-point trust.
const APP_ID = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
const TENANT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BASE: Record<string, string> = {
  SECBOT_MODE: 'tenant',
  MicrosoftAppId: APP_ID,
  ALLOWED_TENANT_ID: TENANT_ID,
  OPERATORS_GROUP_ID: '11111111-2222-4333-8444-555555555555',
  APPROVERS_GROUP_ID: '11111111-2222-4333-8444-666666666666',
  PROTECTED_GROUP_ID: 'none',
  AZURE_TENANT_ID: TENANT_ID,
  AZURE_CLIENT_ID: '11111111-2222-4333-8444-777777777777',
  AZURE_CLIENT_SECRET: 'client-secret',
};

describe('bot/auth: botbuilder settings from the parsed config', () => {
  it('demo mode gives botbuilder no credentials at all (anonymous, loopback only)', () => {
    assert.deepEqual(botAuthenticationSettings(loadConfig({ SECBOT_MODE: 'demo' })), {});
  });

  it('a multi-tenant app with a password: id, type and password, nothing else', () => {
    const settings = botAuthenticationSettings(loadConfig({ ...BASE, MicrosoftAppPassword: 'pw-1' }));
    assert.deepEqual(settings, {
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppPassword: 'pw-1',
    });
  });

  it('a single-tenant app names its tenant', () => {
    const settings = botAuthenticationSettings(
      loadConfig({
        ...BASE,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT_ID,
        MicrosoftAppPassword: 'pw',
      }),
    );
    assert.equal(settings.MicrosoftAppType, 'SingleTenant');
    assert.equal(settings.MicrosoftAppTenantId, TENANT_ID);
  });

  it('a certificate credential passes the thumbprint and the key read from its file, and no password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secbot-cert-'));
    try {
      const keyPath = join(dir, 'bot.pem');
      writeFileSync(keyPath, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
      const settings = botAuthenticationSettings(
        loadConfig({ ...BASE, BOT_CERTIFICATE_THUMBPRINT: 'AB12CD', BOT_CERTIFICATE_KEY_PATH: keyPath }),
      );
      assert.equal(settings.CertificateThumbprint, 'AB12CD');
      // The PEM text itself (botbuilder signs with a string key), not a Buffer of it.
      assert.equal(settings.CertificatePrivateKey, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
      assert.equal('MicrosoftAppPassword' in settings, false);
      assert.equal('MicrosoftAppTenantId' in settings, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bot/auth: createBotAuthentication', () => {
  const refuses401 = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 401;
  const activity = {
    type: 'message',
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id: 'a:1' },
  };

  it('tenant mode with production settings (no test overrides) builds, and refuses a request without a token', async () => {
    const auth = createBotAuthentication(loadConfig({ ...BASE, MicrosoftAppPassword: 'pw-1' }));
    await assert.rejects(auth.authenticateRequest(activity as never, ''), refuses401);
  });

  it('demo mode builds an anonymous authentication: a request without a token gets no claims', async () => {
    const auth = createBotAuthentication(loadConfig({ SECBOT_MODE: 'demo' }));
    const result = await auth.authenticateRequest(activity as never, '');
    assert.deepEqual(result.claimsIdentity.claims, []);
  });

  it('a certificate credential with the test login authority builds (the local MSAL client is for a password only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secbot-cert-'));
    try {
      const keyPath = join(dir, 'bot.pem');
      writeFileSync(keyPath, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
      const auth = createBotAuthentication(
        loadConfig({
          ...BASE,
          HOST: '127.0.0.1',
          BOT_CERTIFICATE_THUMBPRINT: 'AB12CD',
          BOT_CERTIFICATE_KEY_PATH: keyPath,
          SECBOT_TEST_AUTH_OVERRIDES: 'true',
          ToChannelFromBotLoginUrl: 'https://localhost:4443/tenant',
        }),
      );
      await assert.rejects(auth.authenticateRequest(activity as never, ''), refuses401);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
