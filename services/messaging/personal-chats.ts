import type { Storage } from '../storage/port';
import type { ConversationRef } from './port';

const PREFIX = 'chats/personal/';
const MAX_CACHED = 10_000;

/**
 * The reference of each user's last message to the bot in their personal chat, so the bot can write to them later
 * ("was this you?"). Written only when it changed (one storage write per user and chat, not per message).
 */
export function createPersonalChats(storage: Storage) {
  const known = new Map<string, string>();
  const keyOf = (aadObjectId: string): string => PREFIX + aadObjectId.trim().toLowerCase();
  return {
    async remember(aadObjectId: string, ref: ConversationRef): Promise<void> {
      if (ref.conversationType !== 'personal' || aadObjectId.trim() === '') return;
      const key = keyOf(aadObjectId);
      const signature = `${ref.conversationId} ${ref.serviceUrl}`;
      if (known.get(key) === signature) return;
      await storage.put(key, ref, { overwrite: true });
      if (known.size >= MAX_CACHED) known.clear();
      known.set(key, signature);
    },
    async get(aadObjectId: string): Promise<ConversationRef | null> {
      return (await storage.get<ConversationRef>(keyOf(aadObjectId)))?.value ?? null;
    },
  };
}

export type PersonalChats = ReturnType<typeof createPersonalChats>;
