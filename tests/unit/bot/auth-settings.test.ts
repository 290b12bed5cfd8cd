import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { botAuthenticationSettings } from '../../../bot/auth';
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
      assert.match(String(settings.CertificatePrivateKey), /BEGIN PRIVATE KEY/);
      assert.equal('MicrosoftAppPassword' in settings, false);
      assert.equal('MicrosoftAppTenantId' in settings, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
