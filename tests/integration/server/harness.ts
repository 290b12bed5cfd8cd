import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TurnContext } from 'botbuilder';
import { AppCredentials } from 'botframework-connector';
import { createBotAuthentication } from '../../../bot/auth';
import { loadConfig, type Config } from '../../../bot/config';
import { createLogger } from '../../../bot/log';
import { createBotServer, type BotServer, type BotServerOptions } from '../../../bot/server';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { BOT_FRAMEWORK_ISSUER, startOpenIdServer, type OpenIdServer } from '../../support/openid-server';

export const APP_ID = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
export const APP_PASSWORD = 'test-app-password-Zq9!';
export const TENANT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Tenant-mode settings pointing Bot Framework trust at the local OpenID server (test-only overrides). */
export function tenantEnv(openid: OpenIdServer): Record<string, string> {
  return {
    SECBOT_MODE: 'tenant',
    HOST: '127.0.0.1',
    PORT: '0',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: APP_PASSWORD,
    MicrosoftAppType: 'MultiTenant',
    ALLOWED_TENANT_ID: TENANT_ID,
    OPERATORS_GROUP_ID: '11111111-2222-4333-8444-555555555555',
    APPROVERS_GROUP_ID: '11111111-2222-4333-8444-666666666666',
    AZURE_TENANT_ID: TENANT_ID,
    AZURE_CLIENT_ID: '11111111-2222-4333-8444-777777777777',
    AZURE_CLIENT_SECRET: 'graph-client-secret-Xy7',
    SECBOT_TEST_AUTH_OVERRIDES: 'true',
    ToBotFromChannelOpenIdMetadataUrl: openid.metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openid.metadataUrl,
    ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
    ToChannelFromBotLoginUrl: openid.loginUrl,
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ValidateAuthority: 'false',
  };
}

/** A Teams message activity addressed to the fake connector. */
export function messageActivity(serviceUrl: string, text = 'hello'): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    text,
    from: { id: 'user-1', aadObjectId: '11111111-2222-4333-8444-888888888888' },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: 'a:conv1', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** Everything a server test needs: the bot on a real port, its trust anchors, its connector and captured logs. */
export interface Harness {
  config: Config;
  bot: BotServer;
  url: string;
  openid: OpenIdServer;
  connector: FakeConnector;
  turns: TurnContext['activity'][];
  logs: string[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  validToken(claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** Starts the bot in tenant mode (or demo mode) with a recording turn handler unless onTurn is given. */
export async function startHarness(
  overrides: Partial<Pick<BotServerOptions, 'onTurn' | 'onTurnError' | 'readiness' | 'maxBodyBytes'>> & {
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  // botframework-connector caches outbound tokens process-wide by app id and scope (AppCredentials.cache, private in
  // its types); every harness has its own token endpoint, so each starts empty, or an earlier server's token is reused.
  (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.clear();
  const openid = await startOpenIdServer();
  const connector = await startFakeConnector();
  const config = loadConfig(overrides.env ?? tenantEnv(openid));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger('debug', sink);
  const turns: TurnContext['activity'][] = [];
  const bot = createBotServer({
    config,
    logger,
    auth: createBotAuthentication(config),
    onTurn:
      overrides.onTurn ??
      (async (context) => {
        turns.push(context.activity);
        await context.sendActivity('pong');
      }),
    ...(overrides.onTurnError !== undefined ? { onTurnError: overrides.onTurnError } : {}),
    ...(overrides.maxBodyBytes !== undefined ? { maxBodyBytes: overrides.maxBodyBytes } : {}),
    readiness: overrides.readiness ?? (() => Promise.resolve({ storage: true })),
  });
  const { url } = await bot.listen();
  return {
    config,
    bot,
    url,
    openid,
    connector,
    turns,
    logs,
    async post(body, headers = {}) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
    validToken(claims = {}) {
      return openid.signToken({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: connector.serviceUrl, ...claims });
    },
    async close() {
      await bot.close();
      await connector.close();
      await openid.close();
    },
  };
}
