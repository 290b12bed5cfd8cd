import assert from 'node:assert/strict';
import sinon from 'sinon';
import { APP_ID, messageActivity, startHarness, type Harness } from './harness';
import { BOT_FRAMEWORK_ISSUER, generateRsaKey } from '../../support/openid-server';

function unsignedToken(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(claims)}.${signature}`;
}

describe('POST /api/messages: Bot Framework JWT', () => {
  let h: Harness;

  beforeEach(async () => {
    sinon.stub(console, 'error'); // CloudAdapter console.errors every rejected request
    h = await startHarness();
  });

  afterEach(async () => {
    sinon.restore();
    await h.close();
  });

  it('accepts a valid token, runs the turn and replies with the bot token from the token endpoint', async () => {
    const activity = messageActivity(h.connector.serviceUrl, 'ping');
    const response = await h.post(activity, { authorization: `Bearer ${h.validToken()}` });

    assert.equal(response.status, 200);
    assert.equal(h.turns.length, 1);
    assert.equal(h.turns[0]?.text, 'ping');
    const [reply] = await h.connector.waitForRequests(1);
    assert.equal(reply?.method, 'POST');
    assert.equal(reply?.path, `/v3/conversations/a%3Aconv1/activities/${String(activity.id)}`);
    assert.equal(reply?.headers.authorization, `Bearer ${h.openid.accessToken}`);
    assert.equal((reply?.body as { text?: string }).text, 'pong');
    assert.equal(h.openid.tokenRequests.length, 1);
    assert.equal(h.openid.tokenRequests[0]?.form.grant_type, 'client_credentials');
    assert.equal(h.openid.tokenRequests[0]?.form.client_id, APP_ID);
  });

  const now = (): number => Math.floor(Date.now() / 1000);
  const cases: { name: string; token: (h: Harness) => string | undefined }[] = [
    { name: 'no Authorization header', token: () => undefined },
    { name: 'a token expired beyond the 5 min tolerance', token: (h) => h.validToken({ exp: now() - 10 * 60 }) },
    {
      name: 'a token not valid for another 20 minutes (nbf)',
      token: (h) => h.validToken({ nbf: now() + 20 * 60, exp: now() + 60 * 60 }),
    },
    { name: 'another audience', token: (h) => h.validToken({ aud: '99999999-9999-4999-8999-999999999999' }) },
    { name: 'another issuer', token: (h) => h.validToken({ iss: 'https://evil.example.com' }) },
    {
      name: 'a serviceurl claim for another host',
      token: (h) => h.validToken({ serviceurl: 'https://evil.example.com/' }),
    },
    {
      name: 'an unknown kid',
      token: (h) =>
        h.openid.signToken(
          { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl },
          { kid: 'unknown-kid' },
        ),
    },
    {
      name: 'a forged signature (known kid, attacker key)',
      token: (h) =>
        h.openid.signToken(
          { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl },
          { key: generateRsaKey().privateKey },
        ),
    },
    {
      name: 'alg none',
      token: (h) =>
        unsignedToken(
          { alg: 'none', typ: 'JWT', kid: h.openid.kid },
          { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl, exp: now() + 600 },
        ),
    },
    // HS256 keyed with the public key (algorithm confusion) is a real forgery in jwt-keys.test.ts.
    { name: 'a non-Bearer scheme', token: (h) => h.validToken().replace(/^/, 'Basic:') },
  ];

  for (const { name, token } of cases) {
    it(`rejects ${name} with a generic 401 and runs no turn`, async () => {
      const value = token(h);
      const headers: Record<string, string> =
        value === undefined
          ? {}
          : { authorization: value.startsWith('Basic:') ? `Basic ${value.slice(6)}` : `Bearer ${value}` };
      const response = await h.post(messageActivity(h.connector.serviceUrl), headers);

      assert.equal(response.status, 401);
      const body = JSON.parse(response.text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['error', 'ref']);
      assert.equal(body.error, 'unauthorized');
      assert.equal(h.turns.length, 0);
      assert.equal(h.connector.requests.length, 0);
    });
  }

  it('keeps tokens and the app password out of the logs', async () => {
    const token = h.validToken();
    await h.post(messageActivity(h.connector.serviceUrl), { authorization: `Bearer ${token}` });
    await h.post(messageActivity(h.connector.serviceUrl), {
      authorization: `Bearer ${h.validToken({ aud: 'other' })}`,
    });
    await h.connector.waitForRequests(1);

    const text = h.logs.join('');
    assert.ok(h.logs.length > 0, 'the server should have logged the rejection');
    assert.doesNotMatch(text, /eyJ/);
    assert.ok(!text.includes(h.openid.accessToken));
    assert.ok(!text.includes('test-app-password'));
  });
});
