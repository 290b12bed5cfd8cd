import assert from 'node:assert/strict';
import { CloudAdapter } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import sinon from 'sinon';
import { createBotAuthentication } from '../../../bot/auth';
import { loadConfig } from '../../../bot/config';
import { BOT_FRAMEWORK_ISSUER, generateRsaKey, startOpenIdServer } from '../../support/openid-server';
import { APP_ID, TENANT_ID, messageActivity, startHarness, tenantEnv, type Harness } from './harness';

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number }).statusCode;

// bot/auth.ts wraps botbuilder's authentication: every entry point CloudAdapter may call is the real one, token-library
// errors become 401s, and faults of the trust anchors (the signing-key endpoint) stay server faults.
describe('bot/auth: every entry point of the inbound authentication', function () {
  this.timeout(20_000);
  let h: Harness;

  beforeEach(async () => {
    sinon.stub(console, 'error'); // botbuilder console.errors every rejected token
    h = await startHarness();
  });
  afterEach(async () => {
    sinon.restore();
    await h.close();
  });

  it('streaming requests: a valid token is accepted; a forged signature or an expired token is a 401', async () => {
    const auth = createBotAuthentication(h.config);
    const accepted = await auth.authenticateStreamingRequest(`Bearer ${h.validToken()}`, 'msteams');
    assert.equal(accepted.claimsIdentity.isAuthenticated, true);
    assert.equal(accepted.claimsIdentity.getClaimValue('aud'), APP_ID);

    const forged = h.openid.signToken(
      { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl },
      { key: generateRsaKey().privateKey },
    );
    const expired = h.validToken({ exp: Math.floor(Date.now() / 1000) - 10 * 60 });
    for (const token of [forged, expired])
      await assert.rejects(auth.authenticateStreamingRequest(`Bearer ${token}`, 'msteams'), (err: unknown) => {
        assert.ok(err instanceof AuthenticationError, `a 401 AuthenticationError, got ${String(err)}`);
        assert.equal(statusOf(err), 401);
        return true;
      });
  });

  it('channel (skill) requests: a missing or forged token is refused', async () => {
    const auth = createBotAuthentication(h.config);
    await assert.rejects(auth.authenticateChannelRequest(''), (err: unknown) => statusOf(err) === 401);
    const forged = h.openid.signToken(
      { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl },
      { key: generateRsaKey().privateKey },
    );
    await assert.rejects(auth.authenticateChannelRequest(`Bearer ${forged}`));
  });

  it('a proactive send in tenant mode carries the bot token, issued for the Bot Framework audience', async () => {
    const activity = messageActivity(h.connector.serviceUrl);
    const reference = {
      channelId: 'msteams',
      serviceUrl: h.connector.serviceUrl,
      conversation: { id: 'a:conv1', tenantId: TENANT_ID, isGroup: false, conversationType: 'personal', name: '' },
      bot: { id: `28:${APP_ID}`, name: 'bot' },
      user: activity.from as { id: string; name: string },
    };
    await h.bot.adapter.continueConversationAsync(APP_ID, reference, async (context) => {
      await context.sendActivity('proactive');
    });
    const [sent] = await h.connector.waitForRequests(1);
    assert.equal(sent?.headers.authorization, `Bearer ${h.openid.accessToken}`);
    assert.equal((sent?.body as { text?: string }).text, 'proactive');
    assert.equal(h.openid.tokenRequests[0]?.form.client_id, APP_ID);
    assert.equal(h.openid.tokenRequests[0]?.form.scope, 'https://api.botframework.com/.default');
  });

  it('the test login authority may be named by its loopback address (127.0.0.1) as well as localhost', async () => {
    const config = loadConfig({
      ...tenantEnv(h.openid),
      ToChannelFromBotLoginUrl: h.openid.loginUrl.replace('//localhost:', '//127.0.0.1:'),
    });
    const adapter = new CloudAdapter(createBotAuthentication(config));
    const reference = {
      channelId: 'msteams',
      serviceUrl: h.connector.serviceUrl,
      conversation: { id: 'a:conv1', tenantId: TENANT_ID, isGroup: false, conversationType: 'personal', name: '' },
      bot: { id: `28:${APP_ID}`, name: 'bot' },
    };
    await adapter.continueConversationAsync(APP_ID, reference, async (context) => {
      await context.sendActivity('proactive');
    });
    const [sent] = await h.connector.waitForRequests(1);
    assert.equal(sent?.headers.authorization, `Bearer ${h.openid.accessToken}`);
    assert.equal(h.openid.tokenRequests.length, 1);
  });

  it('a rejected token is logged with why (a forged signature: "invalid signature"), never with the token', async () => {
    const forged = h.openid.signToken(
      { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl },
      { key: generateRsaKey().privateKey },
    );
    const response = await h.post(messageActivity(h.connector.serviceUrl), { authorization: `Bearer ${forged}` });
    assert.equal(response.status, 401);
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const rejected = lines.find((line) => line.msg === 'inbound request rejected by Bot Framework authentication');
    assert.match(String(rejected?.reason), /invalid signature/);
    assert.ok(!h.logs.join('').includes(forged.split('.')[2] ?? ''), 'no token in the log');
  });

  it('a failing signing-key endpoint is a server fault (500), not a 401 blamed on the caller', async () => {
    const openid = await startOpenIdServer();
    try {
      const broken = loadConfig({
        ...tenantEnv(openid),
        ToBotFromChannelOpenIdMetadataUrl: `${openid.origin}/gone/.well-known/openid-configuration`,
      });
      const auth = createBotAuthentication(broken);
      const token = openid.signToken({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl });
      await assert.rejects(
        auth.authenticateRequest(messageActivity(h.connector.serviceUrl) as never, `Bearer ${token}`),
        (err: unknown) => {
          assert.equal(statusOf(err), 500, `a server fault, got ${String(err)}`);
          assert.doesNotMatch(String((err as Error).message), /^Unauthorized/);
          return true;
        },
      );
    } finally {
      await openid.close();
    }
  });
});
