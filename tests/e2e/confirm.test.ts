import assert from 'node:assert/strict';
import type { PlaygroundClient } from '../../demo/playground/client';
import { visibleLines } from '../support/cards';
import { cardText, startDemo, type DemoProcess } from '../support/demo-process';

// "Was this you?" as the demo shows it: Alex changes his own security info, the bot asks him in his personal chat
// (installing the app for him through the demo tenant's Graph, since he never wrote to the bot), someone else cannot
// answer for him, his "No" turns the channel alert high with Investigate and Contain.
describe('e2e: "was this you?" in the Playground', function () {
  this.timeout(120_000);
  let demo: DemoProcess;
  let client: PlaygroundClient;

  before(async () => {
    demo = await startDemo({ env: { ALERT_POLL_SECONDS: '2' } });
    client = demo.client;
  });

  after(async () => {
    await demo?.stop();
  });

  it('asks Alex in his personal chat; only Alex can answer; No raises the channel alert with Contain', async () => {
    const config = await client.config();
    const personal = config.personalChat.id;
    await client.send('team-id', 'alerts on');
    await client.waitForMessage((f) => (f.message.text ?? '').includes('Alerts are on for this channel'), 20_000);

    await client.send('team-id', 'alerts emit security-info-registered alexw@example.com');
    await client.waitForMessage((f) => (f.message.text ?? '').includes('happened for alexw@example.com'), 20_000);

    const question = await client.waitForMessage(
      (f) => f.actionConversationId === personal && cardText(f).includes('Was this you?'),
      30_000,
    );
    assert.match(cardText(question), /User registered security info/);
    assert.match(cardText(question), /203\.0\.113\.77/);
    const id = /"confirmationId":"([A-Za-z0-9_-]+)"/.exec(cardText(question))?.[1] ?? '';
    assert.ok(id, 'the question carries its confirmation id');

    const alert = await client.waitForMessage(
      (f) =>
        f.actionConversationId !== personal &&
        cardText(f).includes('Security info changed') &&
        cardText(f).includes('alexw@example.com'),
      30_000,
    );
    assert.match(cardText(alert), /Medium/);
    assert.doesNotMatch(cardText(alert), /"title":"Contain"/);

    const answer = (value: string) => ({
      verb: 'confirm.answer',
      data: { verb: 'confirm.answer', confirmationId: id, answer: value },
    });
    // Megan sends Alex's answer from the group chat (a forged invoke; she is not in Alex's chat): refused.
    const group = config.groupChats[0]?.id ?? '';
    const inGroup = await client.waitForMessage(
      (f) => f.actionConversationId === group && (f.message.text ?? '').includes('Approval cards now come'),
      20_000,
    );
    const forged = await client.invoke(group, inGroup.message.messageId, answer('yes'), 'user-id-1');
    assert.match(JSON.stringify(forged.value), /Only the person this question is about can answer it/);

    const no = await client.invoke(personal, question.message.messageId, answer('no'), 'user-id-0');
    assert.match(visibleLines(no.value).join('\n'), /You answered \*\*No, it wasn't me\*\*/);

    const raised = await client.waitForMessage(
      (f) =>
        f.action === 'updateMessage' &&
        cardText(f).includes('Security info changed') &&
        cardText(f).includes('"title":"Contain"'),
      30_000,
    );
    assert.match(cardText(raised), /High/);
    assert.match(cardText(raised), /says it was \*\*not\*\* them/);
    assert.match(cardText(raised), /"command":"contain","args":"alexw@example.com"/);

    // The first answer stands: a later Yes changes nothing and shows what was recorded.
    const again = await client.invoke(personal, question.message.messageId, answer('yes'), 'user-id-0');
    assert.match(visibleLines(again.value).join('\n'), /You answered \*\*No, it wasn't me\*\*/);
  });
});
