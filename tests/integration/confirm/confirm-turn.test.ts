import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { createUserChatLocator } from '../../../bot/proactive/user-chat';
import { createConfirmRenderer } from '../../../bot/proactive/confirm-renderer';
import { DEMO_TENANT_ID, PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createAlertStore } from '../../../services/alerts/alert-store';
import { queueAlert } from '../../../services/alerts/queue-alert';
import { createAuditLog } from '../../../services/audit/audit-log';
import { systemClock } from '../../../services/clock';
import { createConfirmations } from '../../../services/confirm/confirmations';
import { silentLogger } from '../../../services/log';
import { createPersonalChats } from '../../../services/messaging/personal-chats';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { visibleLines } from '../../support/cards';
import { demoTurnHandler, recordingGraphClient } from '../../support/demo-turn';
import { createRecordingMessenger } from '../../support/recording-messenger';
import { ownSecurityInfoAlert } from '../../unit/services/confirm/fixtures';

const ISAIAH = PLAYGROUND_USERS[3];
const MEGAN = PLAYGROUND_USERS[1];

/** An activity from a Playground user in their personal chat with the bot. */
let n = 0;
const from = (user: (typeof PLAYGROUND_USERS)[number], activity: Partial<Activity>): Partial<Activity> => ({
  // Each activity its own id: the inbound dedupe answers a repeated id from the first copy.
  id: `activity-${++n}`,
  channelId: 'msteams',
  channelData: { tenant: { id: DEMO_TENANT_ID } },
  conversation: { id: `a:${user.playgroundId}-personal`, conversationType: 'personal', isGroup: false, name: '' },
  from: { id: user.playgroundId, name: user.displayName, aadObjectId: user.aadObjectId },
  ...activity,
});

const answer = (confirmationId: string, value: string): Partial<Activity> => ({
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb: 'confirm.answer', data: { confirmationId, answer: value } } },
});

// The whole turn (TestAdapter → guards → verb → service) with the demo tenant for membership: a plain user's personal
// message is remembered, the question goes to that chat, only that user's click counts.
describe('integration: "was this you?" through the bot turn', function () {
  this.timeout(20_000);
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ port: 0 });
  });
  after(() => tenant.close());

  it("remembers Isaiah's chat, asks him there, refuses Megan's click, takes his No once", async () => {
    const storage = createMemoryStorage();
    const alerts = createAlertStore(storage);
    const personalChats = createPersonalChats(storage);
    const messenger = createRecordingMessenger();
    const audit = createAuditLog(createMemoryStorage(), systemClock);
    const graph = recordingGraphClient(tenant.url, []);
    const confirmations = createConfirmations({
      storage,
      alerts,
      clock: systemClock,
      logger: silentLogger,
      audit,
      chats: createUserChatLocator({
        chats: personalChats,
        graph,
        template: () => Promise.resolve(null),
        logger: silentLogger,
      }),
      messenger,
      renderer: createConfirmRenderer(systemClock),
      confirmMs: 30 * 60_000,
    });
    const handler = demoTurnHandler(graph, { confirmations }, { messenger, personalChats });

    // Isaiah is no operator: his message is refused, but his chat is remembered.
    await new TestAdapter(handler)
      .send(from(ISAIAH, { type: 'message', text: 'hello' }))
      .assertReply((r) => assert.match(r.text ?? '', /not in the bot's operators group/));
    assert.equal((await personalChats.get(ISAIAH.aadObjectId))?.conversationId, 'a:user-id-3-personal');

    const alert = ownSecurityInfoAlert({
      subject: { id: ISAIAH.aadObjectId, upn: ISAIAH.upn, displayName: ISAIAH.displayName },
      actor: ISAIAH.upn,
    });
    await queueAlert(alerts, alert, systemClock.now(), undefined, (a) => confirmations.onNewAlert(a));
    await confirmations.tick();
    assert.equal(messenger.sent.length, 1);
    assert.equal(messenger.sent[0]?.to.conversationId, 'a:user-id-3-personal');
    assert.match(JSON.stringify(messenger.sent[0]?.message), /Was this you\?/);

    const replies: Partial<Activity>[] = [];
    await new TestAdapter(handler).send(from(MEGAN, answer(alert.id, 'yes'))).assertReply((r) => void replies.push(r));
    assert.match(JSON.stringify(replies[0]?.value), /Only the person this question is about can answer it/);
    assert.equal((await confirmations.get(alert.id))?.state, 'asked');

    replies.length = 0;
    await new TestAdapter(handler).send(from(ISAIAH, answer(alert.id, 'no'))).assertReply((r) => void replies.push(r));
    const body = (replies[0]?.value as { body?: { type?: string; value?: unknown } }).body;
    assert.equal(body?.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(visibleLines(body?.value).join('\n'), /You answered \*\*No, it wasn't me\*\*/);
    const record = await alerts.alert(alert.id);
    assert.equal(record?.alert.severity, 'high');
    assert.equal(record?.confirmation?.state, 'denied');

    const trail = await audit.list();
    assert.deepEqual(
      trail.filter((r) => r.action === 'confirm:answer').map((r) => [r.actor.aadObjectId, r.outcome]),
      [
        [MEGAN.aadObjectId, 'refused:not-the-user'],
        [ISAIAH.aadObjectId, 'no'],
      ],
    );
  });
});
