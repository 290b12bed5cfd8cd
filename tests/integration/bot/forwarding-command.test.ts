import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import assert from 'node:assert/strict';
import { TestAdapter } from 'botbuilder';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createGraphClient, createUserResolver, type GraphClient } from '../../../services/graph';
import { systemClock } from '../../../services/clock';
import type { Upn } from '../../../services/ids';
import { createExchangeAdminReader, EXCHANGE_PERMISSION } from '../../../services/mailbox/exchange-admin';
import { checkForwarding, type ForwardingReport } from '../../../services/mailbox/forwarding-check';
import { markdownSurfaces, textRuns } from '../../support/cards';
import { alexSays, demoTurnHandler } from '../../support/demo-turn';

const upn = (u: string) => ({ kind: 'upn' as const, upn: u as Upn });

function checked(r: ForwardingReport): Extract<ForwardingReport, { kind: 'checked' }> {
  assert.equal(r.kind, 'checked');
  return r;
}

describe('integration: forwarding check and command against the demo tenant', () => {
  let tenant: DemoTenant;
  let graph: GraphClient;
  const resolver = () => createUserResolver({ client: graph, clock: systemClock });
  const exchange = () =>
    createExchangeAdminReader(
      createExchangeAdminApi({
        baseUrl: tenant.url,
        tenant: DEMO_TENANT_ID,
        tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
      }),
    );

  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    graph = createGraphClient({ baseUrl: tenant.url, credential: { kind: 'static', token: DEMO_GRAPH_TOKEN } });
  });
  after(async () => {
    await tenant.close();
  });

  it('forwarder: external rule named "." and external mailbox forwarding (Exchange admin API)', async () => {
    const r = checked(
      await checkForwarding({ graph, users: resolver(), exchange: exchange() }, upn('forwarder@example.com')),
    );
    assert.equal(r.severity, 'high');
    const dot = r.rules.find((v) => v.name === '.');
    assert.equal(dot?.severity, 'high');
    assert.deepEqual(
      dot?.findings.map((f) => f.kind),
      ['forward', 'inconspicuous-name'],
    );
    const cleanup = r.rules.find((v) => v.name === 'Newsletter cleanup');
    const move = cleanup?.findings[0];
    assert.ok(move?.kind === 'move' && move.folder?.found && move.folder.displayName === 'Archive', 'folder named');
    assert.equal(r.mailbox.kind, 'checked');
    if (r.mailbox.kind === 'checked') {
      assert.equal(r.mailbox.smtp?.address, 'ap-invoices@billing-collector.example.org');
      assert.equal(r.mailbox.smtp?.class.kind, 'external');
      assert.equal(r.mailbox.deliverToMailboxAndForward, false);
    }
  });

  it('hider: move to RSS Feeds and mark read is high', async () => {
    const r = checked(await checkForwarding({ graph, users: resolver() }, upn('hider@example.com')));
    assert.equal(r.severity, 'high');
    const move = r.rules[0]?.findings.find((f) => f.kind === 'move');
    assert.ok(move?.kind === 'move' && move.obscure && move.markAsRead);
    assert.equal(r.mailbox.kind, 'not-configured');
  });

  it('an Exchange 403 still shows the judged rules and names the Exchange permission', async () => {
    const refused = createExchangeAdminReader(
      createExchangeAdminApi({
        baseUrl: tenant.url,
        tenant: DEMO_TENANT_ID,
        tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
        fetch: () => Promise.resolve(new Response('{"error":{"code":"Forbidden"}}', { status: 403 })),
      }),
    );
    const r = checked(
      await checkForwarding({ graph, users: resolver(), exchange: refused }, upn('forwarder@example.com')),
    );
    assert.equal(r.severity, 'high');
    assert.deepEqual(r.mailbox, { kind: 'failed', code: 'graph_forbidden', permission: EXCHANGE_PERMISSION });
  });

  it('a user without an Exchange licence is "no mailbox", not an error', async () => {
    const r = await checkForwarding({ graph, users: resolver(), exchange: exchange() }, upn('nomailbox@example.com'));
    assert.equal(r.kind, 'no-mailbox');
  });

  it('a clean mailbox is OK, and Exchange confirms no mailbox forwarding', async () => {
    const r = checked(
      await checkForwarding({ graph, users: resolver(), exchange: exchange() }, upn('quiet.user@example.com')),
    );
    assert.equal(r.severity, 'none');
    assert.deepEqual(r.mailbox, {
      kind: 'checked',
      smtp: null,
      recipient: null,
      deliverToMailboxAndForward: false,
      severity: 'none',
    });
  });

  const turnHandler = () =>
    demoTurnHandler(graph, {
      forwarding: { checkForwarding: (ref) => checkForwarding({ graph, users: resolver() }, ref) },
    });

  it('the command renders the markdown rule name literally, never as markdown', async () => {
    const adapter = new TestAdapter(turnHandler());
    await adapter.send(alexSays('forwarding markdown@example.com')).assertReply((reply) => {
      const card = reply.attachments?.[0]?.content as object | undefined;
      assert.ok(card, reply.text);
      assert.ok(textRuns(card).includes('[Reset your password](https://example.org/reset)'));
      assert.ok(textRuns(card).includes('**Security Team**'));
      for (const s of markdownSurfaces(card))
        assert.ok(!s.includes('Reset your password') && !s.includes('Security Team'));
    });
  });

  it('bad input gets the usage line; an unknown user is named as such', async () => {
    const adapter = new TestAdapter(turnHandler());
    await adapter
      .send(alexSays('forwarding'))
      .assertReply((reply) => assert.match(reply.text ?? '', /Usage: forwarding <upn>/));
    await adapter
      .send(alexSays('forwarding nobody@example.com'))
      .assertReply((reply) => assert.match(reply.text ?? '', /No such user/));
  });
});
