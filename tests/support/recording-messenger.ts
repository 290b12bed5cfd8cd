import type { ConversationRef, Messenger, OutgoingMessage } from '../../services/messaging/port';

/** A Messenger that records what would be posted or updated, and answers with ids. */
export interface RecordingMessenger extends Messenger {
  sent: { to: ConversationRef; message: OutgoingMessage; activityId: string }[];
  updates: { to: ConversationRef; activityId: string; message: OutgoingMessage }[];
  failSends: boolean;
}

export function createRecordingMessenger(): RecordingMessenger {
  const m: RecordingMessenger = {
    sent: [],
    updates: [],
    failSends: false,
    send(to, message) {
      if (m.failSends) return Promise.reject(new Error('send failed'));
      const activityId = `act-${m.sent.length + 1}`;
      m.sent.push({ to, message, activityId });
      return Promise.resolve({ activityId });
    },
    update(to, activityId, message) {
      m.updates.push({ to, activityId, message });
      return Promise.resolve();
    },
    personalChat: () => Promise.reject(new Error('the test connector cannot create conversations')),
  };
  return m;
}
