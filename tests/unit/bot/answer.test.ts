import { own } from '../../../cards/text';
import assert from 'node:assert/strict';
import { createTurnAnswer, type AnswerTarget } from '../../../bot/answer';
import { createBackgroundTasks } from '../../../bot/background';
import type { Reply, VerbResult } from '../../../bot/commands/command';
import { adaptiveCard, text } from '../../../cards/elements';
import { CodedError } from '../../../services/errors';
import type { WaitNotice } from '../../../services/graph/waiting-notice';
import type { ConversationRef } from '../../../services/messaging/port';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger } from '../../fakes/recording-logger';
import { createRecordingMessenger } from '../../support/recording-messenger';

const CONVERSATION: ConversationRef = {
  conversationId: 'c1',
  conversationType: 'personal',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/x/',
  reference: {},
};
const CARD = adaptiveCard([text(own('the answer'))]);
const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(
  kind: AnswerTarget['kind'],
  options: { waitStatus?: WaitNotice | null; cardActivityId?: string; startedAt?: number } = {},
) {
  const clock = new ManualClock(0);
  const messenger = createRecordingMessenger();
  const logger = createRecordingLogger();
  const background = createBackgroundTasks(logger);
  const inTurn: Reply[] = [];
  const answer = createTurnAnswer(
    { clock, messenger, background, waitStatus: () => options.waitStatus ?? null, deadlineMs: 3_500 },
    {
      kind,
      conversation: CONVERSATION,
      cardActivityId: options.cardActivityId ?? null,
      sendInTurn: (reply) => {
        inTurn.push(reply);
        return Promise.resolve({ activityId: `turn-${inTurn.length}` });
      },
      startedAt: options.startedAt ?? 0,
      translate: (error) => `translated: ${error instanceof Error ? error.message : 'unknown'}`,
      log: logger,
    },
  );
  return { clock, messenger, background, inTurn, answer };
}

// issue 10 item 12: every turn answers Teams within 5 s; what is not ready follows proactively.
describe('bot/answer: answers within Teams time', () => {
  it('answers in the turn when the work is ready before the deadline', async () => {
    const { answer, messenger } = setup('message');
    const settled = await answer.settle(Promise.resolve({ reply: { kind: 'card', card: CARD } }));
    assert.deepEqual(settled, { late: false, result: { reply: { kind: 'card', card: CARD } } });
    assert.deepEqual(messenger.sent, []);
  });

  it('at the deadline posts "working on it" saying where it waits, then turns that message into the card', async () => {
    const notice: WaitNotice = { classes: ['reports'], untilMs: 24_000, nowMs: 0, throttled: false, queued: 12 };
    const { answer, clock, messenger, background, inTurn } = setup('message', { waitStatus: notice });
    const work = deferred<VerbResult>();
    const settling = answer.settle(work.promise);
    await settle();
    clock.advance(3_499);
    await settle();
    assert.equal(inTurn.length, 0, 'nothing before the deadline');
    clock.advance(1);
    const settled = await settling;
    assert.ok(settled.late);
    assert.match(settled.text, /queued for Microsoft Graph's reports budget .*12 requests in the queue\), about 24 s/);
    assert.deepEqual(inTurn, [], "posted through the messenger: Teams' request is not held for it");
    answer.close();
    work.resolve({ reply: { kind: 'card', card: CARD } });
    await background.drain();
    assert.deepEqual(
      messenger.sent.map((m) => [m.activityId, m.message]),
      [['act-1', { text: settled.text }]],
    );
    assert.deepEqual(messenger.updates, [{ to: CONVERSATION, activityId: 'act-1', message: { card: CARD } }]);
  });

  it('counts the deadline from the start of the turn, not from when the command began', async () => {
    // The guards, the membership check and the audit record took 1.2 s before the command started.
    const { answer, clock } = setup('message', { startedAt: -1_200 });
    let late = false;
    const settling = answer.settle(deferred<VerbResult>().promise).then((s) => (late = s.late));
    await settle();
    clock.advance(2_299);
    await settle();
    assert.equal(late, false);
    clock.advance(1);
    await settling;
    assert.ok(late);
  });

  it('goes late at once when Graph says it is throttling, before the deadline', async () => {
    const { answer, messenger, background } = setup('message');
    const work = deferred<VerbResult>();
    answer.onWaiting({ classes: ['reports'], untilMs: 7_000, nowMs: 0, throttled: true, queued: 1 });
    const settled = await answer.settle(work.promise);
    assert.ok(settled.late);
    await settle();
    assert.match(JSON.stringify(messenger.sent[0]?.message), /throttling the bot \(reports limit\).*about 7 s/);
    work.resolve({});
    await background.drain();
  });

  it('a late failure delivers the translated error into the waiting message, not silence', async () => {
    const { answer, clock, messenger, background } = setup('message');
    const work = deferred<VerbResult>();
    const settling = answer.settle(work.promise);
    await settle();
    clock.advance(3_500);
    await settling;
    answer.close();
    work.reject(new CodedError('graph_unavailable', 'down'));
    await background.drain();
    assert.deepEqual(
      messenger.updates.map((u) => u.message),
      [{ text: 'translated: down' }],
    );
  });

  it('an invoke answers "working on it" and the card later replaces the clicked card; notices go proactively', async () => {
    const { answer, clock, messenger, background, inTurn } = setup('invoke', { cardActivityId: 'clicked' });
    const work = deferred<VerbResult>();
    const settling = answer.settle(work.promise);
    await settle();
    clock.advance(3_500);
    const settled = await settling;
    assert.ok(settled.late);
    assert.match(settled.text, /The answer will be posted in this conversation/);
    assert.deepEqual(inTurn, [], 'an invoke answers with its response, not a message');
    answer.close();
    await answer.notify({ kind: 'text', text: 'after the turn' });
    work.resolve({ card: CARD, reply: { kind: 'text', text: 'Approved' } });
    await background.drain();
    assert.deepEqual(messenger.updates, [{ to: CONVERSATION, activityId: 'clicked', message: { card: CARD } }]);
    assert.deepEqual(
      messenger.sent.map((s) => s.message),
      [{ text: 'after the turn' }, { text: 'Approved' }],
    );
  });

  it('falls back to a new message when the waiting message cannot be updated', async () => {
    const { answer, clock, messenger, background } = setup('message');
    messenger.update = () => Promise.reject(new Error('412'));
    const work = deferred<VerbResult>();
    const settling = answer.settle(work.promise);
    await settle();
    clock.advance(3_500);
    await settling;
    work.resolve({ reply: { kind: 'text', text: 'done' } });
    await background.drain();
    assert.deepEqual(
      messenger.sent.map((s) => s.message),
      [
        { text: 'Working on it: Microsoft Graph is slow to answer. The answer will replace this message.' },
        { text: 'done' },
      ],
    );
  });

  it('an error before the deadline is thrown to the turn (answered there)', async () => {
    const { answer } = setup('message');
    await assert.rejects(answer.settle(Promise.reject(new Error('boom'))), /boom/);
  });
});
