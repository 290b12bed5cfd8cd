import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readOne, type ReadOptions } from '../graph/read';
import type { MessageRule } from '../graph/schemas/message-rule';
import type { UserId, UserRef } from '../ids';
import type { FolderInfo } from './rule-verdict';

export type { ReadOptions } from '../graph/read';

/** A mailbox's inbox rules, or the statement that the user has no Exchange mailbox (not an error). */
export type RulesRead = { kind: 'rules'; rules: MessageRule[] } | { kind: 'no-mailbox' };

const byId = (userId: string): UserRef => ({ kind: 'id', id: userId as UserId });

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
    const page = await readOne(client, endpoints.inboxRules.at({ user: byId(userId) }), opts);
    return { kind: 'rules', rules: page.value };
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
    const folder = await readOne(client, endpoints.mailFolder.at({ user: byId(userId), folder: folderId }), opts);
    return { found: true, displayName: folder.displayName ?? '', isHidden: folder.isHidden };
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
