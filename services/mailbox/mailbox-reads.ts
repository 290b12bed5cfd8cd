import { z } from 'zod';
import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { encodeRfc3986 } from '../graph/odata';
import type { Priority } from '../graph/scheduler';
import { collectionSchema } from '../graph/schemas/collection';
import { messageRuleSchema, type MessageRule } from '../graph/schemas/message-rule';
import type { FolderInfo } from './rule-verdict';

/** A mailbox's inbox rules, or the statement that the user has no Exchange mailbox (not an error). */
export type RulesRead = { kind: 'rules'; rules: MessageRule[] } | { kind: 'no-mailbox' };

const rulesPage = collectionSchema(messageRuleSchema);
const folderSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().nullable().optional(),
  isHidden: z.boolean().nullable().optional(),
});

export interface ReadOptions {
  priority?: Priority;
  signal?: AbortSignal;
}

/** Graph answers 404 MailboxNotEnabledForRESTAPI for users without an Exchange Online mailbox. */
function isNoMailbox(error: unknown): boolean {
  return (
    isCodedError(error) &&
    (error.code === 'user_not_found' || error.code === 'graph_not_found') &&
    (error.details.graphCode === 'MailboxNotEnabledForRESTAPI' || error.details.graphCode === 'MailboxNotFound')
  );
}

/** `GET /users/{id}/mailFolders/inbox/messageRules` (one page: Exchange caps a mailbox's rules well below 1,000). */
export async function readInboxRules(client: GraphClient, userId: string, opts: ReadOptions = {}): Promise<RulesRead> {
  try {
    const res = await client.request({
      method: 'GET',
      path: `/users/${encodeRfc3986(userId)}/mailFolders/inbox/messageRules`,
      priority: opts.priority ?? 'interactive',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const parsed = rulesPage.safeParse(res.body);
    if (!parsed.success) throw new Error('unexpected messageRule shape from Graph');
    return { kind: 'rules', rules: parsed.data.value };
  } catch (error) {
    if (isNoMailbox(error)) return { kind: 'no-mailbox' };
    throw error;
  }
}

/** A rule's target folder by id; a folder that no longer exists (404) is reported as not found, not as a failure. */
export async function readFolder(
  client: GraphClient,
  userId: string,
  folderId: string,
  opts: ReadOptions = {},
): Promise<FolderInfo> {
  try {
    const res = await client.request({
      method: 'GET',
      path: `/users/${encodeRfc3986(userId)}/mailFolders/${encodeRfc3986(folderId)}?$select=id,displayName,isHidden`,
      priority: opts.priority ?? 'interactive',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const parsed = folderSchema.safeParse(res.body);
    if (!parsed.success) return { found: false };
    return { found: true, displayName: parsed.data.displayName ?? '', isHidden: parsed.data.isHidden ?? false };
  } catch (error) {
    if (isCodedError(error) && (error.code === 'graph_not_found' || error.code === 'user_not_found'))
      return { found: false };
    throw error;
  }
}

/** Names the folders in `ids` (in parallel; the Outlook scheduler keeps it at 4 in flight). */
export async function readFolders(
  client: GraphClient,
  userId: string,
  ids: readonly string[],
  opts: ReadOptions = {},
): Promise<Map<string, FolderInfo>> {
  const entries = await Promise.all(ids.map(async (id) => [id, await readFolder(client, userId, id, opts)] as const));
  return new Map(entries);
}
