import assert from 'node:assert/strict';
import { createMessenger } from '../../../../bot/proactive/messenger';
import type { CodedError } from '../../../../services/errors';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { createFakeConnector } from './fake-connector';

const TENANT = '11111111-2222-3333-4444-555555555555';
const SMBA = 'https://smba.trafficmanager.net/emea/';

function ref(serviceUrl: string, referenceUrl: unknown = serviceUrl, tenantId = TENANT): ConversationRef {
  return {
    conversationId: '19:general@thread.tacv2',
    conversationType: 'channel',
    tenantId,
    serviceUrl,
    reference: { serviceUrl: referenceUrl, conversation: { id: '19:general@thread.tacv2' } },
  };
}

function setup(mode: 'demo' | 'tenant') {
  const connector = createFakeConnector(() => null);
  const logger = createRecordingLogger();
  const messenger = createMessenger({
    adapter: connector.adapter,
    appId: 'app',
    allowedTenantId: TENANT,
    allowedServiceUrlHosts: mode === 'demo' ? ['127.0.0.1', 'localhost'] : ['smba.trafficmanager.net'],
    allowLoopbackHttp: mode === 'demo',
    logger,
  });
  return { messenger, logger, ...connector };
}

describe('bot/proactive/messenger: the serviceUrl that is used is checked (row 39)', () => {
  it('sends to an https allow-listed serviceUrl stored consistently (control)', async () => {
    const { messenger, posts } = setup('tenant');
    assert.deepEqual(await messenger.send(ref(SMBA), { text: 'x' }), { activityId: 'msg-1' });
    assert.equal(posts[0]?.serviceUrl, SMBA);
  });

  it('demo mode accepts the Playground: plain http on loopback (control)', async () => {
    const { messenger, posts } = setup('demo');
    await messenger.send(ref('http://127.0.0.1:56150/'), { text: 'x' });
    await messenger.send(ref('http://localhost:56150/'), { text: 'x' });
    assert.equal(posts.length, 2);
  });

  const refused: { name: string; mode: 'demo' | 'tenant'; to: ConversationRef; reason: string }[] = [
    {
      name: 'reference serviceUrl ≠ stored serviceUrl',
      mode: 'tenant',
      to: ref(SMBA, 'https://evil.example/'),
      reason: 'mismatch',
    },
    {
      name: 'same host, other path in the reference',
      mode: 'tenant',
      to: ref(SMBA, 'https://smba.trafficmanager.net/amer/'),
      reason: 'mismatch',
    },
    { name: 'no serviceUrl in the reference', mode: 'tenant', to: ref(SMBA, null), reason: 'invalid' },
    { name: 'a serviceUrl that is not a URL', mode: 'tenant', to: ref('smba', 'smba'), reason: 'invalid' },
    {
      name: 'http to an allow-listed host',
      mode: 'tenant',
      to: ref('http://smba.trafficmanager.net/emea/'),
      reason: 'not-https',
    },
    {
      name: 'loopback http outside demo mode',
      mode: 'tenant',
      to: ref('http://127.0.0.1:56150/'),
      reason: 'not-https',
    },
    {
      name: 'http to a non-loopback host in demo mode',
      mode: 'demo',
      to: ref('http://10.0.0.5:56150/'),
      reason: 'not-https',
    },
    {
      name: 'another scheme on loopback in demo mode',
      mode: 'demo',
      to: ref('ftp://127.0.0.1:56150/'),
      reason: 'not-https',
    },
    {
      name: 'userinfo in the URL',
      mode: 'tenant',
      to: ref('https://a:b@smba.trafficmanager.net/emea/'),
      reason: 'credentials',
    },
    {
      name: 'a host not on the allow-list',
      mode: 'tenant',
      to: ref('https://smba.trafficmanager.net.evil.example/'),
      reason: 'host',
    },
    { name: 'a conversation of another tenant', mode: 'tenant', to: ref(SMBA, SMBA, 'other-tenant'), reason: 'tenant' },
  ];
  for (const { name, mode, to, reason } of refused) {
    it(`refuses ${name}: send, update and personalChat make no connector call and log why`, async () => {
      const { messenger, posts, created, logger } = setup(mode);
      const isRefusal = (e: CodedError): boolean =>
        e.code === 'teams_service_url_not_allowed' && e.details.reason === reason;
      await assert.rejects(messenger.send(to, { text: 'x' }), isRefusal);
      await assert.rejects(messenger.update(to, 'a1', { text: 'x' }), isRefusal);
      await assert.rejects(messenger.personalChat(to, { aadObjectId: 'u' }), isRefusal);
      assert.equal(posts.length, 0);
      assert.equal(created.length, 0);
      const warnings = logger.lines.filter((l) => l.level === 'warn');
      assert.equal(warnings.length, 3);
      assert.ok(warnings.every((w) => w.fields.reason === reason && /refused a proactive message/.test(w.msg)));
    });
  }

  it('personalChat creates the chat at the checked serviceUrl', async () => {
    const { messenger, created } = setup('tenant');
    await assert.rejects(
      messenger.personalChat(ref(SMBA), { aadObjectId: 'u' }),
      (e: CodedError) => e.code === 'teams_failed',
    );
    assert.deepEqual(created, [{ serviceUrl: SMBA }]);
  });
});
