import type { Clock } from '../services/clock';
import type { WaitNotice } from '../services/graph/waiting-notice';
import type { Logger } from '../services/log';
import type { ConversationRef, Messenger, OutgoingMessage } from '../services/messaging/port';
import type { BackgroundTasks } from './background';
import type { Reply, VerbResult } from './commands/command';
import { waitingText } from './commands/waiting';

/**
 * Teams re-sends an activity it thinks went unanswered (15 s) and gives up on an invoke long before that, so every
 * turn answers within Teams' time: an answer not ready by the deadline is replaced by "working on it" (saying where it
 * waits), and the result is delivered proactively when ready, into that message where possible.
 */

/** Answer the HTTP request by this long after the turn started; Teams' own limit is 5 s. */
export const ANSWER_DEADLINE_MS = 3_500;

/** What late answers need from the bot process. */
export interface LateAnswerDeps {
  clock: Clock;
  messenger: Messenger;
  background: BackgroundTasks;
  /** Where Graph work waits right now, for the "working on it" message. */
  waitStatus: () => WaitNotice | null;
  deadlineMs: number;
}

/** The turn an answer belongs to. */
export interface AnswerTarget {
  /** A message gets a "working on it" message that the answer replaces; an invoke's answer follows below. */
  kind: 'message' | 'invoke';
  conversation: ConversationRef;
  /** The message holding the clicked card, whose card a late verb result replaces. */
  cardActivityId: string | null;
  sendInTurn(reply: Reply): Promise<{ activityId: string }>;
  /** Clock time the turn started: the deadline counts from the request, not from when the work began. */
  startedAt: number;
  /** The user-facing text of a failure (bot/errors.ts). */
  translate(error: unknown): string;
  log: Logger;
}

/** The result in time, or the "working on it" text (posted for a message, the invoke's answer for an invoke). */
export type Settled = { late: false; result: VerbResult } | { late: true; text: string };

/** One turn's answer: in the turn while Teams waits, proactively after. */
export interface TurnAnswer {
  notify(reply: Reply): Promise<{ activityId: string }>;
  onWaiting: (notice: WaitNotice) => void;
  settle(work: Promise<VerbResult>): Promise<Settled>;
  /** The turn is returning: later messages go through the messenger. */
  close(): void;
}

function outgoing(reply: Reply): OutgoingMessage {
  return reply.kind === 'card' ? { card: reply.card } : { text: reply.text };
}

export function createTurnAnswer(deps: LateAnswerDeps, target: AnswerTarget): TurnAnswer {
  let open = true;
  let goLate: ((notice: WaitNotice | null) => void) | null = null;
  let early: WaitNotice | undefined;
  let working: Promise<string | null> | null = null;
  const place = target.kind === 'message' ? 'replaces' : 'follows';

  async function put(activityId: string, message: OutgoingMessage): Promise<void> {
    try {
      await deps.messenger.update(target.conversation, activityId, message);
    } catch (error) {
      target.log.warn({ err: error }, 'could not update the message in place; posting the answer instead');
      await deps.messenger.send(target.conversation, message);
    }
  }

  async function deliver(work: Promise<VerbResult>, workingId: Promise<string | null>): Promise<void> {
    let result: VerbResult;
    try {
      result = await work;
    } catch (error) {
      result = { reply: { kind: 'text', text: target.translate(error) } };
    }
    // The "working on it" message takes the first thing that has no place of its own.
    let slot = await workingId;
    const into = async (message: OutgoingMessage): Promise<void> => {
      if (slot === null) {
        await deps.messenger.send(target.conversation, message);
        return;
      }
      const id = slot;
      slot = null;
      await put(id, message);
    };
    try {
      if (result.card) {
        if (target.cardActivityId) await put(target.cardActivityId, { card: result.card });
        else await into({ card: result.card });
      }
      if (result.reply) await into(outgoing(result.reply));
      if (slot !== null) await put(slot, { text: 'Done: the card above is updated.' });
      target.log.info('late answer delivered');
    } catch (error) {
      target.log.error({ err: error }, 'the late answer could not be delivered');
    }
  }

  return {
    notify: (reply) => (open ? target.sendInTurn(reply) : deps.messenger.send(target.conversation, outgoing(reply))),
    onWaiting: (notice) => {
      if (goLate) goLate(notice);
      else if (working === null) early ??= notice;
      else {
        const update = working.then((id) =>
          id === null ? undefined : put(id, { text: waitingText(notice, 'replaces') }),
        );
        deps.background.track(update);
      }
    },
    async settle(work) {
      const timer = new AbortController();
      const late = new Promise<WaitNotice | null>((resolve) => {
        goLate = resolve;
        if (early !== undefined) resolve(early);
        const left = Math.max(0, deps.deadlineMs - (deps.clock.now() - target.startedAt));
        deps.clock.sleep(left, timer.signal).then(
          () => resolve(deps.waitStatus()),
          () => undefined, // the work finished first and cancelled the deadline
        );
      });
      const first = await Promise.race([
        work.then((result) => ({ late: false as const, result })),
        late.then((notice) => ({ late: true as const, notice })),
      ]).finally(() => {
        goLate = null;
        timer.abort();
      });
      if (!first.late) return first;
      const text = waitingText(first.notice, place);
      target.log.info({ waiting: first.notice?.classes ?? null }, 'answer not ready in time; it follows proactively');
      // Posted through the messenger, so Teams' request is answered now rather than after one more round trip.
      const sent =
        target.kind === 'message'
          ? deps.messenger.send(target.conversation, { text }).then(
              (r) => r.activityId || null,
              (error: unknown) => {
                target.log.warn({ err: error }, 'could not post the "working on it" message');
                return null;
              },
            )
          : Promise.resolve(null);
      working = sent;
      deps.background.track(deliver(work, sent));
      return { late: true, text };
    },
    close() {
      open = false;
    },
  };
}
