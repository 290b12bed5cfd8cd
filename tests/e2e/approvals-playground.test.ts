import assert from 'node:assert/strict';
import { DEMO_GRAPH_TOKEN } from '../../demo/constants';
import type { PlaygroundClient } from '../../demo/playground/client';
import type { MessageFrame } from '../../demo/playground/frames';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';
import { visibleLines } from '../support/cards';

// The whole approval flow as a team would run it in the demo: two mock users, the group chat, the demo tenant.
describe('e2e: approval flow through the Playground (npm start)', function () {
  this.timeout(120_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;
  let graphPort: number;

  before(async () => {
    demo = await startDemo({ timeoutMs: 90_000 });
    client = demo.client;
    graphPort = demo.ports.graph;
  });

  after(async () => {
    await demo?.stop();
  });

  it('Alex requests revoke, Megan approves in the group chat, the card updates, the tenant shows it, the audit chain holds', async () => {
    const config = await client.config();
    const group = config.groupChats[0]?.id ?? '';
    // demo/start.ts designated the group chat at start-up.
    await client.waitForMessage(
      (f) =>
        f.actionConversationId === group &&
        (f.message.text ?? '').includes('Approval cards now come to this conversation'),
      20_000,
    );
    const requestedAt = Date.now();
    await client.send(config.personalChat.id, 'revoke risky@example.com reported phishing, confirmed by phone');
    const told = await client.waitForMessage(
      (f) => (f.message.text ?? '').includes('went to the approvals group chat'),
      20_000,
    );
    assert.equal(told.actionConversationId, config.personalChat.id);
    const card = await client.waitForMessage(
      (f) => f.actionConversationId === group && cardText(f).includes('approval.approve'),
      20_000,
    );
    const data = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(cardText(card));
    assert.ok(data, 'the card carries the request id and hash');
    const action = { verb: 'approval.approve', data: { requestId: data[1] ?? '', hash: data[2] ?? '' } };

    const self = await client.invoke(group, card.message.messageId, action, 'user-id-0');
    assert.match(JSON.stringify(self.value), /you cannot decide it/);

    const started = Date.now();
    const answer = await client.invoke(group, card.message.messageId, action, 'user-id-1');
    assert.ok(Date.now() - started < 2_000, `invoke answered in ${Date.now() - started} ms`);
    assert.match(visibleLines(answer.value).join('\n'), /Approved by Megan Bowen/);

    const updated = await client.waitForMessage(
      (f) =>
        f.action === 'updateMessage' &&
        f.message.messageId === card.message.messageId &&
        cardText(f).includes('— done'),
      20_000,
    );
    assert.match(cardText(updated), /verified by reading it back/);

    const res = await fetch(
      `http://127.0.0.1:${graphPort}/v1.0/users/risky@example.com?$select=signInSessionsValidFromDateTime`,
      { headers: { authorization: `Bearer ${DEMO_GRAPH_TOKEN}` } },
    );
    const user = (await res.json()) as { signInSessionsValidFromDateTime: string };
    assert.ok(
      Date.parse(user.signInSessionsValidFromDateTime) >= requestedAt - 1_000,
      user.signInSessionsValidFromDateTime,
    );

    await client.send(config.personalChat.id, 'audit risky@example.com');
    const audit = await client.waitForMessage((f) => cardText(f).includes('Audit trail'), 20_000);
    const text = cardText(audit);
    assert.match(text, /Hash chain verified/);
    for (const a of ['approval.requested', 'approval.approved', 'approval.executing', 'approval.done'])
      assert.ok(text.includes(a), `${a} in the audit card`);
  });

  it('a TAP goes only to the requester personal chat, once; without a reachable personal chat nothing is created', async () => {
    const config = await client.config();
    const group = config.groupChats[0]?.id ?? '';
    const approveIn = async (upn: string, from: string): Promise<MessageFrame> => {
      await client.send(group, `tap ${upn} re-register the never-verified Authenticator`, { from, mentionBot: true });
      const card = await client.waitForMessage(
        (f) =>
          f.actionConversationId === group && cardText(f).includes(upn) && cardText(f).includes('approval.approve'),
        20_000,
      );
      const data = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(cardText(card));
      assert.ok(data);
      const action = { verb: 'approval.approve', data: { requestId: data[1] ?? '', hash: data[2] ?? '' } };
      await client.invoke(group, card.message.messageId, action, 'user-id-1');
      return client.waitForMessage(
        (f) =>
          f.action === 'updateMessage' &&
          f.message.messageId === card.message.messageId &&
          /— (done|did not complete)/.test(cardText(f)),
        30_000,
      );
    };
    const secretFrames = (): MessageFrame[] =>
      client.frames.filter(
        (f): f is MessageFrame => 'message' in f && JSON.stringify(f.message).includes('Valid once, for'),
      );

    // Adele never wrote to the bot in a personal chat, and the Playground cannot create one for her.
    const refused = await approveIn('mfatest2@example.com', 'user-id-2');
    assert.match(cardText(refused), /no personal chat with the requester, so nothing was changed/);
    assert.equal(secretFrames().length, 0);

    // Alex's personal chat is remembered from a message there (here: the justification prompt).
    await client.send(config.personalChat.id, 'tap mfatest1@example.com');
    await client.waitForMessage((f) => cardText(f).includes('Why is this needed?'), 20_000);
    const done = await approveIn('mfatest1@example.com', 'user-id-0');
    assert.match(cardText(done), /sent to the requester in a personal chat/);
    assert.equal(secretFrames().length, 1);
    assert.equal(secretFrames()[0]?.actionConversationId, config.personalChat.id);
    assert.doesNotMatch(
      JSON.stringify(client.frames.filter((f) => f.actionConversationId === group)),
      /Valid once, for/,
    );
  });
});
