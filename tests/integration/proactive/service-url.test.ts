import assert from 'node:assert/strict';
import sinon from 'sinon';
import { conversationRefOf } from '../../../bot/proactive/conversation-ref';
import { createMessenger } from '../../../bot/proactive/messenger';
import type { CodedError } from '../../../services/errors';
import type { ConversationRef, Messenger } from '../../../services/messaging/port';
import { createRecordingLogger, type RecordingLogger } from '../../fakes/recording-logger';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { APP_ID, TENANT_ID, messageActivity, startHarness, type Harness } from '../server/harness';

// Row 39 over the real CloudAdapter in tenant mode: the bot's Bot Framework token (from the local token endpoint)
// goes to whichever connector the reference names, so "refused" must mean no request reaches any connector.
describe('proactive sends check the serviceUrl they actually use (row 39, issue 10 item 1)', function () {
  this.timeout(20_000);
  let h: Harness;
  let attacker: FakeConnector;
  let messenger: Messenger;
  let logger: RecordingLogger;
  let trusted: FakeConnector;

  before(async () => {
    sinon.stub(console, 'error');
    h = await startHarness();
    trusted = await startFakeConnector({ https: true });
    attacker = await startFakeConnector({ https: true });
  });
  after(async () => {
    sinon.restore();
    await trusted.close();
    await attacker.close();
    await h.close();
  });
  beforeEach(() => {
    trusted.requests.length = 0;
    attacker.requests.length = 0;
    logger = createRecordingLogger();
    // Both connectors are https://localhost:<port>: the host allow-list alone cannot tell them apart.
    messenger = createMessenger({
      adapter: h.bot.adapter,
      appId: APP_ID,
      allowedTenantId: TENANT_ID,
      allowedServiceUrlHosts: ['localhost'],
      logger,
    });
  });

  const stored = (): ConversationRef => conversationRefOf(messageActivity(trusted.serviceUrl));
  const tampered = (ref: ConversationRef, serviceUrl: string): ConversationRef => ({
    ...ref,
    reference: { ...ref.reference, serviceUrl },
  });

  it('control: an intact reference is used for sends, updates and new personal chats, with the bot token', async () => {
    await messenger.send(stored(), { text: 'alert' });
    await messenger.update(stored(), 'activity-1', { text: 'updated' });
    // The fake connector's answer is not a full ConversationResourceResponse; only the request matters here.
    await messenger.personalChat(stored(), { aadObjectId: '11111111-2222-4333-8444-888888888888' }).catch(() => null);
    const requests = await trusted.waitForRequests(3);
    const calls = requests.map((r) => `${r.method} ${r.path}`);
    assert.match(calls[0] ?? '', /^POST \/v3\/conversations\/a%3Aconv1\/activities/);
    assert.equal(calls[1], 'PUT /v3/conversations/a%3Aconv1/activities/activity-1');
    assert.equal(calls[2], 'POST /v3/conversations');
    assert.ok(requests.every((r) => r.headers.authorization === `Bearer ${h.openid.accessToken}`));
    assert.deepEqual((requests[2]?.body as { members?: unknown }).members, [
      { id: '11111111-2222-4333-8444-888888888888' },
    ]);
    assert.deepEqual((requests[2]?.body as { tenantId?: unknown }).tenantId, TENANT_ID);
  });

  it('a reference whose serviceUrl differs from the stored one is refused: no request leaves, a warning is logged', async () => {
    const ref = tampered(stored(), attacker.serviceUrl);
    for (const attempt of [
      () => messenger.send(ref, { text: 'alert' }),
      () => messenger.update(ref, 'activity-1', { text: 'alert' }),
      () => messenger.personalChat(ref, { aadObjectId: '11111111-2222-4333-8444-888888888888' }),
    ]) {
      await assert.rejects(attempt(), (e: CodedError) => e.code === 'teams_service_url_not_allowed');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(attacker.requests.length, 0, 'the attacker connector must receive nothing');
    assert.equal(trusted.requests.length, 0);
    const warnings = logger.lines.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, 3);
    assert.ok(warnings.every((w) => w.fields.reason === 'mismatch'));
  });

  it('both fields on a host that is not allow-listed: refused, nothing sent', async () => {
    const url = attacker.serviceUrl.replace('localhost', '127.0.0.1');
    const ref = { ...tampered(stored(), url), serviceUrl: url };
    await assert.rejects(messenger.send(ref, { text: 'alert' }), (e: CodedError) => e.details.reason === 'host');
    await assert.rejects(
      messenger.personalChat(ref, { aadObjectId: 'x' }),
      (e: CodedError) => e.details.reason === 'host',
    );
    assert.equal(attacker.requests.length, 0);
  });
});
