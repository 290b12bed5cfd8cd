import { sweepProgressCard } from '../../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../../cards/sweep-summary.card';
import type { ConversationRef, Messenger, OutgoingMessage } from '../../../services/messaging/port';
import type { SweepCards, SweepProgressView, SweepSummaryView } from '../../../services/mailbox/sweep-types';

export const CONVERSATION: ConversationRef = {
  conversationId: 'a:personal-1',
  conversationType: 'personal',
  tenantId: 'tenant',
  serviceUrl: 'http://127.0.0.1:1',
  reference: {},
};

/** A messenger that records what the sweep sends and updates, with the time of each on `now` (the sweeper's clock). */
export class RecordingMessenger implements Messenger {
  readonly sent: { at: number; to: ConversationRef; message: OutgoingMessage }[] = [];
  readonly updates: { at: number; activityId: string; message: OutgoingMessage }[] = [];
  private next = 1;

  constructor(private readonly now: () => number = Date.now) {}

  send(to: ConversationRef, message: OutgoingMessage): Promise<{ activityId: string }> {
    this.sent.push({ at: this.now(), to, message });
    return Promise.resolve({ activityId: `act-${this.next++}` });
  }

  update(_to: ConversationRef, activityId: string, message: OutgoingMessage): Promise<void> {
    this.updates.push({ at: this.now(), activityId, message });
    return Promise.resolve();
  }

  personalChat(via: ConversationRef): Promise<ConversationRef> {
    return Promise.resolve({ ...via, conversationId: 'a:personal-requester', conversationType: 'personal' });
  }
}

/** The real cards, also keeping the views they were given (tests assert on views, not card JSON). */
export function recordingCards(): SweepCards & { progressViews: SweepProgressView[]; summaries: SweepSummaryView[] } {
  const progressViews: SweepProgressView[] = [];
  const summaries: SweepSummaryView[] = [];
  return {
    progressViews,
    summaries,
    progress(view) {
      progressViews.push(view);
      return sweepProgressCard(view);
    },
    summary(view) {
      summaries.push(view);
      return sweepSummaryCard(view);
    },
  };
}
