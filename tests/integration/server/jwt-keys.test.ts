import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import sinon from 'sinon';
import { APP_ID, messageActivity, startHarness, type Harness } from './harness';
import { BOT_FRAMEWORK_ISSUER, generateRsaKey } from '../../support/openid-server';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token whose claims would be accepted, with the given header, signed with HMAC-SHA256 under `secret`. */
function hmacToken(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string): string {
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// Rows 3, 5 and 7 against the real CloudAdapter and a local OpenID/JWKS server. These guards live in botbuilder and
// jsonwebtoken; what is ours is the configuration (which metadata, which issuer) and the wrapper in bot/auth.ts that
// turns token-library errors into 401s. Each rejection has a control case that differs only in the property checked.
describe('POST /api/messages: signing keys (rows 3, 5, 7)', function () {
  this.timeout(20_000);
  let h: Harness;

  beforeEach(async () => {
    sinon.stub(console, 'error'); // CloudAdapter console.errors every rejected request
    h = await startHarness();
  });
  afterEach(async () => {
    sinon.restore();
    await h.close();
  });

  async function post(token: string, activity = messageActivity(h.connector.serviceUrl)): Promise<number> {
    const response = await h.post(activity, { authorization: `Bearer ${token}` });
    if (response.status === 401)
      assert.deepEqual(Object.keys(JSON.parse(response.text) as object).sort(), ['error', 'ref']);
    return response.status;
  }

  it('row 5: HS256 keyed with the public key (algorithm confusion) → 401, no turn; the same claims RS256-signed → 200', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: BOT_FRAMEWORK_ISSUER,
      aud: APP_ID,
      serviceurl: h.connector.serviceUrl,
      iat: now - 60,
      exp: now + 600,
    };
    // The exact PEM botbuilder verifies with: a verifier that trusted the header's alg would accept this signature.
    const forged = hmacToken({ alg: 'HS256', typ: 'JWT', kid: h.openid.kid }, claims, h.openid.publicKeyPem);
    assert.equal(await post(forged), 401);
    assert.equal(h.turns.length, 0);
    assert.equal(await post(h.openid.signToken(claims)), 200);
    assert.equal(h.turns.length, 1);
  });

  it('row 7: a key whose endorsements lack msteams → 401 for a Teams activity', async () => {
    h.openid.endorsements = ['webchat'];
    assert.equal(await post(h.validToken()), 401);
    assert.equal(h.turns.length, 0);
  });

  it('row 7: a key endorsed for msteams only → 401 for an activity claiming another channel', async () => {
    const activity = { ...messageActivity(h.connector.serviceUrl), channelId: 'webchat' };
    assert.equal(await post(h.validToken(), activity), 401);
    assert.equal(h.turns.length, 0);
  });

  it('row 7 control: the same token and activity with the key endorsed for msteams → 200', async () => {
    h.openid.endorsements = ['msteams'];
    assert.equal(await post(h.validToken()), 200);
    assert.equal(h.turns.length, 1);
  });

  it('row 3: unknown key ids refetch the signing keys at most once an hour; a rotated-in key is picked up then', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const claims = { iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: h.connector.serviceUrl };
    assert.equal(await post(h.validToken()), 200);
    assert.equal(h.openid.jwksFetches, 1);

    const attacker = generateRsaKey().privateKey;
    for (let i = 0; i < 5; i++)
      assert.equal(await post(h.openid.signToken(claims, { key: attacker, kid: `forged-${i}` })), 401);
    assert.equal(h.openid.jwksFetches, 1, 'unknown kids within the hour must not refetch');

    const rotated = h.openid.addKey();
    clock.setSystemTime(Date.now() + 30 * 60_000);
    assert.equal(await post(h.openid.signToken(claims, { key: rotated.privateKey, kid: rotated.kid })), 401);
    assert.equal(h.openid.jwksFetches, 1);

    clock.setSystemTime(Date.now() + 31 * 60_000);
    assert.equal(await post(h.openid.signToken(claims, { key: rotated.privateKey, kid: rotated.kid })), 200);
    assert.equal(h.openid.jwksFetches, 2, 'one refetch after the hour');
    for (let i = 0; i < 5; i++)
      assert.equal(await post(h.openid.signToken(claims, { key: attacker, kid: `forged-b${i}` })), 401);
    assert.equal(h.openid.jwksFetches, 2);
  });
});
