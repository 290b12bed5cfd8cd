import type { ConversationRef } from '../messaging/port';
import type { Storage, StoredItem } from '../storage/port';
import type { ApprovalRecord, Person } from './types';

const REQUEST = 'approvals/request/';
const OPEN = 'approvals/open/';
const CONVERSATION = 'approvals/conversation';
const PERSONAL = 'approvals/personal/';

/** The designated approvals conversation and who designated it. */
export interface ApprovalsConversation {
  conversation: ConversationRef;
  by: Person;
  at: number;
}

/**
 * Storage layout of the approval flow. `open/<id>` is the durable queue: it exists from request until a
 * terminal state, so a restarted worker finds every pending, approved or half-executed request.
 */
export function createApprovalStore(storage: Storage) {
  return {
    get: (id: string): Promise<StoredItem<ApprovalRecord> | undefined> => storage.get<ApprovalRecord>(REQUEST + id),
    create: (record: ApprovalRecord) => storage.put(REQUEST + record.id, record, { ifAbsent: true }),
    replace: (record: ApprovalRecord, version: string) =>
      storage.put(REQUEST + record.id, record, { ifVersion: version }),
    async markOpen(id: string): Promise<void> {
      await storage.put(OPEN + id, { id }, { overwrite: true });
    },
    async close(id: string): Promise<void> {
      await storage.delete(OPEN + id);
    },
    async openIds(): Promise<string[]> {
      const items = await storage.list<{ id: string }>(OPEN, { limit: 1000 });
      return items.map((i) => i.value.id);
    },
    async conversation(): Promise<ApprovalsConversation | null> {
      return (await storage.get<ApprovalsConversation>(CONVERSATION))?.value ?? null;
    },
    async designate(value: ApprovalsConversation): Promise<void> {
      await storage.put(CONVERSATION, value, { overwrite: true });
    },
    async personalChat(aadObjectId: string): Promise<ConversationRef | null> {
      return (await storage.get<ConversationRef>(PERSONAL + aadObjectId.toLowerCase()))?.value ?? null;
    },
    async rememberPersonalChat(aadObjectId: string, ref: ConversationRef): Promise<void> {
      await storage.put(PERSONAL + aadObjectId.toLowerCase(), ref, { overwrite: true });
    },
  };
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;
